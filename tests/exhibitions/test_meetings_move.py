"""Moving an accepted meeting: propose a new slot, the other side accepts, all or nothing."""

from __future__ import annotations

from datetime import datetime

import pytest
from icalendar import Calendar
from sqlmodel import select

from matchmaker.errors import Conflict, PermissionDenied, ValidationFailed
from matchmaker.exhibitions import meetings, service
from matchmaker.exhibitions.models import Meeting, MeetingTable, SlotOccupancy
from matchmaker.exhibitions.times import as_utc


@pytest.fixture
def fair(make_fair):
    return make_fair()


@pytest.fixture
def accepted(db, fair, make_participant, slots):
    a, user_a, _ = make_participant(fair, kind="buyer", name="Nordlicht")
    b, user_b, _ = make_participant(fair, name="Haixin")
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, slots(fair)[0].id)
    service.accept_meeting(db, user_b, meeting.id)
    return meeting, a, user_a, b, user_b


def _occupancy(db, meeting_id: int) -> list[tuple[int, int]]:
    rows = db.exec(
        select(SlotOccupancy.slot_id, SlotOccupancy.organization_id)
        .where(SlotOccupancy.meeting_id == meeting_id)
        .order_by(SlotOccupancy.organization_id)
    )
    return list(rows.all())


def _table_name(db, table_id: int) -> str:
    return db.get(MeetingTable, table_id).name


def _fields(error) -> dict[str, str]:
    return {key: str(value) for key, value in error.value.fields.items()}


def test_propose_move_keeps_the_meeting_in_its_slot(db, fair, accepted, slots):
    meeting, a, user_a, b, _ub = accepted
    first, second = slots(fair)[:2]
    proposed = service.propose_slot(db, user_a, meeting.id, second.id)
    assert (
        proposed.status,
        proposed.slot_id,
        proposed.proposed_slot_id,
        proposed.proposed_by_id,
    ) == (
        "accepted",
        first.id,
        second.id,
        a.id,
    )
    assert _occupancy(db, meeting.id) == [(first.id, a.id), (first.id, b.id)]


def test_accepting_a_move_moves_occupancy_table_and_sequence(db, fair, accepted, slots):
    meeting, a, user_a, b, user_b = accepted
    second = slots(fair)[1]
    before = db.get(Meeting, meeting.id).sequence
    service.propose_slot(db, user_a, meeting.id, second.id)
    moved = service.accept_meeting(db, user_b, meeting.id)
    assert (moved.status, moved.slot_id, moved.proposed_slot_id, moved.proposed_by_id) == (
        "accepted",
        second.id,
        None,
        None,
    )
    assert _table_name(db, moved.table_id) == "T01"
    assert moved.sequence == before + 2  # the proposal, then the move
    assert _occupancy(db, meeting.id) == [(second.id, a.id), (second.id, b.id)]


def test_the_proposer_cannot_accept_their_own_move(db, fair, accepted, slots):
    meeting, _a, user_a, _b, _ub = accepted
    service.propose_slot(db, user_a, meeting.id, slots(fair)[1].id)
    with pytest.raises(PermissionDenied):
        service.accept_meeting(db, user_a, meeting.id)


def test_move_into_a_busy_slot_is_refused_and_changes_nothing(
    db, fair, accepted, make_participant, slots
):
    meeting, a, user_a, b, user_b = accepted
    first, second = slots(fair)[:2]
    service.propose_slot(db, user_a, meeting.id, second.id)
    # Meanwhile the invitee accepts another meeting in the proposed slot.
    c, user_c, _ = make_participant(fair, kind="buyer", name="Andes Seguros")
    other = service.request_meeting(db, user_c, fair.id, c.id, b.id, second.id)
    service.accept_meeting(db, user_b, other.id)
    with pytest.raises(Conflict) as error:
        service.accept_meeting(db, user_b, meeting.id)
    assert str(error.value.message) == "Haixin already has a meeting in this slot."
    kept = db.get(Meeting, meeting.id)
    db.refresh(kept)
    assert (kept.status, kept.slot_id, kept.proposed_slot_id) == ("accepted", first.id, second.id)
    assert _occupancy(db, meeting.id) == [(first.id, a.id), (first.id, b.id)]


