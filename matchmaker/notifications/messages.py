"""What each kind of notification says, rendered in the reader's language when shown."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from babel.dates import format_skeleton, format_time, get_datetime_format, get_timezone_location
from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from matchmaker.exhibitions.times import known_zones, local
from matchmaker.i18n import fallback_text

logger = logging.getLogger("matchmaker.notifications")

# Translators: the words in %(…)s are organization names, people's names and subjects.
MESSAGES = {
    "inquiry": _l("%(from_org)s sent you an inquiry: %(subject)s"),
    "reply": _l("%(from_org)s replied: %(subject)s"),
    "interest": _l("%(from_org)s is interested in your organization"),
    "team_invitation": _l("%(inviter)s invited you to join %(org)s"),
    "verification_granted": _l("matchmaker verified the profile of %(org)s"),
    # Translators: %(fair)s is a trade fair's name.
    "meeting_requested": _l("%(from_org)s asks to meet you at %(fair)s"),
    # Translators: %(when)s is the meeting's day and time, e.g. "Wed, Jun 10, 9:30 AM (Shanghai)".
    "meeting_accepted": _l("%(from_org)s accepted your meeting at %(fair)s: %(when)s"),
    "meeting_declined": _l("%(from_org)s declined your meeting request at %(fair)s"),
    "meeting_moved": _l("Your meeting with %(from_org)s at %(fair)s moved to %(when)s"),
    "meeting_cancelled": _l("Your meeting with %(from_org)s at %(fair)s was cancelled"),
    "schedule_published": _l("The meeting schedule of %(fair)s is out: %(count)s meetings for you"),
    # Translators: sent about 15 minutes before the meeting; %(table)s is a table's name (T04).
    "meeting_reminder": _l("Soon: your meeting with %(from_org)s at %(when)s, table %(table)s"),
}

# Names of the kinds on the settings page and in the e-mail footer.
KIND_LABELS = {
    "inquiry": _l("New inquiries"),
    "reply": _l("Replies in conversations"),
    "interest": _l("Organizations interested in yours"),
    "team_invitation": _l("Team invitations"),
    "verification_granted": _l("Verification of your profile"),
    "meeting_requested": _l("Meeting requests at fairs"),
    "meeting_accepted": _l("Accepted meetings"),
    "meeting_declined": _l("Declined meeting requests"),
    "meeting_moved": _l("Meetings moved to another time"),
    "meeting_cancelled": _l("Cancelled meetings"),
    "schedule_published": _l("Published meeting schedules"),
    "meeting_reminder": _l("Reminders 15 minutes before a meeting"),
}


class _Params(dict):
    """Parameters for a message: a missing one reads as empty instead of failing the page."""

    def __missing__(self, key: str) -> str:
        return ""


# --- values stored as data and formatted when read, in the reader's language ------------
#
# A fair's meeting notifications store ``fair`` as its names per locale ({"en": …,
# "zh_Hans": …}), ``when`` as {"at": ISO instant, "tz": the fair's IANA zone} and ``count``
# as a number; they read in the reader's language and the fair's time. Plain strings are
# shown as they are, so older rows and other kinds keep working.

# Translators: a meeting's day and time followed by the city of its time zone, e.g.
# "Wed, Jun 10, 9:30 AM (Shanghai)".
WHEN_IN_ZONE = _l("%(time)s (%(zone)s)")


def _locale():
    return get_locale() or "en"


def _fair_name(value) -> str:
    if isinstance(value, dict):
        names = {str(k): str(v) for k, v in value.items() if v}
        return fallback_text(names, str(_locale()))[0]
    return str(value)


def _when(value) -> str:
    """{"at": "2026-06-10T01:30:00+00:00", "tz": "Asia/Shanghai"} as the fair's wall time."""
    if not isinstance(value, dict):
        return str(value)
    at = datetime.fromisoformat(str(value["at"]))
    tz = value.get("tz")
    if tz not in known_zones():
        tz = "UTC"
    moment = local(at, tz)
    locale = _locale()
    day = format_skeleton("MMMEd", moment, locale=locale)
    clock = format_time(moment, "short", locale=locale)
    text = (
        get_datetime_format("medium", locale=locale)
        .replace("'", "")
        .replace("{0}", clock)
        .replace("{1}", day)
    )
    city = get_timezone_location(moment.tzinfo, locale=locale, return_city=True)
    return str(WHEN_IN_ZONE) % {"time": text, "zone": city}


def _count(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return format_decimal(value, locale=_locale())
    return str(value)


_FAIR_PARAMS: dict[str, Callable[[object], str]] = {
    "fair": _fair_name,
    "when": _when,
    "count": _count,
}
# Per kind: how to turn a stored value into text (a parameter not listed is str()-ed).
FAIR_KINDS = (
    "meeting_requested",
    "meeting_accepted",
    "meeting_declined",
    "meeting_moved",
    "meeting_cancelled",
    "schedule_published",
    "meeting_reminder",
)
PARAM_FORMATTERS: dict[str, dict[str, Callable[[object], str]]] = dict.fromkeys(
    FAIR_KINDS, _FAIR_PARAMS
)


class _Params(dict):
    """Parameters for a message: a missing one reads as empty instead of failing the page."""

    def __missing__(self, key: str) -> str:
        return ""


def display_params(kind: str, params: dict | None) -> dict[str, str]:
    """The stored parameters as the texts the message shows, in the current locale.

    A value that cannot be formatted (a damaged or foreign row) reads as empty: a
    notification never fails the page that lists it.
    """
    formatters = PARAM_FORMATTERS.get(kind, {})
    shown = {}
    for key, value in (params or {}).items() if isinstance(params, dict) else ():
        formatter = formatters.get(key, str)
        try:
            shown[str(key)] = formatter(value)
        except Exception:  # any bad stored value: show the rest of the message
            logger.warning("notification %s: cannot show %s=%r", kind, key, value)
            shown[str(key)] = ""
    return shown


def render_text(kind: str, params: dict) -> str:
    """The notification as plain text in the current locale."""
    message = MESSAGES.get(kind)
    if message is None:
        return ""
    return str(message) % _Params(display_params(kind, params))


def render_html(kind: str, params: dict) -> Markup:
    """The notification as HTML: user text escaped and isolated for right-to-left pages."""
    message = MESSAGES.get(kind)
    if message is None:
        return Markup("")
    isolated = _Params(
        {k: Markup("<bdi>%s</bdi>") % v for k, v in display_params(kind, params).items()}
    )
    return escape(str(message)) % isolated
