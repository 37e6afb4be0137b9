"""Availability: the slots in which an organization cannot meet, and where it is busy."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete as sql_delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from matchmaker.accounts.models import User
from matchmaker.errors import Conflict, PermissionDenied, ValidationFailed

from .access import acts_for, get_exhibition, is_organizer, require_member
from .models import Slot, SlotOccupancy


def busy_slot_ids(db: Session, viewer: User | None, exhibition_id: int, org_id: int) -> dict:
    """{slot_id: 'meeting' | 'unavailable'} for an organization at a fair."""
    if not (acts_for(viewer, org_id) or is_organizer(db, viewer, exhibition_id)):
        raise PermissionDenied(_l("You may only act for your own organization."))
    rows = db.exec(
        select(SlotOccupancy.slot_id, SlotOccupancy.kind)
        .join(Slot, Slot.id == SlotOccupancy.slot_id)
        .where(Slot.exhibition_id == exhibition_id, SlotOccupancy.organization_id == org_id)
    )
    return dict(rows.all())


def set_unavailability(
    db: Session, actor: User | None, exhibition_id: int, org_id: int, slot_ids: list[int]
) -> set[int]:
    """Replace the slots in which an organization cannot meet; returns the new set."""
    require_member(actor, org_id)
    get_exhibition(db, exhibition_id, actor)
    if not isinstance(slot_ids, list | tuple | set):
        raise ValidationFailed(fields={"slot_ids": _l("Give a list of slot ids.")})
    wanted = set(slot_ids)
    fair_slots = set(db.exec(select(Slot.id).where(Slot.exhibition_id == exhibition_id)))
    if not all(isinstance(s, int) and not isinstance(s, bool) for s in wanted) or not (
        wanted <= fair_slots
    ):
        raise ValidationFailed(fields={"slot_ids": _l("Choose among the exhibition's slots.")})
    current = busy_slot_ids(db, actor, exhibition_id, org_id)
    meetings = {s for s, kind in current.items() if kind == "meeting"}
    if wanted & meetings:
        raise Conflict(_l("You have a meeting in one of these slots; cancel it first."))
    before = {s for s, kind in current.items() if kind == "unavailable"}
    try:
        if before - wanted:
            db.exec(
                sql_delete(SlotOccupancy).where(
                    SlotOccupancy.organization_id == org_id,
                    SlotOccupancy.kind == "unavailable",
                    SlotOccupancy.slot_id.in_(before - wanted),
                )
            )
        for slot_id in sorted(wanted - before):
            db.add(SlotOccupancy(slot_id=slot_id, organization_id=org_id, kind="unavailable"))
        db.commit()
    except IntegrityError:
        db.rollback()
        raise Conflict(_l("You have a meeting in one of these slots; cancel it first.")) from None
    return wanted
