from sqlmodel import select

from matchmaker.accounts.models import TeamInvitation, User


def _team(make_org, make_user):
    org = make_org(name="Nordlicht")
    owner = make_user("owner@example.com", display_name="Katrin", organization_id=org.id)
    return org, owner


def test_api_get_team_lists_members_and_invitations(client, db, make_org, make_user, api_token):
    org, owner = _team(make_org, make_user)
    owner.title = "Head of IT sourcing"
    owner.spoken_languages = ["de", "en"]
    db.add(owner)
    db.commit()
    headers = api_token("owner@example.com")
    created = client.post(
        f"/api/v1/organizations/{org.id}/invitations",
        json={"email": "Anna@Example.com"},
        headers=headers,
    )
    assert created.status_code == 201
    assert created.json["email"] == "anna@example.com"

    response = client.get(f"/api/v1/organizations/{org.id}/team", headers=headers)
    assert response.status_code == 200
    assert response.json["members"] == [
        {
            "id": owner.id,
            "display_name": "Katrin",
            "title": "Head of IT sourcing",
            "email": "owner@example.com",
            "spoken_languages": ["de", "en"],
        }
    ]
    assert [item["email"] for item in response.json["invitations"]] == ["anna@example.com"]


def test_api_team_of_another_org_is_403(client, make_org, make_user, api_token):
    org, _owner = _team(make_org, make_user)
    make_user("stranger@example.com", organization_id=make_org().id)
    headers = api_token("stranger@example.com")
    assert client.get(f"/api/v1/organizations/{org.id}/team", headers=headers).status_code == 403
    response = client.post(
        f"/api/v1/organizations/{org.id}/invitations",
        json={"email": "a@example.com"},
        headers=headers,
    )
    assert response.status_code == 403


def test_api_team_without_token_is_401(client, make_org, make_user):
    org, _owner = _team(make_org, make_user)
    assert client.get(f"/api/v1/organizations/{org.id}/team").status_code == 401


def test_api_invite_bad_address_is_422(client, make_org, make_user, api_token):
    org, _owner = _team(make_org, make_user)
    headers = api_token("owner@example.com")
    response = client.post(
        f"/api/v1/organizations/{org.id}/invitations", json={"email": "nope"}, headers=headers
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"email": "Enter a valid e-mail address."}
    missing = client.post(f"/api/v1/organizations/{org.id}/invitations", json={}, headers=headers)
    assert missing.status_code == 422


def test_api_invite_again_replaces_the_open_invitation(client, db, make_org, make_user, api_token):
    org, _owner = _team(make_org, make_user)
    headers = api_token("owner@example.com")
    url = f"/api/v1/organizations/{org.id}/invitations"
    first = client.post(url, json={"email": "b@example.com"}, headers=headers).json
    second = client.post(url, json={"email": "b@example.com"}, headers=headers).json
    db.expire_all()
    rows = {row.id: row.revoked_at is not None for row in db.exec(select(TeamInvitation))}
    assert rows == {first["id"]: True, second["id"]: False}


def test_api_invite_flood_is_429(client, make_org, make_user, api_token):
    org, _owner = _team(make_org, make_user)
    headers = api_token("owner@example.com")
    url = f"/api/v1/organizations/{org.id}/invitations"
    for n in range(20):
        assert (
            client.post(url, json={"email": f"p{n}@example.com"}, headers=headers).status_code
            == 201
        )
    response = client.post(url, json={"email": "last@example.com"}, headers=headers)
    assert response.status_code == 429


def test_api_remove_member_and_last_member_rule(client, db, make_org, make_user, api_token):
    org, owner = _team(make_org, make_user)
    member = make_user("member@example.com", organization_id=org.id)
    headers = api_token("owner@example.com")
    base = f"/api/v1/organizations/{org.id}/team"
    assert client.delete(f"{base}/{member.id}", headers=headers).status_code == 204
    db.expire_all()
    assert db.get(User, member.id).organization_id is None
    assert client.delete(f"{base}/{member.id}", headers=headers).status_code == 404
    last = client.delete(f"{base}/{owner.id}", headers=headers)
    assert last.status_code == 409
    assert last.json["error"]["code"] == "conflict"


def test_api_revoke_invitation(client, db, make_org, make_user, api_token):
    org, _owner = _team(make_org, make_user)
    headers = api_token("owner@example.com")
    created = client.post(
        f"/api/v1/organizations/{org.id}/invitations",
        json={"email": "c@example.com"},
        headers=headers,
    ).json
    url = f"/api/v1/organizations/{org.id}/invitations/{created['id']}"
    assert client.delete(url, headers=headers).status_code == 204
    assert client.delete(url, headers=headers).status_code == 204
    team = client.get(f"/api/v1/organizations/{org.id}/team", headers=headers).json
    assert team["invitations"] == []
