"""Fairs: create, edit, publish, organizers and meeting tables."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete as sql_delete
from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from matchmaker.accounts.models import User, utcnow
from matchmaker.errors import Conflict, PermissionDenied, ValidationFailed

from . import validation as check
from .access import editable_exhibition, get_exhibition, is_organizer, require_user
from .labels import FAIR_STATUS_LABELS, label
from .models import (
    ROLES,
    Exhibition,
    ExhibitionBreak,
    ExhibitionOrganizer,
    ExhibitionText,
    Meeting,
    MeetingTable,
    Slot,
)
from .registrations import promote_waitlisted
from .slots import fair_slots, regenerate_slots

SCHEDULE_FIELDS = ("timezone", "starts_on", "ends_on", "day_start", "day_end", "slot_minutes")
FIELDS = (
    "key",
    "name",
    "description",
    "city",
    "venue",
    *SCHEDULE_FIELDS,
    "breaks",
    "tables",
    "buyer_approval",
    *(f"capacity_{role}" for role in ROLES),
    "request_cap",
    "status",
)
REQUIRED = ("name", "timezone", "starts_on", "ends_on", "day_start", "day_end", "slot_minutes")
DEFAULTS = {"tables": 10, "buyer_approval": False, "status": "draft"}
# Allowed status changes: a published fair does not go back to draft (people registered).
TRANSITIONS = {
    "draft": {"draft", "published", "cancelled"},
    "published": {"published", "cancelled"},
    "cancelled": {"cancelled"},
}


def validate_exhibition(
    data: dict[str, Any], *, current: Exhibition | None = None
) -> dict[str, Any]:
    """Check and normalize fair fields; raise ValidationFailed listing every bad field.

    With ``current`` only the given keys are checked (a partial update).
    """
    if not isinstance(data, dict):
        raise ValidationFailed(_l("Send a JSON object."))
    errors: dict[str, Any] = {key: _l("Unknown field.") for key in sorted(set(data) - set(FIELDS))}
    if current is None:
        data = {**DEFAULTS, **data}
        for field in REQUIRED:
            if data.get(field) in (None, "", {}):
                errors[field] = _l("This field is required.")
    checks = {
        "key": lambda v: check.text(v, "key", errors, limit=80) or None,
        "name": lambda v: check.localized(v, "name", errors, limit=check.MAX_NAME),
        "description": lambda v: check.localized(
            v, "description", errors, limit=check.MAX_DESCRIPTION
        ),
        "city": lambda v: check.text(v, "city", errors, limit=120),
        "venue": lambda v: check.text(v, "venue", errors, limit=200),
        "timezone": lambda v: check.zone_name(v, "timezone", errors),
        "starts_on": lambda v: check.day(v, "starts_on", errors),
        "ends_on": lambda v: check.day(v, "ends_on", errors),
        "day_start": lambda v: check.wall_time(v, "day_start", errors),
        "day_end": lambda v: check.wall_time(v, "day_end", errors),
        "slot_minutes": lambda v: check.whole(
            v, "slot_minutes", errors, low=1, high=check.MAX_SLOT_MINUTES
        ),
        "breaks": lambda v: check.breaks(v, errors),
        "tables": lambda v: check.whole(v, "tables", errors, low=1, high=check.MAX_TABLES),
        "buyer_approval": lambda v: check.flag(v, "buyer_approval", errors),
        "request_cap": lambda v: check.whole(
            v, "request_cap", errors, low=1, high=10_000, optional=True
        ),
        "status": lambda v: _status(v, current, errors),
    }
    for role in ROLES:
        field = f"capacity_{role}"
        checks[field] = lambda v, f=field: check.whole(
            v, f, errors, low=0, high=1_000_000, optional=True
        )
    clean = {f: checks[f](data.get(f)) for f in FIELDS if f in data and f not in errors}
    _check_together(clean, current, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    return clean


def _status(value: Any, current: Exhibition | None, errors: dict) -> str | None:
    before = current.status if current else "draft"
    if value not in TRANSITIONS[before]:
        errors["status"] = _l(
            "A %(before)s exhibition cannot become %(after)s.",
            before=label(FAIR_STATUS_LABELS, before),
            after=label(FAIR_STATUS_LABELS, str(value)[:20]),
        )
        return None
    return value


def _check_together(clean: dict, current: Exhibition | None, errors: dict) -> None:
    """Checks across fields, on the merged new and current values."""

    def value(field):
        return clean[field] if field in clean else getattr(current, field, None)

    if "name" in clean and current is None and not any(clean["name"].values()):
        errors["name"] = _l("This field is required.")
    starts_on, ends_on = value("starts_on"), value("ends_on")
    if isinstance(starts_on, date) and isinstance(ends_on, date):
        if ends_on < starts_on:
            errors["ends_on"] = _l("The exhibition must end on or after its first day.")
        elif (ends_on - starts_on).days >= check.MAX_DAYS:
            errors["ends_on"] = _l("An exhibition lasts at most %(n)d days.", n=check.MAX_DAYS)
    day_start, day_end = value("day_start"), value("day_end")
    if day_start is not None and day_end is not None:
        if day_end <= day_start:
            errors["day_end"] = _l("The day must end after it starts.")
        elif (minutes := value("slot_minutes")) and "slot_minutes" not in errors:
            length = datetime.combine(date.min, day_end) - datetime.combine(date.min, day_start)
            if timedelta(minutes=minutes) > length:
                errors["slot_minutes"] = _l("A meeting slot cannot be longer than the day.")


# --- reads ---------------------------------------------------------------------


def list_exhibitions(db: Session, viewer: User | None) -> list[Exhibition]:
    """Fairs the viewer may see, soonest first (drafts only to their organizers)."""
    query = select(Exhibition).order_by(Exhibition.starts_on, Exhibition.id)
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        query = query.where(Exhibition.status != "draft")
    elif not viewer.is_admin:
        mine = select(ExhibitionOrganizer.exhibition_id).where(
            ExhibitionOrganizer.user_id == viewer.id
        )
        query = query.where(or_(Exhibition.status != "draft", Exhibition.id.in_(mine)))
    return list(db.exec(query))


def exhibition_tables(db: Session, exhibition_id: int) -> list[MeetingTable]:
    """The fair's meeting tables in order."""
    return list(
        db.exec(
            select(MeetingTable)
            .where(MeetingTable.exhibition_id == exhibition_id)
            .order_by(MeetingTable.position)
        )
    )


