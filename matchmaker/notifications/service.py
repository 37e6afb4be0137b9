"""Notify users in the site and by e-mail; list, count and mark notifications; e-mail switches.

`notify` and `queue_mail` only add rows to the caller's transaction: the caller commits, and
the sender (mail.py) delivers the outbox later, so a slow or absent mail server never holds
up the request that caused a mail.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from matchmaker.accounts.models import User, utcnow
from matchmaker.errors import ValidationFailed
from matchmaker.i18n import LOCALES

from .messages import KIND_LABELS, render_text
from .models import KINDS, Notification, NotificationSetting, OutboxMail

PER_PAGE = 20


@dataclass
class NotificationPage:
    items: list[Notification]
    total: int
    unread: int
    page: int
    per_page: int
    has_more: bool


def queue_mail(db: Session, to: str, subject: str, text: str, *, html: str | None = None) -> None:
    """Add a mail to the outbox (the caller commits; the sender delivers it later)."""
    db.add(OutboxMail(to=to, subject=subject[:300], text=text, html=html))


def notify(db: Session, user_ids: list[int], kind: str, params: dict, link: str) -> None:
    """Notify these users in the site and, unless they switched the kind off, by e-mail."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind: {kind}")
    ids = sorted(set(user_ids))
    if not ids:
        return
    muted = set(
        db.execute(
            select(NotificationSetting.user_id).where(
                NotificationSetting.user_id.in_(ids),
                NotificationSetting.kind == kind,
                NotificationSetting.email.is_(False),
            )
        ).scalars()
    )
    users = db.execute(select(User).where(User.id.in_(ids))).scalars().all()
    for user in users:
        db.add(Notification(user_id=user.id, kind=kind, params=dict(params), link=link))
        if user.id not in muted:
            _queue_notification_mail(db, user, kind, params, link)


def notify_organization(
    db: Session,
    org_id: int,
    kind: str,
    params: dict,
    link: str,
    exclude_user_id: int | None = None,
) -> None:
    """Notify every member of an organization (except ``exclude_user_id``)."""
    query = select(User.id).where(User.organization_id == org_id)
    if exclude_user_id is not None:
        query = query.where(User.id != exclude_user_id)
    notify(db, list(db.execute(query).scalars()), kind, params, link)


def _queue_notification_mail(db: Session, user: User, kind: str, params: dict, link: str) -> None:
    locale = user.locale if user.locale in LOCALES else "en"
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    with force_locale(locale):
        subject = render_text(kind, params)
        text = "\n\n".join(
            [
                subject,
                _("Open it on matchmaker: %(url)s", url=base + link),
                "-- ",
                _(
                    "You get this e-mail for: %(kind)s. To stop these e-mails, "
                    "switch them off in your settings: %(url)s",
                    kind=str(KIND_LABELS[kind]),
                    url=base + "/account/notifications",
                ),
            ]
        )
    queue_mail(db, user.email, subject, text)


def list_notifications(
    db: Session, user: User, page: int = 1, per_page: int = PER_PAGE
) -> NotificationPage:
    """A page of the user's notifications, newest first."""
    page = max(1, page)
    rows = (
        db.execute(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page + 1)
        )
        .scalars()
        .all()
    )
    total = db.execute(
        select(func.count()).select_from(Notification).where(Notification.user_id == user.id)
    ).scalar_one()
    return NotificationPage(
        items=list(rows[:per_page]),
        total=total,
        unread=unread_count(db, user),
        page=page,
        per_page=per_page,
        has_more=len(rows) > per_page,
    )


def unread_count(db: Session, user: User) -> int:
    """How many of the user's notifications are unread (one COUNT on an index)."""
    return db.execute(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    ).scalar_one()


def mark_read(db: Session, user: User, ids: list[int] | None = None) -> int:
    """Mark the user's notifications (all, or these ids) read; return how many changed."""
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if ids is not None:
        if not ids:
            return 0
        query = query.where(Notification.id.in_(ids))
    changed = db.execute(query.values(read_at=utcnow())).rowcount
    db.commit()
    return changed


def email_settings(db: Session, user: User) -> dict[str, bool]:
    """Whether the user gets e-mail, per kind (on unless switched off)."""
    stored = dict(
        db.execute(
            select(NotificationSetting.kind, NotificationSetting.email).where(
                NotificationSetting.user_id == user.id
            )
        ).all()
    )
    return {kind: bool(stored.get(kind, True)) for kind in KINDS}


def set_email_settings(db: Session, user: User, changes: dict[str, bool]) -> dict[str, bool]:
    """Switch e-mail on or off for some kinds; return all the user's settings."""
    unknown = sorted(set(changes) - set(KINDS))
    if unknown:
        raise ValidationFailed(
            fields={kind: _("Unknown value: %(value)s.", value=kind[:40]) for kind in unknown}
        )
    try:
        _store_settings(db, user, changes)
    except IntegrityError:
        # Saved at the same moment from another tab: the rows exist now, so update them.
        db.rollback()
        _store_settings(db, user, changes)
    return email_settings(db, user)


def _store_settings(db: Session, user: User, changes: dict[str, bool]) -> None:
    existing = {
        row.kind: row
        for row in db.execute(
            select(NotificationSetting).where(NotificationSetting.user_id == user.id)
        ).scalars()
    }
    for kind, email in changes.items():
        row = existing.get(kind) or NotificationSetting(user_id=user.id, kind=kind)
        row.email = bool(email)
        db.add(row)
    db.commit()
