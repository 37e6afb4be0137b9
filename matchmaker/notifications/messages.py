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
}

# Names of the kinds on the settings page and in the e-mail footer.
KIND_LABELS = {
    "inquiry": _l("New inquiries"),
    "reply": _l("Replies in conversations"),
    "interest": _l("Organizations interested in yours"),
    "team_invitation": _l("Team invitations"),
    "verification_granted": _l("Verification of your profile"),
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
