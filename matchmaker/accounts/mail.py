"""Account mails (verify, reset, invitation), written in the recipient's language.

Plain text built from gettext paragraphs (extracted like any other string), so a user
name with "&" or "<" reaches the reader as typed.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session

from matchmaker.i18n import LOCALES


def mail_locale(*candidates: str | None) -> str:
    """The first candidate locale we ship, else English."""
    for locale in candidates:
        if locale in LOCALES:
            return locale
    return "en"


def _send(db: Session, to: str, subject: str, paragraphs: list[str]) -> None:
    from matchmaker.notifications.service import queue_mail

    queue_mail(db, to, subject, "\n\n".join(paragraphs) + "\n")


def queue_verification_mail(db: Session, to: str, locale: str, *, name: str, link: str, days: int):
    with force_locale(locale):
        _send(
            db,
            to,
            _("Confirm your e-mail address"),
            [
                _("Hello %(name)s,", name=name),
                _("Please confirm your e-mail address for matchmaker by opening this link:"),
                link,
                _(
                    "The link works once and for %(days)s days. Until you confirm, you can "
                    "browse but not contact other organizations.",
                    days=days,
                ),
                _("If you did not create an account, ignore this mail."),
            ],
        )


def queue_reset_mail(db: Session, to: str, locale: str, *, name: str, link: str, minutes: int):
    with force_locale(locale):
        _send(
            db,
            to,
            _("Reset your password"),
            [
                _("Hello %(name)s,", name=name),
                _(
                    "Someone asked to reset the password of your matchmaker account. "
                    "To choose a new password, open this link:"
                ),
                link,
                _(
                    "The link works once and for %(minutes)s minutes. After the reset, every "
                    "other session and every API token of your account stops working.",
                    minutes=minutes,
                ),
                _("If you did not ask for this, ignore this mail: your password stays as it is."),
            ],
        )


def queue_invitation_mail(
    db: Session, to: str, locale: str, *, org: str, inviter: str, link: str, days: int
):
    with force_locale(locale):
        _send(
            db,
            to,
            _("Join %(org)s on matchmaker", org=org),
            [
                _("Hello,"),
                _(
                    "%(inviter)s invites you to join the team of %(org)s on matchmaker.",
                    inviter=inviter,
                    org=org,
                ),
                link,
                _(
                    "Sign in or create an account with this address (%(email)s) to accept. "
                    "The invitation works for %(days)s days.",
                    email=to,
                    days=days,
                ),
                _("If you did not expect this, ignore this mail."),
            ],
        )
