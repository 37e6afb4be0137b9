from sqlmodel import select

from matchmaker.profiles.models import Organization


def _form(**overrides):
    data = {
        "kind": "provider",
        "name": "Dalian Haixin Software",
        "country": "CN",
        "city": "Dalian",
        "website": "https://haixin.example",
        "founded": "2008",
        "size": "250-999",
        "budget": "",
        "services": ["ito.software_rd", "bpo.call_center"],
        "target_markets": ["developed", "JP"],
        "languages": ["en", "ja", "zh"],
        "certifications": ["cmmi_5"],
        "industries": ["finance"],
        "visibility": "public",
        "description_en": "We build banking software.",
        "description_zh_Hans": "我们为银行开发软件。",
    }
    data.update(overrides)
    return data


def test_member_creates_organization_and_belongs_to_it(client, db, make_user, login):
    user = make_user("m@example.com")
    login("m@example.com")
    response = client.post("/organizations/new", data=_form())
    assert response.status_code == 303
    db.refresh(user)
    org = db.get(Organization, user.organization_id)
    assert org.name == "Dalian Haixin Software"
    assert org.text_map() == {"en": "We build banking software.", "zh_Hans": "我们为银行开发软件。"}
    assert org.target_markets == ["developed", "JP"]


def test_create_with_bad_fields_shows_errors_and_saves_nothing(client, db, make_user, login):
    make_user("m@example.com")
    login("m@example.com")
    response = client.post(
        "/organizations/new", data=_form(name="", website="ftp://x", founded="99")
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This field is required." in html
    assert len(db.exec(select(Organization)).all()) == 0


def test_create_with_unknown_service_code_is_refused(client, db, make_user, login):
    make_user("m@example.com")
    login("m@example.com")
    response = client.post("/organizations/new", data=_form(services=["ito.teleportation"]))
    assert response.status_code == 422
    assert len(db.exec(select(Organization)).all()) == 0


def test_member_cannot_edit_another_organization(client, make_org, make_user, login):
    mine = make_org(name="Mine")
    other = make_org(name="Other")
    make_user("m@example.com", organization_id=mine.id)
    login("m@example.com")
    assert client.get(f"/organizations/{other.id}/edit").status_code == 403
    assert client.post(f"/organizations/{other.id}/edit", data=_form()).status_code == 403
    assert client.post(f"/organizations/{other.id}/delete").status_code == 403


def test_member_edits_own_organization(client, db, make_org, make_user, login):
    org = make_org(name="Mine")
    make_user("m@example.com", organization_id=org.id)
    login("m@example.com")
    response = client.post(f"/organizations/{org.id}/edit", data=_form(name="Renamed"))
    assert response.status_code == 303
    db.refresh(org)
    assert org.name == "Renamed"


def test_delete_own_organization(client, db, make_org, make_user, login):
    org = make_org(name="Mine")
    make_user("m@example.com", organization_id=org.id)
    login("m@example.com")
    assert client.post(f"/organizations/{org.id}/delete").status_code == 303
    assert db.exec(select(Organization).where(Organization.id == org.id)).first() is None
    assert client.get(f"/organizations/{org.id}").status_code == 404


def test_anonymous_edit_redirects_to_login(client, make_org):
    org = make_org()
    response = client.get(f"/organizations/{org.id}/edit")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_profile_shows_country_in_readers_language_and_grouped_services(client, make_org):
    org = make_org(
        country="DE",
        kind="buyer",
        services=["ito.software_rd", "kpo.legal_services"],
        texts={"en": "A German insurer.", "zh_Hans": "一家德国保险公司。"},
    )
    html = client.get(f"/organizations/{org.id}?lang=zh_Hans").get_data(as_text=True)
    assert "德国" in html
    assert "一家德国保险公司。" in html
    html = client.get(f"/organizations/{org.id}?lang=ar").get_data(as_text=True)
    assert "ألمانيا" in html
    assert "A German insurer." in html  # falls back to English
    assert 'dir="rtl"' in html


def test_hidden_profile_is_404_for_others(client, make_org, make_user, login):
    org = make_org(visibility="hidden")
    assert client.get(f"/organizations/{org.id}").status_code == 404
    make_user("x@example.com")
    login("x@example.com")
    assert client.get(f"/organizations/{org.id}").status_code == 404


def test_members_only_profile_needs_sign_in(client, make_org, make_user, login):
    org = make_org(visibility="members")
    assert client.get(f"/organizations/{org.id}").status_code == 302
    make_user("x@example.com")
    login("x@example.com")
    assert client.get(f"/organizations/{org.id}").status_code == 200


def test_unknown_profile_is_404(client):
    assert client.get("/organizations/999999").status_code == 404


def test_admin_verifies_a_profile_and_members_cannot(
    client, db, make_org, make_user, login, api_token
):
    org = make_org(name="To Check")
    make_user("member@example.com", organization_id=org.id)
    make_user("admin@example.com", role="admin")
    member_headers = api_token("member@example.com")
    refused = client.put(
        f"/api/v1/organizations/{org.id}/verification",
        json={"verified": True},
        headers=member_headers,
    )
    assert refused.status_code == 403
    login("admin@example.com")
    assert (
        client.post(f"/organizations/{org.id}/verification", data={"verified": "1"}).status_code
        == 303
    )
    html = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert "Checked by matchmaker on" in html
    body = client.get(f"/api/v1/organizations/{org.id}").json
    assert body["verified"] is True
    assert body["verified_at"] is not None
    bad = client.put(f"/api/v1/organizations/{org.id}/verification", json={"verified": "yes"})
    assert bad.status_code == 422
    undone = client.put(f"/api/v1/organizations/{org.id}/verification", json={"verified": False})
    assert undone.json["verified"] is False
    assert undone.json["verified_at"] is None
