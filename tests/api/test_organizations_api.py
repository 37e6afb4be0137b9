from sqlmodel import select

from matchmaker.profiles.models import Organization

ORG = {
    "kind": "provider",
    "name": "Chengdu Tianfu Data",
    "country": "CN",
    "city": "Chengdu",
    "services": ["bpo.data_processing"],
    "languages": ["zh", "en"],
    "target_markets": ["belt_and_road"],
    "description": {"en": "Data work.", "zh_Hans": "数据处理。"},
}


def test_token_bad_credentials_is_401(client, make_user):
    make_user("u@example.com")
    response = client.post("/api/v1/auth/tokens", json={"email": "u@example.com", "password": "x"})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "not_authenticated"


def test_create_get_patch_delete(client, db, make_user, api_token):
    make_user("u@example.com")
    headers = api_token("u@example.com")
    created = client.post("/api/v1/organizations", json=ORG, headers=headers)
    assert created.status_code == 201
    org_id = created.json["id"]
    assert created.json["markets"] == ["china"]
    assert created.json["description"] == {"en": "Data work.", "zh_Hans": "数据处理。"}
    got = client.get(f"/api/v1/organizations/{org_id}")
    assert got.json["name"] == "Chengdu Tianfu Data"
    patched = client.patch(
        f"/api/v1/organizations/{org_id}", json={"city": "Chongqing"}, headers=headers
    )
    assert patched.status_code == 200
    assert patched.json["city"] == "Chongqing"
    assert patched.json["name"] == "Chengdu Tianfu Data"
    assert client.delete(f"/api/v1/organizations/{org_id}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/organizations/{org_id}").status_code == 404


def test_anonymous_write_is_401(client):
    response = client.post("/api/v1/organizations", json=ORG)
    assert response.status_code == 401
    assert set(response.json["error"]) == {"code", "message", "fields"}


def test_unknown_codes_are_422_with_fields(client, make_user, api_token):
    make_user("u@example.com")
    headers = api_token("u@example.com")
    body = dict(ORG, country="XQ", languages=["zz"], services=["ito.nope"])
    response = client.post("/api/v1/organizations", json=body, headers=headers)
    assert response.status_code == 422
    assert sorted(response.json["error"]["fields"]) == ["country", "languages", "services"]


def test_patching_another_organization_is_403(client, make_org, make_user, api_token):
    mine, other = make_org(), make_org()
    make_user("u@example.com", organization_id=mine.id)
    headers = api_token("u@example.com")
    response = client.patch(
        f"/api/v1/organizations/{other.id}", json={"city": "X"}, headers=headers
    )
    assert response.status_code == 403


def test_unknown_id_is_404(client):
    response = client.get("/api/v1/organizations/424242")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_wrong_content_type_and_empty_body(client, make_user, api_token):
    make_user("u@example.com")
    headers = api_token("u@example.com")
    assert (
        client.post("/api/v1/organizations", data="kind=provider", headers=headers).status_code
        == 415
    )
    response = client.post(
        "/api/v1/organizations", data="", headers={**headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    response = client.post("/api/v1/organizations", json=[1, 2], headers=headers)
    assert response.status_code == 400


def test_revoked_token_is_refused(client, make_user):
    make_user("u@example.com")
    created = client.post(
        "/api/v1/auth/tokens", json={"email": "u@example.com", "password": "password123"}
    )
    headers = {"Authorization": f"Bearer {created.json['token']}"}
    assert (
        client.delete(f"/api/v1/auth/tokens/{created.json['id']}", headers=headers).status_code
        == 204
    )
    assert client.post("/api/v1/organizations", json=ORG, headers=headers).status_code == 401


def test_list_with_filters_and_facets(client, make_org):
    make_org(name="A", kind="provider", country="CN", services=["ito.software_rd"])
    make_org(name="B", kind="buyer", country="DE", services=["ito.software_rd"])
    make_org(name="C", kind="buyer", country="SA", services=["bpo.call_center"])
    response = client.get("/api/v1/organizations?kind=buyer")
    body = response.json
    assert body["total"] == 2
    assert [item["name"] for item in body["items"]] == ["B", "C"]
    assert body["facets"]["country"] == {"DE": 1, "SA": 1}
    assert body["facets"]["kind"] == {"provider": 1, "buyer": 2}
    assert body["page"] == 1


def test_list_bad_filters_are_422(client):
    response = client.get("/api/v1/organizations?country=QQ&per_page=1000")
    assert response.status_code == 422
    assert sorted(response.json["error"]["fields"]) == ["country", "per_page"]


def test_openapi_document(client):
    body = client.get("/api/openapi.json").json
    assert body["openapi"].startswith("3.")
    assert "/v1/organizations/{org_id}/recommendations" in body["paths"]


def test_create_as_member_with_organization_is_403(client, make_org, make_user, api_token, db):
    org = make_org()
    make_user("u@example.com", organization_id=org.id)
    headers = api_token("u@example.com")
    response = client.post("/api/v1/organizations", json=ORG, headers=headers)
    assert response.status_code == 403
    assert len(db.exec(select(Organization)).all()) == 1
