"""The trade-fair API: a fair's life through JSON, and the errors a client meets."""

from __future__ import annotations

import icalendar
import pytest

from matchmaker.accounts.service import create_token
from matchmaker.exhibitions.models import Meeting

from .conftest import FAIR, add_user, count

NEW_FAIR = {k: v for k, v in FAIR.items() if k != "status"}


@pytest.fixture
def bearer(db):
    def make(user) -> dict[str, str]:
        return {"Authorization": f"Bearer {create_token(db, user)[1]}"}

    return make


@pytest.fixture
def fair_api(client, organizer, bearer):
    """A published fair made through the API: (fair json, organizer headers)."""
    headers = bearer(organizer)
    created = client.post("/api/v1/exhibitions", json=NEW_FAIR, headers=headers)
    assert created.status_code == 201, created.json
    assert created.json["status"] == "draft"
    fair_id = created.json["id"]
    published = client.patch(
        f"/api/v1/exhibitions/{fair_id}", json={"status": "published"}, headers=headers
    )
    assert published.status_code == 200, published.json
    return published.json, headers


def test_fair_lifecycle_through_the_api(client, db, fair_api, make_member, bearer):
    fair, organizer = fair_api
    base = f"/api/v1/exhibitions/{fair['id']}"
    assert (fair["timezone"], fair["tables"], fair["day_start"]) == ("Asia/Shanghai", 3, "09:00")
    listed = client.get("/api/v1/exhibitions").json["items"]
    assert [(f["id"], f["tables"]) for f in listed] == [(fair["id"], 3)]
    session = client.post(
        f"{base}/sessions",
        json={
            "hall": "Hall A",
            "starts_at": "2026-06-10T09:00:00+08:00",
            "ends_at": "2026-06-10T10:00:00+08:00",
            "title": {"en": "Opening forum"},
        },
        headers=organizer,
    )
    assert session.status_code == 201, session.json
    booth = client.post(
        f"{base}/booths", json={"code": "A01", "hall": "A", "row": 0, "col": 0}, headers=organizer
    )
    assert booth.status_code == 201, booth.json

    provider, provider_user = make_member()
    buyer, buyer_user = make_member(kind="buyer")
    as_provider, as_buyer = bearer(provider_user), bearer(buyer_user)
    for org, headers, role in ((provider, as_provider, "exhibitor"), (buyer, as_buyer, "buyer")):
        registered = client.post(
            f"{base}/registrations",
            json={"organization_id": org.id, "role": role},
            headers=headers,
        )
        assert (registered.status_code, registered.json["status"]) == (201, "registered")

    booked = client.post(
        f"/api/v1/booths/{booth.json['id']}/booking",
        json={"organization_id": provider.id},
        headers=as_provider,
    )
    assert booked.status_code == 201
    assert booked.json["organization"]["id"] == provider.id

    slots = client.get(f"{base}/slots").json["items"]
    assert (len(slots), slots[0]["starts_at"]) == (12, "2026-06-10T01:00:00Z")
    requested = client.post(
        f"{base}/meetings",
        json={
            "requester_id": provider.id,
            "invitee_id": buyer.id,
            "slot_id": slots[2]["id"],
            "message": "Claims processing?",
        },
        headers=as_provider,
    )
    assert (requested.status_code, requested.json["status"]) == (201, "requested")
    accepted = client.patch(
        f"/api/v1/meetings/{requested.json['id']}", json={"status": "accepted"}, headers=as_buyer
    )
    assert accepted.status_code == 200, accepted.json
    assert (accepted.json["status"], accepted.json["table"]) == ("accepted", "T01")

    mine = client.get(f"{base}/meetings", headers=as_buyer).json["items"]
    assert [m["id"] for m in mine] == [requested.json["id"]]
    calendar = client.get(f"{base}/agenda.ics", headers=as_buyer)
    assert calendar.mimetype == "text/calendar"
    events = icalendar.Calendar.from_ical(calendar.data).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"meeting-{requested.json['id']}@matchmaker"]


def test_taken_booth_is_409_with_reason(client, db, fair_api, make_member, bearer):
    fair, organizer = fair_api
    base = f"/api/v1/exhibitions/{fair['id']}"
    booth = client.post(f"{base}/booths", json={"code": "B02"}, headers=organizer).json
    ids = []
    for _ in range(2):
        org, user = make_member()
        headers = bearer(user)
        client.post(
            f"{base}/registrations",
            json={"organization_id": org.id, "role": "exhibitor"},
            headers=headers,
        )
        ids.append((org.id, headers))
    assert (
        client.post(
            f"/api/v1/booths/{booth['id']}/booking",
            json={"organization_id": ids[0][0]},
            headers=ids[0][1],
        ).status_code
        == 201
    )
    taken = client.post(
        f"/api/v1/booths/{booth['id']}/booking",
        json={"organization_id": ids[1][0]},
        headers=ids[1][1],
    )
    assert taken.status_code == 409
    assert taken.json["error"]["code"] == "conflict"
    assert "taken" in taken.json["error"]["message"]


