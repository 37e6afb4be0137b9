"""Secret calendar feed addresses: one active per user and organization, rotatable."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import update as sql_update
from sqlmodel import Session, select

from matchmaker.accounts.models import User, utcnow
from matchmaker.errors import NotFound, ValidationFailed

from .access import require_user
from .models import CalendarFeed


def _organization_of(user: User) -> int:
    if user.organization_id is None:
        raise ValidationFailed(
            fields={"organization_id": _l("Join an organization to get a calendar feed.")}
        )
    return user.organization_id


def feed_for(db: Session, actor: User | None) -> CalendarFeed:
    """The user's active feed for their organization, created on first use."""
    actor = require_user(actor)
    org_id = _organization_of(actor)
    feed = db.exec(
        select(CalendarFeed)
        .where(
            CalendarFeed.user_id == actor.id,
            CalendarFeed.organization_id == org_id,
            CalendarFeed.revoked_at.is_(None),
        )
        .order_by(CalendarFeed.id.desc())
    ).first()
    if feed is None:
        feed = CalendarFeed(
            user_id=actor.id, organization_id=org_id, secret=secrets.token_urlsafe(32)
        )
        db.add(feed)
        db.commit()
    return feed


def rotate_feed(db: Session, actor: User | None) -> CalendarFeed:
    """Revoke the user's feed address and hand out a new one (the old one leaked)."""
    actor = require_user(actor)
    org_id = _organization_of(actor)
    db.exec(
        sql_update(CalendarFeed)
        .where(CalendarFeed.user_id == actor.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    feed = CalendarFeed(user_id=actor.id, organization_id=org_id, secret=secrets.token_urlsafe(32))
    db.add(feed)
    db.commit()
    return feed


def organization_for_feed(db: Session, secret: str) -> int:
    """The organization whose agenda a feed serves; unknown or revoked secrets: NotFound."""
    feed = None
    if isinstance(secret, str) and 0 < len(secret) <= 64:
        feed = db.exec(select(CalendarFeed).where(CalendarFeed.secret == secret)).first()
    if feed is None or feed.revoked_at is not None:
        raise NotFound(_l("No calendar feed at this address."))
    user = db.get(User, feed.user_id)
    # A member who left the organization no longer reads its agenda.
    if user is None or (user.organization_id != feed.organization_id and not user.is_admin):
        raise NotFound(_l("No calendar feed at this address."))
    return feed.organization_id
