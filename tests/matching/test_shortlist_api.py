"""The shortlist API: private notes and "Let them know"."""

from __future__ import annotations

from sqlmodel import select

from matchmaker.notifications.models import Notification


def _setup(make_org, make_user, api_token):
    buyer = make_org(name="Nordlicht Insurance", kind="buyer", country="DE")
    provider = make_org(name="Dalian Soft", kind="provider")
    make_user("anna@example.com", organization_id=buyer.id)
    make_user("li@example.com", organization_id=provider.id)
    return buyer, provider, api_token("anna@example.com")


def test_note_api_sets_and_lists_note(client, make_org, make_user, api_token):
    buyer, provider, headers = _setup(make_org, make_user, api_token)
    client.post(
        f"/api/v1/organizations/{buyer.id}/saved",
        json={"organization_id": provider.id},
        headers=headers,
    )
    response = client.put(
        f"/api/v1/organizations/{buyer.id}/saved/{provider.id}/note",
        json={"note": "Ask about ISO 27001"},
        headers=headers,
    )
    assert response.status_code == 200
    assert response.json["note"] == "Ask about ISO 27001"
    assert response.json["organization_id"] == provider.id


def test_note_api_refuses_unsaved_partner(client, make_org, make_user, api_token):
    buyer, provider, headers = _setup(make_org, make_user, api_token)
    response = client.put(
        f"/api/v1/organizations/{buyer.id}/saved/{provider.id}/note",
        json={"note": "x"},
        headers=headers,
    )
    assert response.status_code == 422


def test_note_api_refuses_too_long_note(client, make_org, make_user, api_token):
    buyer, provider, headers = _setup(make_org, make_user, api_token)
    response = client.put(
        f"/api/v1/organizations/{buyer.id}/saved/{provider.id}/note",
        json={"note": "x" * 2001},
        headers=headers,
    )
    assert response.status_code == 422


def test_interest_api_notifies_the_partner_team_once(client, db, make_org, make_user, api_token):
    buyer, provider, headers = _setup(make_org, make_user, api_token)
    url = f"/api/v1/organizations/{buyer.id}/saved/{provider.id}/interest"
    first = client.post(url, headers=headers)
    second = client.post(url, headers=headers)
    assert (first.status_code, first.json["sent"]) == (200, True)
    assert (second.status_code, second.json["sent"]) == (200, False)
    rows = db.exec(select(Notification)).all()
    assert len(rows) == 1
    assert rows[0].kind == "interest"
    assert rows[0].link == f"/organizations/{buyer.id}"
    saved = client.get(f"/api/v1/organizations/{buyer.id}/saved", headers=headers).json
    assert [item["organization"]["id"] for item in saved["items"]] == [provider.id]


def test_interest_api_for_another_organization_is_forbidden(client, make_org, make_user, api_token):
    _buyer, provider, headers = _setup(make_org, make_user, api_token)
    stranger = make_org(kind="buyer")
    response = client.post(
        f"/api/v1/organizations/{stranger.id}/saved/{provider.id}/interest", headers=headers
    )
    assert response.status_code == 403