def list_slots(db: Session, viewer: User | None, exhibition_id: int) -> list[Slot]:
    """The fair's meeting slots in time order."""
    get_exhibition(db, exhibition_id, viewer)
    return fair_slots(db, exhibition_id)


def organizers(db: Session, viewer: User | None, exhibition_id: int) -> list[User]:
    """The fair's organizers (seen by organizers only)."""
    if not is_organizer(db, viewer, exhibition_id):
        raise PermissionDenied(_l("Only this exhibition's organizers may see this."))
    return list(
        db.exec(
            select(User)
            .join(ExhibitionOrganizer, ExhibitionOrganizer.user_id == User.id)
            .where(ExhibitionOrganizer.exhibition_id == exhibition_id)
            .order_by(ExhibitionOrganizer.id)
        )
    )


# --- writes --------------------------------------------------------------------


def create_exhibition(db: Session, actor: User | None, data: dict[str, Any]) -> Exhibition:
    """Create a fair (organizers and administrators); its creator becomes an organizer."""
    actor = require_user(actor)
    if actor.role not in ("organizer", "admin"):
        raise PermissionDenied(_l("Only organizers create exhibitions."))
    clean = validate_exhibition(data)
    exhibition = Exhibition(
        **{f: clean[f] for f in SCHEDULE_FIELDS}, status=clean.get("status", "draft")
    )
    _apply(exhibition, clean)
    db.add(exhibition)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        raise Conflict(_l("An exhibition with this key exists already.")) from None
    db.add(ExhibitionOrganizer(exhibition_id=exhibition.id, user_id=actor.id))
    _sync_tables(db, exhibition, clean["tables"])
    regenerate_slots(db, exhibition)
    db.commit()
    return exhibition


