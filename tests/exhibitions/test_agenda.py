"""Agenda sessions: validation in the fair's zone, hall overlap, choices."""

from __future__ import annotations

import pytest

from matchmaker.errors import PermissionDenied, ValidationFailed
from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import AgendaSession

from .conftest import count

TALK = {
    "kind": "forum",
    "hall": "Hall 1",
    "starts_at": "2026-06-10T10:00:00+08:00",
    "ends_at": "2026-06-10T11:00:00+08:00",
    "title": {"en": "Opening forum", "zh_Hans": "开幕论坛"},
    "speakers": {"en": "Li Wei"},
}


def _fields(error) -> dict[str, str]:
    return {key: str(value) for key, value in error.value.fields.items()}


@pytest.fixture
def fair(make_fair):
    return make_fair()


def test_create_session_stores_utc_and_texts(db, organizer, fair):
    item = service.create_session(db, organizer, fair.id, TALK)
    assert item.starts_at.isoformat() == "2026-06-10T02:00:00+00:00"
    assert (item.title_in("zh_Hans"), item.title_in("ru"), item.speakers_in("ar")) == (
        "开幕论坛",
        "Opening forum",
        "Li Wei",
    )
    assert db.get(type(fair), fair.id).sequence == 1


def test_session_ending_before_it_starts_is_refused(db, organizer, fair):
    with pytest.raises(ValidationFailed) as error:
        service.create_session(
            db, organizer, fair.id, {**TALK, "ends_at": "2026-06-10T09:00:00+08:00"}
        )
    assert _fields(error) == {"ends_at": "A session must end after it starts."}


def test_session_outside_the_fair_days_is_refused(db, organizer, fair):
    # 23:30 UTC on 9 June is 07:30 on 10 June in Shanghai: inside. 15:00 UTC on 9 June is not.
    with pytest.raises(ValidationFailed) as error:
        service.create_session(
            db,
            organizer,
            fair.id,
            {
                **TALK,
                "starts_at": "2026-06-09T15:00:00+00:00",
                "ends_at": "2026-06-09T16:00:00+00:00",
            },
        )
    assert _fields(error) == {
        "starts_at": "A session must take place during the exhibition's days."
    }
    inside = service.create_session(
        db,
        organizer,
        fair.id,
        {**TALK, "starts_at": "2026-06-09T23:30:00+00:00", "ends_at": "2026-06-10T00:30:00+00:00"},
    )
    assert inside.id is not None


def test_overlapping_sessions_in_one_hall_are_refused(db, organizer, fair):
    service.create_session(db, organizer, fair.id, TALK)
    with pytest.raises(ValidationFailed) as error:
        service.create_session(
            db,
            organizer,
            fair.id,
            {
                **TALK,
                "starts_at": "2026-06-10T10:30:00+08:00",
                "ends_at": "2026-06-10T11:30:00+08:00",
            },
        )
    assert _fields(error) == {"hall": "Another session takes place in this hall at that time."}
    assert count(db, AgendaSession) == 1


def test_sessions_back_to_back_or_in_other_halls_are_fine(db, organizer, fair):
    service.create_session(db, organizer, fair.id, TALK)
    service.create_session(db, organizer, fair.id, {**TALK, "hall": "Hall 2"})
    service.create_session(
        db,
        organizer,
        fair.id,
        {**TALK, "starts_at": "2026-06-10T11:00+08:00", "ends_at": "2026-06-10T12:00+08:00"},
    )
    assert len(service.list_sessions(db, None, fair.id)) == 3


def test_naive_times_and_unknown_kind_are_refused(db, organizer, fair):
    with pytest.raises(ValidationFailed) as error:
        service.create_session(
            db, organizer, fair.id, {**TALK, "starts_at": "2026-06-10T10:00", "kind": "party"}
        )
    assert sorted(error.value.fields) == ["kind", "starts_at"]


def test_update_session_raises_its_sequence(db, organizer, fair):
    item = service.create_session(db, organizer, fair.id, TALK)
    moved = service.update_session(db, organizer, item.id, {"hall": "Hall 3"})
    assert (moved.hall, moved.sequence) == ("Hall 3", 1)


def test_update_session_may_keep_its_own_time(db, organizer, fair):
    item = service.create_session(db, organizer, fair.id, TALK)
    assert (
        service.update_session(db, organizer, item.id, {"title": {"en": "New"}}).title_in("en")
        == "New"
    )


def test_create_session_by_a_member_is_forbidden(db, fair, make_member):
    _org, member = make_member()
    with pytest.raises(PermissionDenied):
        service.create_session(db, member, fair.id, TALK)


def test_choose_session_puts_it_on_my_agenda(db, organizer, fair, make_participant):
    item = service.create_session(db, organizer, fair.id, TALK)
    org, user, _ = make_participant(fair)
    service.choose_session(db, user, item.id, org.id)
    service.choose_session(db, user, item.id, org.id)
    assert service.chosen_session_ids(db, user, fair.id, org.id) == {item.id}
    service.unchoose_session(db, user, item.id, org.id)
    assert service.chosen_session_ids(db, user, fair.id, org.id) == set()
