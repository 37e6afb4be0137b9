"""iCalendar exports and feed addresses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from matchmaker.errors import NotFound
from matchmaker.exhibitions import service


def _events(ics: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(ics)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def _zones(ics: bytes) -> list[str]:
    return [str(tz["TZID"]) for tz in Calendar.from_ical(ics).walk("VTIMEZONE")]


@pytest.fixture
def fair(make_fair):
    return make_fair(
        timezone="Europe/Berlin",
        starts_on="2026-10-24",
        ends_on="2026-10-26",
        day_start="09:00",
        day_end="11:00",
        slot_minutes=30,
        venue="Messe Berlin",
    )


@pytest.fixture
def accepted(db, fair, make_participant, slots):
    a, user_a, _ = make_participant(fair, name="Nordlicht")
    b, user_b, _ = make_participant(fair, name="Haixin")
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, slots(fair)[0].id)
    service.accept_meeting(db, user_b, meeting.id)
    return meeting, a, user_a, b, user_b


def test_agenda_ics_exports_an_accepted_meeting(db, fair, accepted):
    meeting, a, _ua, b, _ub = accepted
    ics = service.agenda_ics(db, fair, a.id, "en", base_url="https://mm.example/")
    event = _events(ics)[f"meeting-{meeting.id}@matchmaker"]
    assert str(event["SUMMARY"]) == "Meeting: Haixin"
    assert str(event["LOCATION"]) == "Messe Berlin · table T01"
    assert str(event["DESCRIPTION"]) == f"https://mm.example/organizations/{b.id}"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == 1
    start = event.decoded("DTSTART")
    assert (str(start.tzinfo), start.astimezone(UTC)) == (
        "Europe/Berlin",
        datetime(2026, 10, 24, 7, tzinfo=UTC),
    )
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert _zones(ics) == ["Europe/Berlin"]


def test_agenda_ics_other_side_sees_the_requester(db, fair, accepted):
    meeting, _a, _ua, b, _ub = accepted
    event = _events(service.agenda_ics(db, None, b.id, "en"))[f"meeting-{meeting.id}@matchmaker"]
    assert str(event["SUMMARY"]) == "Meeting: Nordlicht"


def test_agenda_ics_in_chinese(db, fair, accepted):
    _meeting, a, _ua, _b, _ub = accepted
    assert b"SUMMARY:" in service.agenda_ics(db, fair, a.id, "zh_Hans")


def test_agenda_ics_leaves_out_requested_meetings(db, fair, make_participant):
    a, user_a, _ = make_participant(fair)
    b, _ub, _ = make_participant(fair)
    service.request_meeting(db, user_a, fair.id, a.id, b.id)
    assert _events(service.agenda_ics(db, fair, a.id, "en")) == {}


def test_moving_a_meeting_keeps_its_uid_and_raises_sequence(db, fair, make_participant, slots):
    a, user_a, _ = make_participant(fair)
    b, user_b, _ = make_participant(fair)
    first, second = slots(fair)[:2]
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, first.id)
    service.propose_slot(db, user_b, meeting.id, second.id)
    service.accept_meeting(db, user_a, meeting.id)
    event = _events(service.agenda_ics(db, fair, a.id, "en"))[f"meeting-{meeting.id}@matchmaker"]
    assert event["SEQUENCE"] == 2
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2026, 10, 24, 7, 30, tzinfo=UTC)


def test_cancelled_meeting_is_exported_as_cancelled(db, fair, accepted):
    meeting, a, user_a, _b, _ub = accepted
    service.cancel_meeting(db, user_a, meeting.id)
    event = _events(service.agenda_ics(db, fair, a.id, "en"))[f"meeting-{meeting.id}@matchmaker"]
    assert (str(event["STATUS"]), event["SEQUENCE"]) == ("CANCELLED", 2)


def test_agenda_ics_includes_chosen_sessions(db, organizer, fair, accepted):
    _meeting, a, user_a, _b, _ub = accepted
    talk = service.create_session(
        db,
        organizer,
        fair.id,
        {
            "hall": "Hall 7",
            "title": {"en": "Nearshoring in Europe"},
            "starts_at": "2026-10-25T14:00+01:00",
            "ends_at": "2026-10-25T15:00+01:00",
        },
    )
    service.create_session(
        db,
        organizer,
        fair.id,
        {
            "hall": "Hall 8",
            "title": {"en": "Not chosen"},
            "starts_at": "2026-10-25T14:00+01:00",
            "ends_at": "2026-10-25T15:00+01:00",
        },
    )
    service.choose_session(db, user_a, talk.id, a.id)
    events = _events(service.agenda_ics(db, None, a.id, "en"))
    event = events[f"session-{talk.id}@matchmaker"]
    assert (str(event["SUMMARY"]), str(event["LOCATION"])) == (
        "Nearshoring in Europe",
        "Messe Berlin · Hall 7",
    )
    assert len(events) == 2


def test_programme_ics_lists_every_session(db, organizer, fair):
    made = [
        service.create_session(
            db,
            organizer,
            fair.id,
            {
                "hall": hall,
                "title": {"en": f"Talk in {hall}"},
                "starts_at": "2026-10-26T10:00+01:00",
                "ends_at": "2026-10-26T11:00+01:00",
            },
        )
        for hall in ("A", "B")
    ]
    service.update_session(db, organizer, made[0].id, {"hall": "C"})
    ics = service.programme_ics(db, fair, "en")
    events = _events(ics)
    assert sorted(events) == sorted(f"session-{m.id}@matchmaker" for m in made)
    assert events[f"session-{made[0].id}@matchmaker"]["SEQUENCE"] == 1
    assert _zones(ics) == ["Europe/Berlin"]


def test_feed_for_returns_the_same_active_feed(db, make_member):
    org, user = make_member()
    feed = service.feed_for(db, user)
    assert service.feed_for(db, user).id == feed.id
    assert len(feed.secret) == 43
    assert service.organization_for_feed(db, feed.secret) == org.id


def test_rotated_feed_revokes_the_old_secret(db, make_member):
    org, user = make_member()
    old = service.feed_for(db, user)
    new = service.rotate_feed(db, user)
    assert new.secret != old.secret
    assert service.organization_for_feed(db, new.secret) == org.id
    with pytest.raises(NotFound):
        service.organization_for_feed(db, old.secret)


def test_unknown_feed_secret_is_not_found(db):
    with pytest.raises(NotFound):
        service.organization_for_feed(db, "no-such-secret")


def test_feed_of_a_member_who_left_is_not_found(db, make_member):
    _org, user = make_member()
    feed = service.feed_for(db, user)
    user.organization_id = None
    db.add(user)
    db.commit()
    with pytest.raises(NotFound):
        service.organization_for_feed(db, feed.secret)


def test_agenda_ics_uses_a_few_queries(db, fair, accepted, app):
    from sqlalchemy import event

    _meeting, a, _ua, _b, _ub = accepted
    statements = []
    engine = app.extensions["matchmaker.engine"]
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        service.agenda_ics(db, None, a.id, "en")
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) <= 6