def test_meeting_with_oneself_is_422(client, fair_api, make_member, bearer):
    fair, _organizer = fair_api
    org, user = make_member()
    headers = bearer(user)
    base = f"/api/v1/exhibitions/{fair['id']}"
    client.post(
        f"{base}/registrations",
        json={"organization_id": org.id, "role": "exhibitor"},
        headers=headers,
    )
    response = client.post(
        f"{base}/meetings", json={"requester_id": org.id, "invitee_id": org.id}, headers=headers
    )
    assert response.status_code == 422
    assert "invitee_id" in response.json["error"]["fields"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"slot_minutes": 0}, "slot_minutes"),
        ({"tables": -1}, "tables"),
        ({"ends_on": "2026-06-01"}, "ends_on"),
        ({"day_start": "9am"}, "day_start"),
    ],
)
def test_bad_fair_fields_are_422_and_create_nothing(client, db, organizer, bearer, changes, field):
    from matchmaker.exhibitions.models import Exhibition

    response = client.post(
        "/api/v1/exhibitions", json={**NEW_FAIR, **changes}, headers=bearer(organizer)
    )
    assert response.status_code == 422
    assert list(response.json["error"]["fields"]) == [field]
    assert count(db, Exhibition) == 0


def test_only_the_fair_organizers_edit_it(client, db, fair_api, bearer):
    fair, _organizer = fair_api
    other = bearer(add_user(db, role="organizer"))
    response = client.patch(
        f"/api/v1/exhibitions/{fair['id']}", json={"city": "Shenyang"}, headers=other
    )
    assert response.status_code == 403


def test_members_cannot_create_fairs(client, db, bearer):
    response = client.post("/api/v1/exhibitions", json=NEW_FAIR, headers=bearer(add_user(db)))
    assert response.status_code == 403


def test_member_acts_only_for_own_organization(client, db, fair_api, make_member, bearer):
    fair, _organizer = fair_api
    _mine, user = make_member()
    other, _ = make_member()
    response = client.post(
        f"/api/v1/exhibitions/{fair['id']}/registrations",
        json={"organization_id": other.id, "role": "visitor"},
        headers=bearer(user),
    )
    assert response.status_code == 403


def test_busy_slot_accept_is_409_and_changes_nothing(client, db, fair_api, make_member, bearer):
    fair, _organizer = fair_api
    base = f"/api/v1/exhibitions/{fair['id']}"
    people = []
    for kind in ("provider", "buyer", "provider"):
        org, user = make_member(kind=kind)
        headers = bearer(user)
        client.post(
            f"{base}/registrations",
            json={
                "organization_id": org.id,
                "role": "exhibitor" if kind == "provider" else "buyer",
            },
            headers=headers,
        )
        people.append((org, headers))
    (first, first_h), (buyer, buyer_h), (second, second_h) = people
    slot = client.get(f"{base}/slots").json["items"][0]["id"]
    one = client.post(
        f"{base}/meetings",
        json={"requester_id": first.id, "invitee_id": buyer.id, "slot_id": slot},
        headers=first_h,
    ).json
    two = client.post(
        f"{base}/meetings",
        json={"requester_id": second.id, "invitee_id": buyer.id, "slot_id": slot},
        headers=second_h,
    ).json
    assert (
        client.patch(
            f"/api/v1/meetings/{one['id']}", json={"status": "accepted"}, headers=buyer_h
        ).status_code
        == 200
    )
    busy = client.patch(
        f"/api/v1/meetings/{two['id']}", json={"status": "accepted"}, headers=buyer_h
    )
    assert busy.status_code == 409
    assert db.get(Meeting, two["id"]).status == "requested"


def test_drafts_are_invisible_to_others(client, db, organizer, bearer):
    created = client.post("/api/v1/exhibitions", json=NEW_FAIR, headers=bearer(organizer)).json
    assert client.get(f"/api/v1/exhibitions/{created['id']}").status_code == 404
    assert client.get("/api/v1/exhibitions").json["total"] == 0


def test_api_times_carry_offsets(client, fair_api):
    fair, organizer = fair_api
    session = client.post(
        f"/api/v1/exhibitions/{fair['id']}/sessions",
        json={
            "hall": "A",
            "starts_at": "2026-06-10T10:00:00+08:00",
            "ends_at": "2026-06-10T10:30:00+08:00",
            "title": {"zh_Hans": "开幕"},
        },
        headers=organizer,
    ).json
    assert session["starts_at"] == "2026-06-10T02:00:00Z"
    naive = client.post(
        f"/api/v1/exhibitions/{fair['id']}/sessions",
        json={
            "hall": "A",
            "starts_at": "2026-06-10T11:00:00",
            "ends_at": "2026-06-10T12:00:00",
            "title": {"en": "x"},
        },
        headers=organizer,
    )
    assert naive.status_code == 422
    assert sorted(naive.json["error"]["fields"]) == ["ends_at", "starts_at"]


def test_participants_list_names_roles_and_booths(client, fair_api, make_member, bearer):
    fair, organizer = fair_api
    base = f"/api/v1/exhibitions/{fair['id']}"
    org, user = make_member(name="Dalian Haixin")
    headers = bearer(user)
    client.post(
        f"{base}/registrations",
        json={"organization_id": org.id, "role": "exhibitor"},
        headers=headers,
    )
    booth = client.post(f"{base}/booths", json={"code": "C03"}, headers=organizer).json
    client.post(
        f"/api/v1/booths/{booth['id']}/booking", json={"organization_id": org.id}, headers=headers
    )
    items = client.get(f"{base}/participants?role=exhibitor").json["items"]
    assert [(i["organization"]["name"], i["role"], i["booth"]) for i in items] == [
        ("Dalian Haixin", "exhibitor", "C03")
    ]
    assert client.get(f"{base}/participants?role=buyer").json["items"] == []
