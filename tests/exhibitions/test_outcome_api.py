"""The check-in and outcome API: badges, scans, the desk, outcomes and their errors."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from matchmaker.accounts.service import create_token
from matchmaker.exhibitions import checkin, outcomes, service
from matchmaker.exhibitions.models import MeetingOutcome, Registration

from .conftest import count


@pytest.fixture
def bearer(db):
    def make(user) -> dict[str, str]:
        return {"Authorization": f"Bearer {create_token(db, user)[1]}"}

    return make


@pytest.fixture
def soon(make_fair):
    start = date.today() + timedelta(days=20)
    return make_fair(starts_on=start.isoformat(), ends_on=start.isoformat())


@pytest.fixture
def held(db, make_fair, make_participant, slots):
    """A held meeting at a past fair: (meeting, (org, user) of each side)."""
    fair = make_fair()
    a, user_a, _ = make_participant(fair, kind="buyer")
    b, user_b, _ = make_participant(fair)
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, slots(fair)[0].id)
    service.accept_meeting(db, user_b, meeting.id)
    outcomes.mark_meeting(db, user_a, meeting.id, "held")
    return meeting, (a, user_a), (b, user_b)


# --- check-in ---------------------------------------------------------------------------


def test_badge_then_scan_then_repeat(client, db, soon, make_participant, organizer, bearer):
    org, user, registration = make_participant(soon)
    badge = client.get(f"/api/v1/exhibitions/{soon.id}/badge", headers=bearer(user))
    assert badge.status_code == 200, badge.json
    assert (badge.json["registration_id"], badge.json["organization"]["id"]) == (
        registration.id,
        org.id,
    )
    token = badge.json["check_in_url"].rsplit("/", 1)[1]
    scan = {"token": token}
    first = client.post(
        f"/api/v1/exhibitions/{soon.id}/check-ins", json=scan, headers=bearer(organizer)
    )
    assert (first.status_code, first.json["already"]) == (201, False)
    again = client.post(
        f"/api/v1/exhibitions/{soon.id}/check-ins", json=scan, headers=bearer(organizer)
    )
    assert (again.status_code, again.json["already"]) == (200, True)
    assert again.json["checked_in_at"] == first.json["checked_in_at"]
    listed = client.get(f"/api/v1/exhibitions/{soon.id}/check-ins", headers=bearer(organizer))
    assert (listed.json["registered"], listed.json["checked_in"]) == (1, 1)
    assert [i["registration_id"] for i in listed.json["items"]] == [registration.id]


def test_forged_and_expired_tokens_are_403(
    client, db, soon, make_fair, make_participant, organizer, bearer
):
    _org, _user, registration = make_participant(soon)
    headers = bearer(organizer)
    forged = client.post(
        f"/api/v1/exhibitions/{soon.id}/check-ins",
        json={"token": checkin.make_token("wrong", registration)},
        headers=headers,
    )
    assert (forged.status_code, forged.json["error"]["message"]) == (
        403,
        "This check-in link is not valid.",
    )
    past = make_fair()
    _o, _u, old = make_participant(past)
    expired = client.post(
        f"/api/v1/exhibitions/{past.id}/check-ins",
        json={"token": checkin.make_token("test-secret", old)},
        headers=headers,
    )
    assert (expired.status_code, expired.json["error"]["message"]) == (
        403,
        "This check-in link has expired.",
    )
    assert db.get(Registration, registration.id).checked_in_at is None


def test_participants_cannot_scan_or_list(client, soon, make_participant, bearer):
    _org, user, registration = make_participant(soon)
    token = checkin.make_token("test-secret", registration)
    base = f"/api/v1/exhibitions/{soon.id}/check-ins"
    assert client.post(base, json={"token": token}, headers=bearer(user)).status_code == 403
    assert client.get(base, headers=bearer(user)).status_code == 403
    assert client.post(base, json={"token": token}).status_code == 401


def test_check_in_by_hand_and_undo(client, db, soon, make_participant, organizer, bearer):
    _org, _user, registration = make_participant(soon)
    base = f"/api/v1/exhibitions/{soon.id}/check-ins"
    headers = bearer(organizer)
    done = client.post(base, json={"registration_id": registration.id}, headers=headers)
    assert done.status_code == 201
    assert client.delete(f"{base}/{registration.id}", headers=headers).status_code == 204
    db.expire_all()
    assert db.get(Registration, registration.id).checked_in_at is None
    both = client.post(base, json={"registration_id": 1, "token": "x"}, headers=headers)
    assert both.status_code == 422
    assert client.post(base, json={}, headers=headers).status_code == 422


# --- outcomes ---------------------------------------------------------------------------


def test_outcome_201_then_200_and_listed_for_both_sides(client, db, held, bearer):
    meeting, (a, user_a), (_b, user_b) = held
    url = f"/api/v1/meetings/{meeting.id}/outcome"
    body = {
        "organization_id": a.id,
        "outcome": "mou",
        "service": "kpo.legal_services",
        "value": "125000.5",
        "currency": "USD",
    }
    first = client.post(url, json=body, headers=bearer(user_a))
    assert first.status_code == 201, first.json
    assert (first.json["value"], first.json["currency"]) == ("125000.50", "USD")
    second = client.post(url, json={**body, "outcome": "contract"}, headers=bearer(user_a))
    assert (second.status_code, second.json["id"]) == (200, first.json["id"])
    listed = client.get(f"/api/v1/meetings/{meeting.id}/outcomes", headers=bearer(user_b))
    assert [(i["organization_id"], i["outcome"]) for i in listed.json["items"]] == [
        (a.id, "contract")
    ]
    assert count(db, MeetingOutcome) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"value": -1, "currency": "USD"}, "value"),
        ({"value": 1e13, "currency": "USD"}, "value"),
        ({"value": "12.345", "currency": "USD"}, "value"),
        ({"value": 100, "currency": "ABC"}, "currency"),
        ({"value": 100}, "currency"),
        ({"outcome": "maybe"}, "outcome"),
        ({"service": "ito.unknown"}, "service"),
    ],
)
def test_bad_outcomes_are_422_and_write_nothing(client, db, held, bearer, change, field):
    meeting, (a, user_a), _ = held
    body = {"organization_id": a.id, "outcome": "mou", **change}
    response = client.post(
        f"/api/v1/meetings/{meeting.id}/outcome", json=body, headers=bearer(user_a)
    )
    assert response.status_code == 422, response.json
    assert list(response.json["error"]["fields"]) == [field]
    assert count(db, MeetingOutcome) == 0


def test_outcome_for_the_other_side_or_by_an_outsider_is_403(client, db, held, make_member, bearer):
    meeting, (a, _user_a), (b, user_b) = held
    _org, outsider = make_member()
    url = f"/api/v1/meetings/{meeting.id}/outcome"
    other_side = client.post(
        url, json={"organization_id": a.id, "outcome": "mou"}, headers=bearer(user_b)
    )
    outside = client.post(
        url, json={"organization_id": b.id, "outcome": "mou"}, headers=bearer(outsider)
    )
    listing = client.get(f"/api/v1/meetings/{meeting.id}/outcomes", headers=bearer(outsider))
    assert (other_side.status_code, outside.status_code, listing.status_code) == (403, 403, 403)
    assert count(db, MeetingOutcome) == 0


def test_outcome_before_held_is_422(client, db, make_fair, make_participant, slots, bearer):
    fair = make_fair()
    a, user_a, _ = make_participant(fair)
    b, user_b, _ = make_participant(fair)
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, slots(fair)[0].id)
    service.accept_meeting(db, user_b, meeting.id)
    response = client.post(
        f"/api/v1/meetings/{meeting.id}/outcome",
        json={"organization_id": a.id, "outcome": "follow_up"},
        headers=bearer(user_a),
    )
    assert (response.status_code, response.json["error"]["message"]) == (
        422,
        "Record an outcome after the meeting was held.",
    )
