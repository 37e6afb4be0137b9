"""Meetings: request, accept, decline, propose, cancel, availability; DB-enforced booking."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from matchmaker.errors import Conflict, PermissionDenied, ValidationFailed
from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import Meeting, SlotOccupancy
from matchmaker.profiles.models import GraphChange, Interaction

from .conftest import add_org, add_user, count
from .races import race


@pytest.fixture
def fair(make_fair):
    return make_fair()


@pytest.fixture
def pair(fair, make_participant):
    a, user_a, _ = make_participant(fair, kind="buyer", name="Nordlicht")
    b, user_b, _ = make_participant(fair, name="Haixin")
    return a, user_a, b, user_b


def _fields(error) -> dict[str, str]:
    return {key: str(value) for key, value in error.value.fields.items()}


def _occupancy(db) -> list[tuple[int, int, int | None, str]]:
    rows = db.exec(select(SlotOccupancy).order_by(SlotOccupancy.id)).all()
    return [(r.slot_id, r.organization_id, r.meeting_id, r.kind) for r in rows]


def test_request_meeting_records_the_interaction(db, fair, pair, slots):
    a, user_a, b, _ = pair
    slot = slots(fair)[0]
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, slot.id, "Hello")
    assert (meeting.status, meeting.slot_id, meeting.message, meeting.sequence) == (
        "requested",
        slot.id,
        "Hello",
        0,
    )
    edges = db.exec(select(Interaction.source_id, Interaction.target_id, Interaction.kind)).all()
    assert edges == [(a.id, b.id, "meeting_request")]
    assert count(db, GraphChange) == 2


def test_request_meeting_with_oneself_is_refused(db, fair, pair):
    a, user_a, _b, _ = pair
    with pytest.raises(ValidationFailed) as error:
        service.request_meeting(db, user_a, fair.id, a.id, a.id)
    assert _fields(error) == {"invitee_id": "Choose an organization other than yours."}


def test_request_meeting_slot_outside_the_fair_is_refused(db, make_fair, fair, pair, slots):
    a, user_a, b, _ = pair
    other_fair = make_fair()
    with pytest.raises(ValidationFailed) as error:
        service.request_meeting(db, user_a, fair.id, a.id, b.id, slots(other_fair)[0].id)
    assert _fields(error) == {"slot_id": "Choose one of the exhibition's meeting slots."}


def test_request_meeting_with_unregistered_organization_is_refused(db, fair, pair):
    a, user_a, _b, _ = pair
    outsider = add_org(db)
    with pytest.raises(ValidationFailed) as error:
        service.request_meeting(db, user_a, fair.id, a.id, outsider.id)
    assert _fields(error) == {
        "invitee_id": "This organization is not registered for this exhibition."
    }


def test_request_meeting_with_withdrawn_organization_is_refused(db, fair, pair):
    a, user_a, b, user_b = pair
    registration = service.registration_for(db, user_b, fair.id, b.id)
    service.decide_registration(db, user_b, registration.id, "withdrawn")
    with pytest.raises(ValidationFailed) as error:
        service.request_meeting(db, user_a, fair.id, a.id, b.id)
    assert sorted(error.value.fields) == ["invitee_id"]


def test_request_meeting_past_the_cap_is_refused_and_writes_nothing(
    db, make_fair, make_participant
):
    fair = make_fair(request_cap=2)
    a, user_a, _ = make_participant(fair)
    others = [make_participant(fair)[0] for _ in range(3)]
    for other in others[:2]:
        service.request_meeting(db, user_a, fair.id, a.id, other.id)
    before = (count(db, Meeting), count(db, Interaction), count(db, GraphChange))
    with pytest.raises(ValidationFailed) as error:
        service.request_meeting(db, user_a, fair.id, a.id, others[2].id)
    assert _fields(error) == {
        "requester_id": "You have sent 2 meeting requests, the most this exhibition allows."
    }
    assert (count(db, Meeting), count(db, Interaction), count(db, GraphChange)) == before


def test_duplicate_open_request_conflicts(db, fair, pair):
    a, user_a, b, user_b = pair
    service.request_meeting(db, user_a, fair.id, a.id, b.id)
    with pytest.raises(Conflict):
        service.request_meeting(db, user_b, fair.id, b.id, a.id)
    assert count(db, Meeting) == 1


def test_request_for_another_organization_is_forbidden(db, fair, pair):
    a, _user_a, b, user_b = pair
    with pytest.raises(PermissionDenied):
        service.request_meeting(db, user_b, fair.id, a.id, b.id)


def test_accept_takes_the_first_free_table_and_busies_both(db, fair, pair, slots):
    a, user_a, b, user_b = pair
    slot = slots(fair)[0]
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, slot.id)
    accepted = service.accept_meeting(db, user_b, meeting.id)
    tables = service.exhibition_tables(db, fair.id)
    assert (accepted.status, accepted.slot_id, accepted.table_id, accepted.sequence) == (
        "accepted",
        slot.id,
        tables[0].id,
        1,
    )
    assert _occupancy(db) == [
        (slot.id, a.id, meeting.id, "meeting"),
        (slot.id, b.id, meeting.id, "meeting"),
    ]
    kinds = db.exec(select(Interaction.kind).order_by(Interaction.id)).all()
    assert kinds == ["meeting_request", "meeting"]


def test_accept_by_the_requester_is_forbidden(db, fair, pair, slots):
    a, user_a, b, _ = pair
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, slots(fair)[0].id)
    with pytest.raises(PermissionDenied):
        service.accept_meeting(db, user_a, meeting.id)


def test_accept_without_any_slot_is_refused(db, fair, pair):
    a, user_a, b, user_b = pair
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id)
    with pytest.raises(ValidationFailed) as error:
        service.accept_meeting(db, user_b, meeting.id)
    assert _fields(error) == {"slot_id": "Choose a meeting slot."}


def test_accept_into_a_busy_slot_conflicts_and_writes_nothing(
    db, fair, pair, make_participant, slots
):
    a, user_a, b, user_b = pair
    c, user_c, _ = make_participant(fair, name="Third")
    slot = slots(fair)[0]
    first = service.request_meeting(db, user_a, fair.id, a.id, b.id, slot.id)
    service.accept_meeting(db, user_b, first.id)
    second = service.request_meeting(db, user_c, fair.id, c.id, b.id, slot.id)
    before = _occupancy(db)
    with pytest.raises(Conflict) as error:
        service.accept_meeting(db, user_b, second.id)
    assert str(error.value.message) == "Haixin already has a meeting in this slot."
    assert _occupancy(db) == before
    assert db.get(Meeting, second.id).status == "requested"


def test_accept_into_an_unavailable_slot_conflicts(db, fair, pair, slots):
    a, user_a, b, user_b = pair
    slot = slots(fair)[0]
    service.set_unavailability(db, user_a, fair.id, a.id, [slot.id])
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, slot.id)
    with pytest.raises(Conflict) as error:
        service.accept_meeting(db, user_b, meeting.id)
    assert str(error.value.message) == "Nordlicht is unavailable in this slot."


def test_accept_when_no_table_is_free_conflicts(db, make_fair, make_participant, slots):
    fair = make_fair(tables=1)
    slot = slots(fair)[0]
    (a, ua, _), (b, ub, _) = make_participant(fair), make_participant(fair)
    (c, uc, _), (d, ud, _) = make_participant(fair), make_participant(fair)
    service.accept_meeting(db, ub, service.request_meeting(db, ua, fair.id, a.id, b.id, slot.id).id)
    second = service.request_meeting(db, uc, fair.id, c.id, d.id, slot.id)
    with pytest.raises(Conflict) as error:
        service.accept_meeting(db, ud, second.id)
    assert str(error.value.message) == "No meeting table is free in this slot."


def test_database_forbids_a_meeting_where_one_side_is_unavailable(db, fair, pair, slots):
    a, user_a, b, user_b = pair
    slot = slots(fair)[0]
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, slot.id)
    service.accept_meeting(db, user_b, meeting.id)
    db.add(SlotOccupancy(slot_id=slot.id, organization_id=a.id, kind="unavailable"))
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def test_database_forbids_two_accepted_meetings_at_one_table(db, fair, pair, slots):
    a, _ua, b, _ub = pair
    slot, table = slots(fair)[0], service.exhibition_tables(db, fair.id)[0]
    for requester, invitee in ((a.id, b.id), (b.id, a.id)):
        db.add(
            Meeting(
                exhibition_id=fair.id,
                requester_id=requester,
                invitee_id=invitee,
                slot_id=slot.id,
                table_id=table.id,
                status="accepted",
            )
        )
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def test_decline_records_the_reason(db, fair, pair):
    a, user_a, b, user_b = pair
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id)
    declined = service.decline_meeting(db, user_b, meeting.id, "No budget this year")
    assert (declined.status, declined.reason, declined.sequence) == (
        "declined",
        "No budget this year",
        1,
    )


def test_propose_then_requester_accepts_the_proposed_slot(db, fair, pair, slots):
    a, user_a, b, user_b = pair
    first, second = slots(fair)[:2]
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, first.id)
    proposed = service.propose_slot(db, user_b, meeting.id, second.id)
    assert (proposed.proposed_slot_id, proposed.proposed_by_id) == (second.id, b.id)
    with pytest.raises(PermissionDenied):
        service.accept_meeting(db, user_b, meeting.id)
    accepted = service.accept_meeting(db, user_a, meeting.id)
    assert (accepted.status, accepted.slot_id, accepted.proposed_slot_id, accepted.sequence) == (
        "accepted",
        second.id,
        None,
        2,
    )


def test_cancel_frees_the_slot_and_keeps_the_row(db, fair, pair, slots):
    a, user_a, b, user_b = pair
    slot = slots(fair)[0]
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, slot.id)
    service.accept_meeting(db, user_b, meeting.id)
    cancelled = service.cancel_meeting(db, user_a, meeting.id, "Flight cancelled")
    assert (cancelled.status, cancelled.slot_id, cancelled.reason, cancelled.sequence) == (
        "cancelled",
        slot.id,
        "Flight cancelled",
        2,
    )
    assert _occupancy(db) == []


def test_cancel_by_a_stranger_is_forbidden(db, fair, pair, make_member):
    a, user_a, b, _ = pair
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id)
    _org, stranger = make_member()
    with pytest.raises(PermissionDenied):
        service.cancel_meeting(db, stranger, meeting.id)


def test_mark_held_after_accepting(db, fair, pair, slots):
    a, user_a, b, user_b = pair
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, slots(fair)[0].id)
    service.accept_meeting(db, user_b, meeting.id)
    assert service.update_meeting(db, user_a, meeting.id, "held").status == "held"
    with pytest.raises(ValidationFailed):
        service.update_meeting(db, user_a, meeting.id, "postponed")


def test_declined_meeting_cannot_be_accepted(db, fair, pair, slots):
    a, user_a, b, user_b = pair
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, slots(fair)[0].id)
    service.decline_meeting(db, user_b, meeting.id)
    with pytest.raises(Conflict):
        service.accept_meeting(db, user_b, meeting.id)


def test_set_unavailability_replaces_the_set(db, fair, pair, slots):
    a, user_a, _b, _ = pair
    first, second, third = (s.id for s in slots(fair)[:3])
    service.set_unavailability(db, user_a, fair.id, a.id, [first, second])
    service.set_unavailability(db, user_a, fair.id, a.id, [second, third])
    assert service.busy_slot_ids(db, user_a, fair.id, a.id) == {
        second: "unavailable",
        third: "unavailable",
    }


def test_set_unavailability_over_a_meeting_conflicts(db, fair, pair, slots):
    a, user_a, b, user_b = pair
    slot = slots(fair)[0]
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, slot.id)
    service.accept_meeting(db, user_b, meeting.id)
    with pytest.raises(Conflict):
        service.set_unavailability(db, user_a, fair.id, a.id, [slot.id])


def test_set_unavailability_foreign_slot_is_refused(db, make_fair, fair, pair, slots):
    a, user_a, _b, _ = pair
    with pytest.raises(ValidationFailed):
        service.set_unavailability(db, user_a, fair.id, a.id, [slots(make_fair())[0].id])


def test_list_meetings_of_another_organization_is_forbidden(db, fair, pair, make_member):
    a, _ua, _b, _ub = pair
    _org, stranger = make_member()
    with pytest.raises(PermissionDenied):
        service.list_meetings(db, stranger, fair.id, a.id)


def test_concurrent_accepts_for_one_organization_in_one_slot_have_one_winner(
    app, db, make_fair, slots
):
    fair = make_fair(tables=20)
    slot = slots(fair)[0]
    host = add_org(db, name="Host")
    host_user = add_user(db, organization_id=host.id)
    service.register(db, host_user, fair.id, host.id, "exhibitor")
    meeting_ids = []
    for _ in range(12):
        guest = add_org(db, kind="buyer")
        guest_user = add_user(db, organization_id=guest.id)
        service.register(db, guest_user, fair.id, guest.id, "buyer")
        meeting_ids.append(
            service.request_meeting(db, guest_user, fair.id, guest.id, host.id, slot.id).id
        )

    def attempt(session, index):
        return service.accept_meeting(session, host_user, meeting_ids[index]).id

    results, errors = race(app.extensions["matchmaker.engine"], 12, attempt)
    assert len(results) == 1
    assert [str(e.message) for e in errors] == ["Host already has a meeting in this slot."] * 11
    accepted = db.exec(select(Meeting.id).where(Meeting.status == "accepted")).all()
    assert accepted == results
    assert len(_occupancy(db)) == 2


def test_concurrent_accepts_share_the_tables_without_double_booking(app, db, make_fair, slots):
    fair = make_fair(tables=3)
    slot = slots(fair)[0]
    pairs = []
    for _ in range(12):
        ids = []
        for kind in ("buyer", "provider"):
            org = add_org(db, kind=kind)
            user = add_user(db, organization_id=org.id)
            service.register(db, user, fair.id, org.id, "exhibitor")
            ids.append((org.id, user))
        (a, user_a), (b, user_b) = ids
        pairs.append((service.request_meeting(db, user_a, fair.id, a, b, slot.id).id, user_b))

    def attempt(session, index):
        meeting_id, user = pairs[index]
        return service.accept_meeting(session, user, meeting_id).table_id

    results, errors = race(app.extensions["matchmaker.engine"], 12, attempt)
    tables = [t.id for t in service.exhibition_tables(db, fair.id)]
    assert sorted(results) == tables
    assert [str(e.message) for e in errors] == ["No meeting table is free in this slot."] * 9