def update_exhibition(
    db: Session, actor: User | None, exhibition_id: int, data: dict[str, Any]
) -> Exhibition:
    """Change a fair's fields (its organizers); slots and tables follow the new schedule."""
    exhibition = editable_exhibition(db, actor, exhibition_id)
    clean = validate_exhibition(data, current=exhibition)
    try:
        _apply(exhibition, clean)
        if "tables" in clean:
            _sync_tables(db, exhibition, clean["tables"])
        if any(f in clean for f in (*SCHEDULE_FIELDS, "breaks")):
            regenerate_slots(db, exhibition)
        for role in ROLES:
            if f"capacity_{role}" in clean:
                promote_waitlisted(db, exhibition, role)
        exhibition.sequence += 1
        exhibition.updated_at = utcnow()
        db.add(exhibition)
        db.commit()
    except IntegrityError:
        db.rollback()
        raise Conflict(_l("An exhibition with this key exists already.")) from None
    except Conflict:
        db.rollback()
        raise
    return exhibition


def set_status(db: Session, actor: User | None, exhibition_id: int, status: str) -> Exhibition:
    """Publish or cancel a fair."""
    return update_exhibition(db, actor, exhibition_id, {"status": status})


def _apply(exhibition: Exhibition, clean: dict[str, Any]) -> None:
    for field, value in clean.items():
        if field not in ("name", "description", "breaks", "tables"):
            setattr(exhibition, field, value)
    if "breaks" in clean:
        exhibition.breaks = [ExhibitionBreak(starts=s, ends=e) for s, e in clean["breaks"]]
    texts = {t.locale: t for t in exhibition.texts}
    for field in ("name", "description"):
        for locale, value in clean.get(field, {}).items():
            row = texts.get(locale)
            if row is None:
                row = texts[locale] = ExhibitionText(locale=locale)
                exhibition.texts.append(row)
            setattr(row, field, value)
    for row in texts.values():
        if not row.name and not row.description:
            exhibition.texts.remove(row)


def _sync_tables(db: Session, exhibition: Exhibition, count: int) -> None:
    """Tables T01..Tnn: growing adds, shrinking refuses to drop a table with a meeting."""
    current = exhibition_tables(db, exhibition.id)
    for position in range(len(current) + 1, count + 1):
        db.add(
            MeetingTable(exhibition_id=exhibition.id, name=f"T{position:02d}", position=position)
        )
    removed = [table.id for table in current if table.position > count]
    if removed:
        busy = db.exec(
            select(func.count(Meeting.id)).where(
                Meeting.table_id.in_(removed), Meeting.status == "accepted"
            )
        ).one()
        if busy:
            raise Conflict(_l("A table to be removed holds accepted meetings; move them first."))
        db.exec(sql_delete(MeetingTable).where(MeetingTable.id.in_(removed)))
    db.flush()


def add_organizer(db: Session, actor: User | None, exhibition_id: int, email: str) -> User:
    """Make the user with this e-mail an organizer of the fair (by an organizer)."""
    editable_exhibition(db, actor, exhibition_id)
    address = (email or "").strip().lower() if isinstance(email, str) else ""
    user = db.exec(select(User).where(User.email == address)).first() if address else None
    if user is None:
        raise ValidationFailed(fields={"email": _l("No account has this e-mail address.")})
    db.add(ExhibitionOrganizer(exhibition_id=exhibition_id, user_id=user.id))
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise Conflict(_l("This person organizes the exhibition already.")) from None
    return user


def remove_organizer(db: Session, actor: User | None, exhibition_id: int, user_id: int) -> None:
    """Remove an organizer; the last one stays (someone must run the fair)."""
    editable_exhibition(db, actor, exhibition_id)
    rows = list(
        db.exec(
            select(ExhibitionOrganizer).where(ExhibitionOrganizer.exhibition_id == exhibition_id)
        )
    )
    row = next((r for r in rows if r.user_id == user_id), None)
    if row is None:
        raise ValidationFailed(fields={"user_id": _l("This person is not an organizer.")})
    if len(rows) == 1:
        raise Conflict(_l("An exhibition keeps at least one organizer."))
    db.delete(row)
    db.commit()
