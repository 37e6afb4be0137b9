"""Slot computation: days × hours, breaks, time zones and DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from matchmaker.errors import Conflict
from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import Slot
from matchmaker.exhibitions.slots import compute_slots
from matchmaker.exhibitions.times import as_utc, local, wall_to_utc

from .conftest import count


def _utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_compute_slots_steps_through_the_day():
    found = compute_slots("UTC", date(2026, 6, 10), date(2026, 6, 10), time(9), time(11), 30)
    assert [start for start, _ in found] == [
        _utc(2026, 6, 10, 9),
        _utc(2026, 6, 10, 9, 30),
        _utc(2026, 6, 10, 10),
        _utc(2026, 6, 10, 10, 30),
    ]
    assert found[0][1] == _utc(2026, 6, 10, 9, 30)


def test_compute_slots_drops_a_last_slot_that_would_overrun_the_day():
    found = compute_slots("UTC", date(2026, 6, 10), date(2026, 6, 10), time(9), time(10), 40)
    assert found == [(_utc(2026, 6, 10, 9), _utc(2026, 6, 10, 9, 40))]


def test_compute_slots_skips_slots_overlapping_a_break():
    found = compute_slots(
        "UTC",
        date(2026, 6, 10),
        date(2026, 6, 10),
        time(11),
        time(14),
        45,
        [(time(12), time(13))],
    )
    # 11:00-11:45 fits; 11:45-12:30 and 12:30-13:15 touch the break; 13:15-14:00 fits.
    assert [start for start, _ in found] == [_utc(2026, 6, 10, 11), _utc(2026, 6, 10, 13, 15)]


def test_compute_slots_in_asia_shanghai_are_eight_hours_ahead_of_utc():
    found = compute_slots(
        "Asia/Shanghai", date(2026, 6, 10), date(2026, 6, 11), time(9), time(10), 60
    )
    assert found == [
        (_utc(2026, 6, 10, 1), _utc(2026, 6, 10, 2)),
        (_utc(2026, 6, 11, 1), _utc(2026, 6, 11, 2)),
    ]


def test_compute_slots_across_the_autumn_dst_change_keep_local_wall_times():
    # Berlin leaves summer time on Sunday 25 October 2026 (03:00 CEST -> 02:00 CET).
    found = compute_slots(
        "Europe/Berlin", date(2026, 10, 24), date(2026, 10, 26), time(9), time(10), 60
    )
    assert [start for start, _ in found] == [
        _utc(2026, 10, 24, 7),
        _utc(2026, 10, 25, 8),
        _utc(2026, 10, 26, 8),
    ]
    assert [local(start, "Europe/Berlin").hour for start, _ in found] == [9, 9, 9]


def test_compute_slots_skip_nonexistent_wall_times_in_spring():
    # 29 March 2026: Berlin clocks jump from 02:00 to 03:00.
    found = compute_slots(
        "Europe/Berlin", date(2026, 3, 29), date(2026, 3, 29), time(1), time(4), 60
    )
    assert [local(start, "Europe/Berlin").time() for start, _ in found] == [time(1), time(3)]
    assert [start for start, _ in found] == [_utc(2026, 3, 29, 0), _utc(2026, 3, 29, 1)]


def test_wall_to_utc_takes_the_first_of_an_ambiguous_hour():
    assert wall_to_utc(date(2026, 10, 25), time(2, 30), "Europe/Berlin") == _utc(
        2026, 10, 25, 0, 30
    )


def test_as_utc_treats_naive_values_as_utc():
    assert as_utc(datetime(2026, 1, 1, 12)) == _utc(2026, 1, 1, 12)


def test_create_exhibition_stores_slots_in_utc(db, make_fair, slots):
    fair = make_fair(breaks=[{"starts": "10:00", "ends": "10:30"}])
    found = [(as_utc(s.starts_at), as_utc(s.ends_at)) for s in slots(fair)]
    assert [start for start, _ in found] == [
        _utc(2026, 6, 10, 1),
        _utc(2026, 6, 10, 1, 30),
        _utc(2026, 6, 10, 2, 30),
        _utc(2026, 6, 10, 3),
        _utc(2026, 6, 10, 3, 30),
        _utc(2026, 6, 11, 1),
        _utc(2026, 6, 11, 1, 30),
        _utc(2026, 6, 11, 2, 30),
        _utc(2026, 6, 11, 3),
        _utc(2026, 6, 11, 3, 30),
    ]


def test_fair_across_dst_change_has_correct_instants(db, make_fair, slots):
    fair = make_fair(
        timezone="Europe/Berlin",
        starts_on="2026-10-24",
        ends_on="2026-10-26",
        day_start="09:00",
        day_end="10:00",
        slot_minutes=60,
    )
    assert [as_utc(s.starts_at) for s in slots(fair)] == [
        _utc(2026, 10, 24, 7),
        _utc(2026, 10, 25, 8),
        _utc(2026, 10, 26, 8),
    ]


def test_update_schedule_keeps_slots_whose_start_remains(db, organizer, make_fair, slots):
    fair = make_fair(day_end="10:00")
    before = {as_utc(s.starts_at): s.id for s in slots(fair)}
    service.update_exhibition(db, organizer, fair.id, {"day_end": "11:00"})
    after = {as_utc(s.starts_at): s.id for s in slots(fair)}
    assert len(after) == 8
    assert {start: after[start] for start in before} == before


def test_update_schedule_refuses_to_drop_a_slot_with_a_meeting(
    db, organizer, make_fair, make_participant, slots
):
    fair = make_fair()
    a, user_a, _ = make_participant(fair)
    b, _, _ = make_participant(fair)
    last = slots(fair)[-1]
    service.request_meeting(db, user_a, fair.id, a.id, b.id, slot_id=last.id)
    with pytest.raises(Conflict):
        service.update_exhibition(db, organizer, fair.id, {"day_end": "11:00"})
    assert count(db, Slot) == 12
    assert db.get(Slot, last.id) is not None
