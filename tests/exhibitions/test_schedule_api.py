"""Preferences, meeting caps and the scheduler through the JSON API."""

from __future__ import annotations

import pytest
from sqlmodel import select

from matchmaker.accounts.service import create_token
from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import Meeting, MeetingPreference, SlotOccupancy

from .conftest import count


@pytest.fixture
def bearer(db):
    def make(user) -> dict[str, str]:
        return {"Authorization": f"Bearer {create_token(db, user)[1]}"}

    return make


@pytest.fixture
def fair(make_fair):
    return make_fair()


def test_preference_round_trip(client, db, fair, make_participant, bearer):
    me, user, _ = make_participant(fair, role="buyer", kind="buyer")
    other, _u, _ = make_participant(fair, name="Other Soft")
    base = f"/api/v1/exhibitions/{fair.id}"
    headers = bearer(user)

    put = client.put(f"{base}/preferences/{other.id}", json={"level": "must"}, headers=headers)
    listed = client.get(f"{base}/preferences", headers=headers)
    gone = client.delete(f"{base}/preferences/{other.id}", headers=headers)
    after = client.get(f"{base}/preferences", headers=headers)

    assert put.status_code == 200, put.json
    assert (put.json["organization_id"], put.json["target"]["name"], put.json["level"]) == (
        me.id,
        "Other Soft",
        "must",
    )
    assert [(i["target"]["id"], i["level"]) for i in listed.json["items"]] == [(other.id, "must")]
    assert gone.status_code == 204
    assert after.json == {"items": [], "meeting_cap": None}


def test_preference_for_someone_not_at_the_fair_is_422(
    client, db, fair, make_participant, make_member, bearer
):
    _me, user, _ = make_participant(fair)
    stranger, _u = make_member()

    answer = client.put(
        f"/api/v1/exhibitions/{fair.id}/preferences/{stranger.id}",
        json={"level": "would_like"},
        headers=bearer(user),
    )

    assert answer.status_code == 422
    assert answer.json["error"]["fields"] == {
        "target_id": "This organization is not taking part in this fair."
    }
    assert count(db, MeetingPreference) == 0


def test_preference_with_an_unknown_level_is_422(client, fair, make_participant, bearer):
    _me, user, _ = make_participant(fair)
    other, _u, _ = make_participant(fair)

    answer = client.put(
        f"/api/v1/exhibitions/{fair.id}/preferences/{other.id}",
        json={"level": "maybe"},
        headers=bearer(user),
    )

    assert answer.status_code == 422
    assert list(answer.json["error"]["fields"]) == ["level"]


def test_preference_for_another_organization_is_403(client, fair, make_participant, bearer):
    other, _u, _ = make_participant(fair)
    third, _u3, _ = make_participant(fair)
    _me, user, _ = make_participant(fair)

    answer = client.put(
        f"/api/v1/exhibitions/{fair.id}/preferences/{third.id}",
        json={"organization_id": other.id, "level": "must"},
        headers=bearer(user),
    )

    assert answer.status_code == 403


def test_meeting_cap_is_set_and_bounded(client, fair, make_participant, bearer):
    me, user, _ = make_participant(fair)
    url = f"/api/v1/exhibitions/{fair.id}/meeting-cap"

    ok = client.put(url, json={"cap": 4}, headers=bearer(user))
    too_many = client.put(url, json={"cap": 13}, headers=bearer(user))  # the fair has 12 slots
    cleared = client.put(url, json={"cap": None}, headers=bearer(user))

    assert ok.status_code == 200
    assert ok.json == {"exhibition_id": fair.id, "organization_id": me.id, "cap": 4}
    assert too_many.status_code == 422
    assert too_many.json["error"]["fields"] == {"cap": "Choose between 1 and 12 meetings."}
    assert cleared.json["cap"] is None


def test_schedule_dry_run_writes_nothing_then_commit_with_token(
    client, db, fair, organizer, make_participant, bearer
):
    a, user_a, _ = make_participant(fair, role="buyer", kind="buyer")
    b, _ub, _ = make_participant(fair)
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id)
    url = f"/api/v1/exhibitions/{fair.id}/schedule"
    headers = bearer(organizer)

    dry = client.post(url, json={"dry_run": True}, headers=headers)

    assert dry.status_code == 200, dry.json
    assert dry.json["committed"] is False
    assert [m["meeting_id"] for m in dry.json["scheduled"]] == [meeting.id]
    assert dry.json["scheduled"][0]["table"] == "T01"
    assert dry.json["unscheduled"] == []
    assert dry.json["preference"] == dry.json["upper_bound"]
    assert count(db, SlotOccupancy) == 0

    done = client.post(url, json={"token": dry.json["token"]}, headers=headers)

    assert done.status_code == 200, done.json
    assert done.json["committed"] is True
    assert done.json["published_at"] is not None
    db.expire_all()
    assert db.get(Meeting, meeting.id).status == "accepted"


def test_schedule_with_a_stale_token_is_409(client, db, fair, organizer, make_participant, bearer):
    a, user_a, _ = make_participant(fair, role="buyer", kind="buyer")
    b, user_b, _ = make_participant(fair)
    c, _uc, _ = make_participant(fair)
    first = service.request_meeting(db, user_a, fair.id, a.id, b.id)
    second = service.request_meeting(db, user_a, fair.id, a.id, c.id)
    url = f"/api/v1/exhibitions/{fair.id}/schedule"
    dry = client.post(url, json={"dry_run": True}, headers=bearer(organizer))
    service.accept_meeting(db, user_b, first.id, service.list_slots(db, None, fair.id)[0].id)

    answer = client.post(url, json={"token": dry.json["token"]}, headers=bearer(organizer))

    assert answer.status_code == 409
    assert answer.json["error"]["message"] == (
        "The meetings changed since the preview; run it again."
    )
    db.expire_all()
    assert db.get(Meeting, second.id).status == "requested"


def test_schedule_permissions(client, fair, make_participant, bearer):
    _me, user, _ = make_participant(fair)
    url = f"/api/v1/exhibitions/{fair.id}/schedule"

    assert client.post(url, json={"dry_run": True}).status_code == 401
    assert client.post(url, json={"dry_run": True}, headers=bearer(user)).status_code == 403
    assert client.post(url, json={"token": "garbage"}, headers=bearer(user)).status_code == 403


def test_schedule_garbage_token_is_422(client, fair, organizer, bearer):
    answer = client.post(
        f"/api/v1/exhibitions/{fair.id}/schedule",
        json={"token": "v1.zz.zz"},
        headers=bearer(organizer),
    )
    assert answer.status_code == 422
    assert list(answer.json["error"]["fields"]) == ["token"]


def test_schedule_creates_meetings_from_mutual_preferences(
    client, db, fair, organizer, make_participant, bearer
):
    a, user_a, _ = make_participant(fair, role="buyer", kind="buyer")
    b, user_b, _ = make_participant(fair)
    base = f"/api/v1/exhibitions/{fair.id}"
    client.put(f"{base}/preferences/{b.id}", json={"level": "must"}, headers=bearer(user_a))
    client.put(f"{base}/preferences/{a.id}", json={"level": "must"}, headers=bearer(user_b))

    done = client.post(f"{base}/schedule", json={}, headers=bearer(organizer))

    assert done.status_code == 200, done.json
    assert [(m["meeting_id"], m["levels"]) for m in done.json["scheduled"]] == [
        (None, ["must", "must"])
    ]
    made = db.exec(select(Meeting).where(Meeting.exhibition_id == fair.id)).one()
    assert (made.requester_id, made.invitee_id, made.status) == (a.id, b.id, "accepted")
