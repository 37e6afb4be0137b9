"""Booths on each hall's grid: layout by organizers, booking by registered exhibitors."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from matchmaker.accounts.models import User
from matchmaker.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from . import validation as check
from .access import (
    acts_for,
    editable_exhibition,
    get_exhibition,
    is_organizer,
    lock_exhibition,
    require_user,
)
from .models import Booth
from .registrations import require_registered

FIELDS = ("code", "hall", "size", "row", "col", "width", "height")
MAX_GRID = 1000


def validate_booth(data: dict[str, Any], *, current: Booth | None = None) -> dict[str, Any]:
    """Check booth fields; row and col come together (or neither: not placed on the plan)."""
    if not isinstance(data, dict):
        raise ValidationFailed(_l("Send a JSON object."))
    errors: dict[str, Any] = {key: _l("Unknown field.") for key in sorted(set(data) - set(FIELDS))}
    if current is None:
        data = {"width": 1, "height": 1, **data}
    given = set(data) if current is not None else set(FIELDS)
    checks = {
        "code": lambda v: check.text(v, "code", errors, required=True, limit=20),
        "hall": lambda v: check.text(v, "hall", errors, limit=80),
        "size": lambda v: check.text(v, "size", errors, limit=40),
        "row": lambda v: check.whole(v, "row", errors, low=0, high=MAX_GRID, optional=True),
        "col": lambda v: check.whole(v, "col", errors, low=0, high=MAX_GRID, optional=True),
        "width": lambda v: check.whole(v, "width", errors, low=1, high=100),
        "height": lambda v: check.whole(v, "height", errors, low=1, high=100),
    }
    clean = {f: checks[f](data.get(f)) for f in FIELDS if f in given}
    row = clean["row"] if "row" in clean else getattr(current, "row", None)
    col = clean["col"] if "col" in clean else getattr(current, "col", None)
    if (row is None) != (col is None) and not {"row", "col"} & set(errors):
        errors["col" if col is None else "row"] = _l("Give both row and column, or neither.")
    if errors:
        raise ValidationFailed(fields=errors)
    return clean


def _overlapping(db: Session, booth: Booth) -> Booth | None:
    """Another booth of the same hall covering one of this booth's grid cells."""
    if booth.row is None or booth.col is None:
        return None
    others = db.exec(
        select(Booth).where(
            Booth.exhibition_id == booth.exhibition_id,
            Booth.hall == booth.hall,
            Booth.row.is_not(None),
            Booth.id != (booth.id or 0),
        )
    )
    for other in others:
        if (
            other.row < booth.row + booth.height
            and booth.row < other.row + other.height
            and other.col < booth.col + booth.width
            and booth.col < other.col + other.width
        ):
            return other
    return None


def _save_layout(db: Session, booth: Booth, clean: dict[str, Any]) -> Booth:
    lock_exhibition(db, booth.exhibition_id)  # two organizers must not place into one cell
    for field, value in clean.items():
        setattr(booth, field, value)
    with db.no_autoflush:
        other = _overlapping(db, booth)
    if other is not None:
        db.rollback()
        raise ValidationFailed(
            fields={"row": _l("Overlaps booth %(code)s in this hall.", code=other.code)}
        )
    db.add(booth)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise Conflict(_l("Another booth has this code.")) from None
    return booth


def list_booths(
    db: Session, viewer: User | None, exhibition_id: int, hall: str | None = None
) -> list[Booth]:
    """The fair's booths by hall and code."""
    get_exhibition(db, exhibition_id, viewer)
    query = select(Booth).where(Booth.exhibition_id == exhibition_id)
    if hall is not None:
        query = query.where(Booth.hall == hall)
    return list(db.exec(query.order_by(Booth.hall, Booth.code)))


def get_booth(db: Session, viewer: User | None, booth_id: int) -> Booth:
    """One booth of a fair the viewer may see."""
    booth = db.get(Booth, booth_id)
    if booth is None:
        raise NotFound(_l("No booth with this id."))
    get_exhibition(db, booth.exhibition_id, viewer)
    return booth


def create_booth(db: Session, actor: User | None, exhibition_id: int, data: dict) -> Booth:
    """Add a booth to the layout (organizers); overlapping another in its hall is refused."""
    editable_exhibition(db, actor, exhibition_id)
    clean = validate_booth(data)
    return _save_layout(db, Booth(exhibition_id=exhibition_id), clean)


def update_booth(db: Session, actor: User | None, booth_id: int, data: dict) -> Booth:
    """Change a booth's code, hall, size or place (organizers)."""
    booth = get_booth(db, actor, booth_id)
    editable_exhibition(db, actor, booth.exhibition_id)
    clean = validate_booth(data, current=booth)
    return _save_layout(db, booth, clean)


def delete_booth(db: Session, actor: User | None, booth_id: int) -> None:
    """Remove a free booth from the layout (organizers)."""
    booth = get_booth(db, actor, booth_id)
    editable_exhibition(db, actor, booth.exhibition_id)
    if booth.organization_id is not None:
        raise Conflict(_l("This booth is booked; release it first."))
    db.delete(booth)
    db.commit()


def book_booth(db: Session, actor: User | None, booth_id: int, org_id: int) -> Booth:
    """Book a free booth for a registered exhibitor (its members, or the organizers).

    A conditional UPDATE takes the booth only while it is free, and the database allows
    one booth per organization: two bookings at once cannot both win.
    """
    actor = require_user(actor)
    booth = get_booth(db, actor, booth_id)
    if not (acts_for(actor, org_id) or is_organizer(db, actor, booth.exhibition_id)):
        raise PermissionDenied(_l("You may only act for your own organization."))
    registration = require_registered(db, booth.exhibition_id, org_id, "organization_id")
    if registration.role != "exhibitor":
        raise ValidationFailed(fields={"organization_id": _l("Only exhibitors book booths.")})
    held = db.exec(
        select(Booth.code).where(
            Booth.exhibition_id == booth.exhibition_id, Booth.organization_id == org_id
        )
    ).first()
    if held is not None:
        raise Conflict(_l("Your organization holds booth %(code)s already.", code=held))
    try:
        taken = db.exec(
            sql_update(Booth)
            .where(Booth.id == booth_id, Booth.organization_id.is_(None))
            .values(organization_id=org_id)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:
            db.rollback()
            raise Conflict(_l("Booth %(code)s is taken.", code=booth.code))
        db.commit()
    except IntegrityError:
        db.rollback()
        raise Conflict(_l("Your organization holds a booth at this exhibition already.")) from None
    db.refresh(booth)
    return booth


def release_booth(db: Session, actor: User | None, booth_id: int) -> Booth:
    """Free a booth (the holder's members or the organizers)."""
    actor = require_user(actor)
    booth = get_booth(db, actor, booth_id)
    holder = booth.organization_id
    if holder is None:
        return booth
    if not (acts_for(actor, holder) or is_organizer(db, actor, booth.exhibition_id)):
        raise PermissionDenied(_l("You may only act for your own organization."))
    db.exec(
        sql_update(Booth)
        .where(Booth.id == booth_id, Booth.organization_id == holder)
        .values(organization_id=None)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    db.refresh(booth)
    return booth
