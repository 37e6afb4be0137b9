"""What each kind of notification says, rendered in the reader's language when shown."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

# Translators: the words in %(…)s are organization names, people's names and subjects.
MESSAGES = {
    "inquiry": _l("%(from_org)s sent you an inquiry: %(subject)s"),
    "reply": _l("%(from_org)s replied: %(subject)s"),
    "interest": _l("%(from_org)s is interested in your organization"),
    "team_invitation": _l("%(inviter)s invited you to join %(org)s"),
    "verification_granted": _l("matchmaker verified the profile of %(org)s"),
    "meeting_requested": _l("%(from_org)s asks to meet you at %(fair)s"),
    "meeting_accepted": _l("%(from_org)s accepted your meeting at %(fair)s: %(when)s"),
    "meeting_declined": _l("%(from_org)s declined your meeting request at %(fair)s"),
    "meeting_moved": _l("Your meeting with %(from_org)s at %(fair)s moved to %(when)s"),
    "meeting_cancelled": _l("Your meeting with %(from_org)s at %(fair)s was cancelled"),
    "schedule_published": _l("The meeting schedule of %(fair)s is out: %(count)s meetings for you"),
    "meeting_reminder": _l("In 15 minutes: your meeting with %(from_org)s, table %(table)s"),
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


def render_text(kind: str, params: dict) -> str:
    """The notification as plain text in the current locale."""
    message = MESSAGES.get(kind)
    if message is None:
        return ""
    return str(message) % _Params({k: str(v) for k, v in (params or {}).items()})


def render_html(kind: str, params: dict) -> Markup:
    """The notification as HTML: user text escaped and isolated for right-to-left pages."""
    message = MESSAGES.get(kind)
    if message is None:
        return Markup("")
    isolated = _Params({k: Markup("<bdi>%s</bdi>") % str(v) for k, v in (params or {}).items()})
    return escape(str(message)) % isolated
