"""The scheduler against the database: its guarantees, the preview token, notifications."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from matchmaker.errors import Conflict, NotAuthenticated, PermissionDenied, ValidationFailed
from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import Exhibition, Meeting, Registration, SlotOccupancy
from matchmaker.notifications.models import Notification
from matchmaker.scheduler import preferences as prefs
from matchmaker.scheduler import service as scheduler

from .conftest import add_user, count


@pytest.fixture
def fair(make_fair):
    return make_fair()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def _request(db, fair, a, b, slot_id=None):
    (org_a, user_a, _), (org_b, _user_b, _) = a, b
    return service.request_meeting(db, user_a, fair.id, org_a.id, org_b.id, slot_id)


def _bookings(db, fair_id):
    """(slot, org) of every meeting occupancy and (slot, table) of every accepted meeting."""
    occ = db.exec(
        select(SlotOccupancy.slot_id, SlotOccupancy.organization_id).where(
            SlotOccupancy.kind == "meeting"
        )
    ).all()
    tables = db.exec(
        select(Meeting.slot_id, Meeting.table_id).where(
            Meeting.exhibition_id == fair_id, Meeting.status == "accepted"
        )
    ).all()
    return occ, tables


def test_commit_places_requests_without_double_booking(ctx, db, fair, organizer, make_participant):
    host = make_participant(fair, name="Host")
    guests = [make_participant(fair, role="buyer", kind="buyer") for _ in range(5)]
    ids = [_request(db, fair, g, host).id for g in guests]

    result = scheduler.commit(db, organizer, fair.id)

    assert sorted(m.meeting_id for m in result.placed) == sorted(ids)
    db.expire_all()
    meetings = [db.get(Meeting, i) for i in ids]
    assert {m.status for m in meetings} == {"accepted"}
    assert {m.placed_by for m in meetings} == {"scheduler"}
    assert len({m.slot_id for m in meetings}) == 5  # the host is in one place per slot
    occ, tables = _bookings(db, fair.id)
    assert len(occ) == len(set(occ)) == 10
    assert len(tables) == len(set(tables)) == 5
    assert db.get(Exhibition, fair.id).schedule_published_at is not None


def test_tables_limit_meetings_in_one_slot(ctx, db, make_fair, organizer, make_participant):
    fair = make_fair(tables=1, ends_on="2026-06-10", day_end="09:30")  # one slot, one table
    pairs = [
        (make_participant(fair, role="buyer", kind="buyer"), make_participant(fair))
        for _ in range(3)
    ]
    ids = [_request(db, fair, a, b).id for a, b in pairs]

    result = scheduler.preview(db, organizer, fair.id)

    assert len(result.placed) == 1
    placed = result.placed[0].meeting_id
    assert sorted(u.meeting_id for u in result.unplaced) == sorted(set(ids) - {placed})
    assert {u.reason for u in result.unplaced} == {"tables_full"}


def test_availability_is_respected(ctx, db, fair, organizer, make_participant, slots):
    a, b = make_participant(fair, role="buyer", kind="buyer"), make_participant(fair)
    all_slots = [s.id for s in slots(fair)]
    service.set_unavailability(db, a[1], fair.id, a[0].id, all_slots[:-1])
    meeting = _request(db, fair, a, b)

    scheduler.commit(db, organizer, fair.id)

    db.expire_all()
    assert db.get(Meeting, meeting.id).slot_id == all_slots[-1]


def test_no_common_slot_is_reported(ctx, db, fair, organizer, make_participant, slots):
    a, b = make_participant(fair, role="buyer", kind="buyer"), make_participant(fair)
    all_slots = [s.id for s in slots(fair)]
    service.set_unavailability(db, a[1], fair.id, a[0].id, all_slots[:6])
    service.set_unavailability(db, b[1], fair.id, b[0].id, all_slots[6:])
    meeting = _request(db, fair, a, b)

    result = scheduler.preview(db, organizer, fair.id)

    assert result.placed == []
    assert [(u.meeting_id, u.reason) for u in result.unplaced] == [(meeting.id, "no_common_slot")]


def test_caps_are_respected(ctx, db, fair, organizer, make_participant):
    host = make_participant(fair, name="Capped host")
    prefs.set_meeting_cap(db, host[1], fair.id, host[0].id, 2)
    guests = [make_participant(fair, role="buyer", kind="buyer") for _ in range(4)]
    for g in guests:
        _request(db, fair, g, host)

    result = scheduler.commit(db, organizer, fair.id)

    assert len(result.placed) == 2
    assert {u.reason for u in result.unplaced} == {"cap_reached"}
    accepted = db.exec(
        select(func.count(Meeting.id)).where(
            Meeting.invitee_id == host[0].id, Meeting.status == "accepted"
        )
    ).one()
    assert accepted == 2


def test_accepted_and_locked_meetings_are_untouched_and_rerun_only_adds(
    ctx, db, fair, organizer, make_participant, slots
):
    a, b, c = (make_participant(fair) for _ in range(3))
    first = _request(db, fair, a, b, slots(fair)[3].id)
    service.accept_meeting(db, b[1], first.id)
    scheduler.set_meeting_lock(db, organizer, first.id, True)
    second = _request(db, fair, a, c)
    scheduler.commit(db, organizer, fair.id)
    db.expire_all()
    before = {
        m.id: (m.slot_id, m.table_id, m.sequence)
        for m in db.exec(select(Meeting).where(Meeting.status == "accepted"))
    }
    third = _request(db, fair, b, c)

    again = scheduler.commit(db, organizer, fair.id)

    db.expire_all()
    after = {
        m.id: (m.slot_id, m.table_id, m.sequence)
        for m in db.exec(select(Meeting).where(Meeting.status == "accepted"))
    }
    assert before[first.id] == (slots(fair)[3].id, before[first.id][1], before[first.id][2])
    assert {k: after[k] for k in before} == before
    assert set(after) == {first.id, second.id, third.id}
    assert [m.meeting_id for m in again.placed] == [third.id]
    assert db.get(Meeting, first.id).locked is True


def test_no_thanks_is_never_placed(ctx, db, fair, organizer, make_participant):
    a, b = make_participant(fair, role="buyer", kind="buyer"), make_participant(fair)
    meeting = _request(db, fair, a, b)
    prefs.set_preference(db, b[1], fair.id, b[0].id, a[0].id, "no_thanks")

    result = scheduler.commit(db, organizer, fair.id)

    assert result.placed == []
    assert [(u.meeting_id, u.reason) for u in result.unplaced] == [(meeting.id, "declined")]
    db.expire_all()
    assert db.get(Meeting, meeting.id).status == "requested"


def test_mutual_preferences_create_meetings(ctx, db, fair, organizer, make_participant):
    a, b, c = (make_participant(fair) for _ in range(3))
    prefs.set_preference(db, a[1], fair.id, a[0].id, b[0].id, "would_like")
    prefs.set_preference(db, b[1], fair.id, b[0].id, a[0].id, "must")
    prefs.set_preference(db, a[1], fair.id, a[0].id, c[0].id, "must")  # one-sided: not enough

    result = scheduler.commit(db, organizer, fair.id)

    assert [(m.meeting_id, m.requester_id, m.invitee_id) for m in result.placed] == [
        (None, b[0].id, a[0].id)
    ]
    assert result.placed[0].weight >= 400
    made = db.exec(select(Meeting).where(Meeting.exhibition_id == fair.id)).all()
    assert [(m.requester_id, m.invitee_id, m.status, m.placed_by) for m in made] == [
        (b[0].id, a[0].id, "accepted", "scheduler")
    ]


def test_must_outranks_would_like_when_tables_are_short(
    ctx, db, make_fair, organizer, make_participant
):
    fair = make_fair(tables=1, ends_on="2026-06-10", day_end="09:30")
    host = make_participant(fair)
    keen, mild = (make_participant(fair, role="buyer", kind="buyer") for _ in range(2))
    mild_meeting = _request(db, fair, mild, host)
    keen_meeting = _request(db, fair, keen, host)
    prefs.set_preference(db, keen[1], fair.id, keen[0].id, host[0].id, "must")

    result = scheduler.preview(db, organizer, fair.id)

    assert [m.meeting_id for m in result.placed] == [keen_meeting.id]
    assert [u.meeting_id for u in result.unplaced] == [mild_meeting.id]


def test_notifications_are_written_once_per_organization(
    ctx, db, fair, organizer, make_participant
):
    host = make_participant(fair)
    guests = [make_participant(fair, role="buyer", kind="buyer") for _ in range(2)]
    for g in guests:
        _request(db, fair, g, host)

    scheduler.commit(db, organizer, fair.id)

    rows = db.exec(select(Notification).where(Notification.kind == "schedule_published")).all()
    by_user = {n.user_id: n for n in rows}
    assert len(rows) == 3
    assert by_user[host[1].id].params == {
        "fair": {"en": "Service Outsourcing Fair", "zh_Hans": "服务外包交易会"},
        "count": 2,
    }
    assert by_user[guests[0][1].id].params["count"] == 1
    assert by_user[host[1].id].link == f"/exhibitions/{fair.id}/agenda"


def test_dry_run_writes_nothing(ctx, db, fair, organizer, make_participant):
    a, b = make_participant(fair, role="buyer", kind="buyer"), make_participant(fair)
    meeting = _request(db, fair, a, b)
    occupied, notified = count(db, SlotOccupancy), count(db, Notification)

    result = scheduler.preview(db, organizer, fair.id)

    assert [m.meeting_id for m in result.placed] == [meeting.id]
    db.expire_all()
    assert db.get(Meeting, meeting.id).status == "requested"
    assert (count(db, SlotOccupancy), count(db, Notification)) == (occupied, notified)
    assert db.get(Exhibition, fair.id).schedule_published_at is None


def test_commit_with_the_preview_token_writes_the_preview(
    ctx, db, fair, organizer, make_participant
):
    pairs = [(make_participant(fair, role="buyer", kind="buyer"), make_participant(fair))]
    pairs.append((pairs[0][0], make_participant(fair)))
    for a, b in pairs:
        _request(db, fair, a, b)
    shown = scheduler.preview(db, organizer, fair.id)

    done = scheduler.commit(db, organizer, fair.id, shown.token)

    assert [(m.key, m.slot_id, m.table_id) for m in done.placed] == [
        (m.key, m.slot_id, m.table_id) for m in shown.placed
    ]


def test_commit_after_a_concurrent_acceptance_conflicts_and_writes_nothing(
    ctx, db, fair, organizer, make_participant
):
    a, b, c = (make_participant(fair) for _ in range(3))
    first = _request(db, fair, a, b)
    second = _request(db, fair, a, c)
    shown = scheduler.preview(db, organizer, fair.id)
    service.accept_meeting(db, b[1], first.id, shown.placed[0].slot_id)
    occupied, notified = count(db, SlotOccupancy), count(db, Notification)

    with pytest.raises(Conflict) as raised:
        scheduler.commit(db, organizer, fair.id, shown.token)

    assert str(raised.value.message) == "The meetings changed since the preview; run it again."
    db.expire_all()
    assert db.get(Meeting, second.id).status == "requested"
    assert (count(db, SlotOccupancy), count(db, Notification)) == (occupied, notified)
    assert db.get(Exhibition, fair.id).schedule_published_at is None


def test_a_forged_token_is_refused(ctx, db, fair, organizer):
    for token in ("nonsense", "v1.abc.def", "v1." + "0" * 32 + ".!!!"):
        with pytest.raises(ValidationFailed):
            scheduler.commit(db, organizer, fair.id, token)


def test_a_token_placing_something_else_is_stale(ctx, db, fair, organizer, make_participant):
    a, b = make_participant(fair, role="buyer", kind="buyer"), make_participant(fair)
    _request(db, fair, a, b)
    shown = scheduler.preview(db, organizer, fair.id)
    forged = scheduler._encode(shown.token.split(".")[1], {999_999: (1, 1)})

    with pytest.raises(Conflict):
        scheduler.commit(db, organizer, fair.id, forged)


def test_only_organizers_run_the_scheduler(ctx, db, fair, make_participant):
    _org, user, _ = make_participant(fair)
    with pytest.raises(PermissionDenied):
        scheduler.preview(db, user, fair.id)
    with pytest.raises(PermissionDenied):
        scheduler.commit(db, user, fair.id)
    with pytest.raises(NotAuthenticated):
        scheduler.preview(db, None, fair.id)


def test_a_draft_fair_is_not_committed(ctx, db, make_fair, organizer):
    draft = make_fair(status="draft")
    with pytest.raises(Conflict):
        scheduler.commit(db, organizer, draft.id)


def test_lock_needs_an_accepted_meeting_and_an_organizer(
    ctx, db, fair, organizer, make_participant
):
    a, b = make_participant(fair, role="buyer", kind="buyer"), make_participant(fair)
    meeting = _request(db, fair, a, b)
    with pytest.raises(Conflict):
        scheduler.set_meeting_lock(db, organizer, meeting.id, True)
    with pytest.raises(PermissionDenied):
        scheduler.set_meeting_lock(db, add_user(db), meeting.id, True)


def test_withdrawn_participants_are_not_scheduled(ctx, db, fair, organizer, make_participant):
    a, b = make_participant(fair, role="buyer", kind="buyer"), make_participant(fair)
    _request(db, fair, a, b)
    registration = db.exec(
        select(Registration).where(Registration.organization_id == b[0].id)
    ).one()
    registration.status = "withdrawn"
    db.add(registration)
    db.commit()

    result = scheduler.preview(db, organizer, fair.id)

    assert (result.placed, result.candidates) == ([], 0)


def test_a_locked_meeting_moves_or_ends_only_by_the_organizers(
    db, make_fair, make_participant, slots, organizer
):
    fair = make_fair()
    a, user_a, _ = make_participant(fair)
    b, user_b, _ = make_participant(fair, role="buyer", kind="buyer")
    free = slots(fair)
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, free[0].id)
    service.accept_meeting(db, user_b, meeting.id)
    scheduler.set_meeting_lock(db, organizer, meeting.id, True)

    with pytest.raises(Conflict):
        service.propose_slot(db, user_a, meeting.id, free[1].id, a.id)
    with pytest.raises(Conflict):
        service.cancel_meeting(db, user_b, meeting.id, "")
    assert db.get(Meeting, meeting.id).status == "accepted"

    service.cancel_meeting(db, organizer, meeting.id, "Hall closed")
    assert db.get(Meeting, meeting.id).status == "cancelled"
