"""Who may see and change what at a fair, and the lock that serializes counting writes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import update as sql_update
from sqlmodel import Session, select

from matchmaker.accounts.models import User
from matchmaker.errors import NotAuthenticated, NotFound, PermissionDenied

from .models import Exhibition, ExhibitionOrganizer


def require_user(actor: User | None) -> User:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    return actor


def is_organizer(db: Session, user: User | None, exhibition_id: int) -> bool:
    """True for the fair's organizers and for administrators."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    found = db.exec(
        select(ExhibitionOrganizer.id).where(
            ExhibitionOrganizer.exhibition_id == exhibition_id,
            ExhibitionOrganizer.user_id == user.id,
        )
    ).first()
    return found is not None


def get_exhibition(db: Session, exhibition_id: int, viewer: User | None) -> Exhibition:
    """Return the fair if the viewer may see it (drafts only to their organizers)."""
    exhibition = db.get(Exhibition, exhibition_id)
    if exhibition is None or (
        exhibition.status == "draft" and not is_organizer(db, viewer, exhibition_id)
    ):
        raise NotFound(_l("No exhibition with this id."))
    return exhibition


def editable_exhibition(db: Session, actor: User | None, exhibition_id: int) -> Exhibition:
    """Return the fair when the actor organizes it (or is an administrator)."""
    actor = require_user(actor)
    exhibition = get_exhibition(db, exhibition_id, actor)
    if not is_organizer(db, actor, exhibition_id):
        raise PermissionDenied(_l("Only this exhibition's organizers may change it."))
    return exhibition


def acts_for(actor: User | None, org_id: int) -> bool:
    return actor is not None and (actor.is_admin or actor.organization_id == org_id)


def require_member(actor: User | None, org_id: int) -> User:
    """The actor must belong to the organization (or be an administrator)."""
    actor = require_user(actor)
    if not acts_for(actor, org_id):
        raise PermissionDenied(_l("You may only act for your own organization."))
    return actor


def lock_exhibition(db: Session, exhibition_id: int) -> None:
    """Take the fair's write lock before counting places, so concurrent writers serialize.

    PostgreSQL locks the row (SELECT ... FOR UPDATE). On SQLite the first write of a
    transaction takes the database's write lock, so a no-op UPDATE comes first; reads after
    it see every earlier commit.
    """
    if db.get_bind().dialect.name == "sqlite":
        db.exec(
            sql_update(Exhibition)
            .where(Exhibition.id == exhibition_id)
            .values(sequence=Exhibition.sequence)
        )
    else:
        db.exec(select(Exhibition.id).where(Exhibition.id == exhibition_id).with_for_update())
