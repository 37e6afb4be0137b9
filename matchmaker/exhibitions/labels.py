"""Names of the fair's states in the reader's language (pages and error messages share them)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

FAIR_STATUS_LABELS = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "cancelled": _l("Cancelled"),
}
REGISTRATION_STATUS_LABELS = {
    "pending": _l("Waiting for approval"),
    "registered": _l("Registered"),
    "waitlisted": _l("On the waiting list"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}
MEETING_LABELS = {
    "requested": _l("Requested"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    "cancelled": _l("Cancelled"),
    "held": _l("Held"),
    # Translators: a meeting one side did not come to.
    "no_show": _l("No-show"),
}


def label(table: dict, code: str) -> str:
    """The label of a code, lower-cased to sit inside a sentence (the code if unknown)."""
    return str(table.get(code, code)).lower()