def test_proposing_a_busy_slot_is_refused(db, fair, accepted, slots):
    meeting, a, user_a, _b, _ub = accepted
    second = slots(fair)[1]
    service.set_unavailability(db, user_a, fair.id, a.id, [second.id])
    with pytest.raises(Conflict) as error:
        service.propose_slot(db, user_a, meeting.id, second.id)
    assert str(error.value.message) == "Nordlicht is unavailable in this slot."


def test_proposing_the_current_slot_is_refused(db, fair, accepted, slots):
    meeting, _a, user_a, _b, _ub = accepted
    with pytest.raises(ValidationFailed) as error:
        service.propose_slot(db, user_a, meeting.id, slots(fair)[0].id)
    assert _fields(error) == {"slot_id": "The meeting is in this slot already."}


def test_accepting_a_move_into_another_slot_than_proposed_is_refused(db, fair, accepted, slots):
    meeting, _a, user_a, _b, user_b = accepted
    service.propose_slot(db, user_a, meeting.id, slots(fair)[1].id)
    with pytest.raises(ValidationFailed) as error:
        service.accept_meeting(db, user_b, meeting.id, slots(fair)[2].id)
    assert _fields(error) == {"slot_id": "Accept the proposed slot or decline it."}


def test_declining_a_move_keeps_the_meeting(db, fair, accepted, slots):
    meeting, a, user_a, b, user_b = accepted
    first, second = slots(fair)[:2]
    service.propose_slot(db, user_a, meeting.id, second.id)
    kept = meetings.drop_proposal(db, user_b, meeting.id)
    assert (kept.status, kept.slot_id, kept.proposed_slot_id, kept.proposed_by_id) == (
        "accepted",
        first.id,
        None,
        None,
    )
    assert _occupancy(db, meeting.id) == [(first.id, a.id), (first.id, b.id)]
    with pytest.raises(Conflict):
        meetings.drop_proposal(db, user_b, meeting.id)


def test_move_takes_a_free_table_in_the_new_slot(db, fair, accepted, make_participant, slots):
    meeting, _a, user_a, _b, user_b = accepted
    second = slots(fair)[1]
    c, user_c, _ = make_participant(fair, kind="buyer", name="Gulf Logistics")
    d, user_d, _ = make_participant(fair, name="Tianfu Data")
    other = service.request_meeting(db, user_c, fair.id, c.id, d.id, second.id)
    service.accept_meeting(db, user_d, other.id)  # takes T01 in the second slot
    service.propose_slot(db, user_a, meeting.id, second.id)
    moved = service.accept_meeting(db, user_b, meeting.id)
    assert _table_name(db, moved.table_id) == "T02"


def test_ics_after_a_move_has_the_new_start_same_uid_higher_sequence(db, fair, accepted, slots):
    meeting, a, user_a, _b, user_b = accepted
    second = slots(fair)[1]
    uid = f"meeting-{meeting.id}@matchmaker"

    def event():
        calendar = Calendar.from_ical(service.agenda_ics(db, fair, a.id, "en"))
        return {str(e["UID"]): e for e in calendar.walk("VEVENT")}[uid]

    before = event()
    service.propose_slot(db, user_a, meeting.id, second.id)
    service.accept_meeting(db, user_b, meeting.id)
    after = event()
    start = after.decoded("DTSTART")
    assert isinstance(start, datetime)
    assert as_utc(start) == as_utc(second.starts_at)
    assert str(after["UID"]) == uid
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert str(after["STATUS"]) == "CONFIRMED"
