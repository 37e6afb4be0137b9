"""Registrations: roles, capacity and waiting list, buyer approval, withdrawal."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete as sql_delete
from sqlalchemy import func
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from matchmaker.accounts.models import User, utcnow
from matchmaker.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from matchmaker.profiles.models import Organization

from .access import (
    acts_for,
    get_exhibition,
    is_organizer,
    lock_exhibition,
    require_member,
    require_user,
)
from .labels import REGISTRATION_STATUS_LABELS, label
from .models import ROLES, Booth, Exhibition, Meeting, Registration, SlotOccupancy

# Registrations that hold a place: a pending buyer keeps it while the organizer decides.
COUNTED = ("registered", "pending")
DECISIONS = ("approved", "declined", "withdrawn")


@dataclass
class Participant:
    registration: Registration
    organization: Organization


def _entry_status(
    db: Session, exhibition: Exhibition, role: str, *, skip: int | None = None
) -> str:
    """Where a newcomer (or a promoted one) lands: waiting list when full, else by approval."""
    capacity = exhibition.capacity_for(role)
    if capacity is not None:
        query = select(func.count(Registration.id)).where(
            Registration.exhibition_id == exhibition.id,
            Registration.role == role,
            Registration.status.in_(COUNTED),
        )
        if skip is not None:
            query = query.where(Registration.id != skip)
        if db.exec(query).one() >= capacity:
            return "waitlisted"
    return "pending" if role == "buyer" and exhibition.buyer_approval else "registered"


def promote_waitlisted(db: Session, exhibition: Exhibition, role: str) -> None:
    """Fill free places of a role from its waiting list, earliest first (caller commits)."""
    while True:
        waiting = db.exec(
            select(Registration)
            .where(
                Registration.exhibition_id == exhibition.id,
                Registration.role == role,
                Registration.status == "waitlisted",
            )
            .order_by(Registration.id)
            .limit(1)
        ).first()
        if waiting is None:
            return
        status = _entry_status(db, exhibition, role, skip=waiting.id)
        if status == "waitlisted":
            return
        waiting.status = status
        waiting.decided_at = utcnow()
        db.add(waiting)
        db.flush()


def register(
    db: Session, actor: User | None, exhibition_id: int, org_id: int, role: str
) -> Registration:
    """Register an organization at a published fair: registered, pending or waitlisted."""
    actor = require_member(actor, org_id)
    exhibition = get_exhibition(db, exhibition_id, actor)
    if role not in ROLES:
        raise ValidationFailed(fields={"role": _l("Choose exhibitor, buyer or visitor.")})
    if db.get(Organization, org_id) is None:
        raise ValidationFailed(fields={"organization_id": _l("No organization with this id.")})
    if exhibition.status != "published":
        raise Conflict(_l("Registration is open only while the exhibition is published."))
    lock_exhibition(db, exhibition_id)  # counting places and inserting must not interleave
    try:
        existing = db.exec(
            select(Registration).where(
                Registration.exhibition_id == exhibition_id,
                Registration.organization_id == org_id,
            )
        ).first()
        if existing is not None and existing.status != "withdrawn":
            raise Conflict(_l("This organization is registered for this exhibition already."))
        registration = existing or Registration(exhibition_id=exhibition_id, organization_id=org_id)
        registration.role = role
        registration.status = _entry_status(db, exhibition, role)
        registration.reason = ""
        registration.created_at = utcnow()
        registration.decided_at = registration.decided_by_id = None
        db.add(registration)
        db.commit()
    except IntegrityError:
        db.rollback()
        raise Conflict(_l("This organization is registered for this exhibition already.")) from None
    except Conflict:
        db.rollback()
        raise
    return registration


def _get(db: Session, registration_id: int) -> Registration:
    registration = db.get(Registration, registration_id)
    if registration is None:
        raise NotFound(_l("No registration with this id."))
    return registration


def decide_registration(
    db: Session, actor: User | None, registration_id: int, decision: str, reason: str = ""
) -> Registration:
    """Approve, decline or withdraw a registration.

    Organizers approve (registered, or waitlisted when full) and decline with a reason;
    the organization's members and organizers withdraw. A freed place goes to the earliest
    waitlisted registration of that role in the same transaction.
    """
    actor = require_user(actor)
    if decision not in DECISIONS:
        raise ValidationFailed(fields={"status": _l("Choose approved, declined or withdrawn.")})
    if not isinstance(reason, str) or len(reason) > 1000:
        raise ValidationFailed(fields={"reason": _l("Use at most %(n)d characters.", n=1000)})
    registration = _get(db, registration_id)
    organizer = is_organizer(db, actor, registration.exhibition_id)
    if decision == "withdrawn" and not (organizer or acts_for(actor, registration.organization_id)):
        raise PermissionDenied(_l("You may only act for your own organization."))
    if decision != "withdrawn" and not organizer:
        raise PermissionDenied(_l("Only this exhibition's organizers decide on registrations."))
    exhibition = get_exhibition(db, registration.exhibition_id, actor)
    lock_exhibition(db, exhibition.id)
    db.refresh(registration)
    before = registration.status
    allowed = {
        "approved": ("pending", "waitlisted"),
        "declined": ("pending", "waitlisted", "registered"),
        "withdrawn": ("pending", "waitlisted", "registered"),
    }[decision]
    if before not in allowed:
        db.rollback()
        raise Conflict(
            _l(
                "This registration is %(status)s.",
                status=label(REGISTRATION_STATUS_LABELS, before),
            )
        )
    if decision == "approved":
        status = _entry_status(db, exhibition, registration.role, skip=registration.id)
        registration.status = "waitlisted" if status == "waitlisted" else "registered"
    else:
        registration.status = decision
        registration.reason = reason.strip()
        _leave(db, exhibition.id, registration.organization_id)
    registration.decided_at = utcnow()
    registration.decided_by_id = actor.id
    db.add(registration)
    db.flush()
    if before in COUNTED and registration.status not in COUNTED:
        promote_waitlisted(db, exhibition, registration.role)
    db.commit()
    return registration


def _leave(db: Session, exhibition_id: int, org_id: int) -> None:
    """An organization that leaves frees its booth and its meetings at the fair."""
    db.exec(
        sql_update(Booth)
        .where(Booth.exhibition_id == exhibition_id, Booth.organization_id == org_id)
        .values(organization_id=None)
    )
    meetings = db.exec(
        select(Meeting).where(
            Meeting.exhibition_id == exhibition_id,
            (Meeting.requester_id == org_id) | (Meeting.invitee_id == org_id),
            Meeting.status.in_(("requested", "accepted")),
        )
    ).all()
    if meetings:
        db.exec(
            sql_delete(SlotOccupancy).where(SlotOccupancy.meeting_id.in_([m.id for m in meetings]))
        )
    for meeting in meetings:
        meeting.status = "cancelled"
        meeting.sequence += 1
        meeting.updated_at = utcnow()
        db.add(meeting)


def registration_for(
    db: Session, viewer: User | None, exhibition_id: int, org_id: int
) -> Registration | None:
    """The organization's registration at the fair, if any (its members and organizers)."""
    if not (acts_for(viewer, org_id) or is_organizer(db, viewer, exhibition_id)):
        raise PermissionDenied(_l("You may only act for your own organization."))
    return db.exec(
        select(Registration).where(
            Registration.exhibition_id == exhibition_id, Registration.organization_id == org_id
        )
    ).first()


