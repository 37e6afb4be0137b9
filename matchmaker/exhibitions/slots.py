"""Meeting slots: computed from the fair's days, hours, slot length and breaks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete as sql_delete
from sqlalchemy import or_
from sqlmodel import Session, select

from matchmaker.errors import Conflict

from .models import Exhibition, Meeting, Slot
from .times import as_utc, days, wall_to_utc


def compute_slots(
    tz: str,
    starts_on: date,
    ends_on: date,
    day_start: time,
    day_end: time,
    slot_minutes: int,
    breaks: Iterable[tuple[time, time]] = (),
) -> list[tuple[datetime, datetime]]:
    """Return (start, end) UTC instants of every slot, in order.

    Each day runs [day_start, day_end) in steps of ``slot_minutes`` local wall time; a slot
    overlapping a break is skipped, and so is one starting at a wall time that does not
    exist (spring DST gap). A slot lasts ``slot_minutes`` of real time.
    """
    step = timedelta(minutes=slot_minutes)
    pauses = list(breaks)
    found: list[tuple[datetime, datetime]] = []
    for day in days(starts_on, ends_on):
        cursor, end = datetime.combine(day, day_start), datetime.combine(day, day_end)
        while cursor + step <= end:
            slot_start, slot_end = cursor.time(), (cursor + step).time()
            cursor += step
            if any(b_start < slot_end and b_end > slot_start for b_start, b_end in pauses):
                continue
            instant = wall_to_utc(day, slot_start, tz)
            if instant is not None:
                found.append((instant, instant + step))
    return found


def slots_for(exhibition: Exhibition) -> list[tuple[datetime, datetime]]:
    return compute_slots(
        exhibition.timezone,
        exhibition.starts_on,
        exhibition.ends_on,
        exhibition.day_start,
        exhibition.day_end,
        exhibition.slot_minutes,
        [(b.starts, b.ends) for b in exhibition.breaks],
    )


def regenerate_slots(db: Session, exhibition: Exhibition) -> None:
    """Bring the fair's slots in line with its schedule (part of the caller's transaction).

    Slots whose start remains are kept (their meetings with them); a slot that would go
    while it holds a requested or accepted meeting refuses the change (Conflict).
    """
    wanted = dict(slots_for(exhibition))
    existing = {as_utc(s.starts_at): s for s in db.exec(_slots_query(exhibition.id))}
    removed = [slot.id for start, slot in existing.items() if start not in wanted]
    if removed:
        held = db.exec(
            select(Meeting.id)
            .where(
                Meeting.status.in_(("requested", "accepted")),
                or_(Meeting.slot_id.in_(removed), Meeting.proposed_slot_id.in_(removed)),
            )
            .limit(1)
        ).first()
        if held is not None:
            raise Conflict(
                _l("Slots this change removes hold meetings; move or cancel them first.")
            )
        db.exec(sql_delete(Slot).where(Slot.id.in_(removed)))
    for start, end in wanted.items():
        slot = existing.get(start)
        if slot is None:
            db.add(Slot(exhibition_id=exhibition.id, starts_at=start, ends_at=end))
        elif as_utc(slot.ends_at) != end:
            slot.ends_at = end
            db.add(slot)
    db.flush()


def _slots_query(exhibition_id: int):
    return select(Slot).where(Slot.exhibition_id == exhibition_id).order_by(Slot.starts_at)


def fair_slots(db: Session, exhibition_id: int) -> list[Slot]:
    """The fair's slots in time order."""
    return list(db.exec(_slots_query(exhibition_id)))