def list_registrations(
    db: Session,
    viewer: User | None,
    exhibition_id: int,
    *,
    role: str | None = None,
    status: str | None = None,
) -> list[Participant]:
    """Every registration with its organization (budget, verified) for the organizers."""
    get_exhibition(db, exhibition_id, viewer)
    if not is_organizer(db, viewer, exhibition_id):
        raise PermissionDenied(_l("Only this exhibition's organizers may see this."))
    query = (
        select(Registration, Organization)
        .join(Organization, Organization.id == Registration.organization_id)
        .where(Registration.exhibition_id == exhibition_id)
        .order_by(Registration.id)
    )
    if role:
        query = query.where(Registration.role == role)
    if status:
        query = query.where(Registration.status == status)
    return [Participant(r, o) for r, o in db.exec(query)]


def participants(
    db: Session, viewer: User | None, exhibition_id: int, role: str | None = None
) -> list[Participant]:
    """Registered organizations the viewer may see, by name (the public list)."""
    from matchmaker.profiles.service import can_view

    get_exhibition(db, exhibition_id, viewer)
    query = (
        select(Registration, Organization)
        .join(Organization, Organization.id == Registration.organization_id)
        .where(Registration.exhibition_id == exhibition_id, Registration.status == "registered")
        .order_by(Organization.name, Organization.id)
    )
    if role:
        query = query.where(Registration.role == role)
    return [
        Participant(r, o)
        for r, o in db.exec(query)
        if o.visibility != "hidden" and can_view(viewer, o)
    ]


def require_registered(db: Session, exhibition_id: int, org_id: int, field: str) -> Registration:
    """The organization must hold a `registered` registration (else 422 on ``field``)."""
    registration = db.exec(
        select(Registration).where(
            Registration.exhibition_id == exhibition_id,
            Registration.organization_id == org_id,
            Registration.status == "registered",
        )
    ).first()
    if registration is None:
        raise ValidationFailed(
            fields={field: _l("This organization is not registered for this exhibition.")}
        )
    return registration
