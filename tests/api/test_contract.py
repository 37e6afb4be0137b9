"""API v1 as an outside client meets it: the document, credentials, ids, bad input."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from matchmaker.api.spec import OPERATIONS

ORG = {"kind": "buyer", "name": "Nordlicht Versicherung", "country": "DE", "services": []}


def test_document_validates_as_openapi_3_1(client):
    document = client.get("/api/openapi.json").json
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "http://127.0.0.1:5000/api", "description": "This site"}]


def test_document_describes_every_route_of_the_api(app, client):
    document = client.get("/api/openapi.json").json
    declared = {(op.method, "/api" + op.path) for op in OPERATIONS}
    documented = {
        (method.upper(), "/api" + path)
        for path, item in document["paths"].items()
        for method in item
    }
    routed = {
        (method, rule.rule.replace("<id:", "<").replace("<", "{").replace(">", "}"))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    routed = {(m, p.split("{any(")[0] + "{code_set}" if "any(" in p else p) for m, p in routed}
    assert declared == documented == routed


def test_every_operation_is_described_for_client_authors(client):
    document = client.get("/api/openapi.json").json
    ids = []
    for path, item in document["paths"].items():
        for method, op in item.items():
            where = f"{method} {path}"
            ids.append(op["operationId"])
            assert op["tags"] and op["summary"] and op["description"], where
            assert "security" in op, where
            assert any(code.startswith("2") for code in op["responses"]), where
            for code, response in op["responses"].items():
                if code.startswith(("4", "5")):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, where
            for parameter in op["parameters"]:
                assert parameter["description"], (where, parameter["name"])
            if "requestBody" in op:
                assert op["requestBody"]["required"] is True, where
                assert {"400", "415", "422"} <= set(op["responses"]), where
    assert len(ids) == len(set(ids))


def test_document_enumerates_vocabularies_and_forbids_unknown_fields(client):
    schemas = client.get("/api/openapi.json").json["components"]["schemas"]
    new = schemas["NewOrganization"]
    assert new["additionalProperties"] is False
    assert sorted(new["required"]) == ["country", "kind", "name"]
    assert "CN" in schemas["CountryCode"]["enum"]
    assert "ito.software_rd" in schemas["ServiceCode"]["enum"]
    assert schemas["Kind"]["enum"] == ["provider", "buyer"]


def test_public_reads_need_no_credentials_and_writes_do(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert paths["/v1/organizations"]["get"]["security"][0] == {}
    assert paths["/v1/organizations"]["post"]["security"] == [{"bearer": []}, {"session": []}]
    assert paths["/v1/auth/tokens"]["post"]["security"] == []


def test_invalid_token_is_401_with_challenge_on_every_route(client):
    for path in ("/api/v1/organizations", "/api/v1/reference/countries", "/api/v1/me"):
        response = client.get(path, headers={"Authorization": "Bearer mm_not-a-token"})
        assert response.status_code == 401, path
        assert response.headers["WWW-Authenticate"] == (
            'Bearer realm="matchmaker", error="invalid_token"'
        )


def test_revoked_token_is_401(client, make_user, api_token):
    make_user("u@example.com")
    headers = api_token("u@example.com")
    token_id = client.get("/api/v1/auth/tokens", headers=headers).json["items"][0]["id"]
    assert client.delete(f"/api/v1/auth/tokens/{token_id}", headers=headers).status_code == 204
    response = client.get("/api/v1/organizations", headers=headers)
    assert response.status_code == 401


def test_missing_credentials_401_carries_challenge(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="matchmaker"'


@pytest.mark.parametrize(
    "body",
    [
        b'{"email": "a\\ud800", "password": "x"}',
        b'{"email": "a@b.c", "password": "\\udfff"}',
    ],
)
def test_lone_surrogate_is_400_not_500(client, body):
    response = client.post("/api/v1/auth/tokens", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "bad_request"


def test_lone_surrogate_in_a_name_changes_nothing(client, db, make_user, api_token):
    make_user("u@example.com")
    headers = {**api_token("u@example.com"), "Content-Type": "application/json"}
    body = b'{"kind": "buyer", "name": "A\\ud83d", "country": "DE"}'
    response = client.post("/api/v1/organizations", data=body, headers=headers)
    assert response.status_code == 400
    assert client.get("/api/v1/organizations").json["total"] == 0


def test_ids_are_never_reused(client, make_user, api_token):
    make_user("admin@example.com", role="admin")
    headers = api_token("admin@example.com")
    first = client.post("/api/v1/organizations", json=ORG, headers=headers).json["id"]
    assert client.delete(f"/api/v1/organizations/{first}", headers=headers).status_code == 204
    second = client.post("/api/v1/organizations", json=ORG, headers=headers).json["id"]
    assert second == first + 1


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
@pytest.mark.parametrize("org_id", ["0", "2147483648", "99999999999", "01"])
def test_out_of_range_id_is_404_on_every_method(client, method, org_id):
    response = getattr(client, method)(f"/api/v1/organizations/{org_id}")
    assert response.status_code == 404


def test_405_names_the_allowed_methods(client):
    response = client.open("/api/v1/organizations", method="TRACE")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert response.json["error"]["code"] == "method_not_allowed"


def test_repeated_and_comma_filters_are_or(client, make_org):
    make_org(kind="provider"), make_org(kind="buyer")
    repeated = client.get("/api/v1/organizations?kind=provider&kind=buyer").json
    joined = client.get("/api/v1/organizations?kind=provider,buyer").json
    assert repeated["total"] == joined["total"] == 2


def test_empty_filter_value_is_422(client):
    response = client.get("/api/v1/organizations?kind=")
    assert response.status_code == 422
    assert list(response.json["error"]["fields"]) == ["kind"]


def test_paging_envelope_and_link_header(client, make_org):
    for _ in range(3):
        make_org()
    response = client.get("/api/v1/organizations?per_page=2")
    assert (response.json["total"], response.json["has_more"]) == (3, True)
    assert response.headers["Link"] == '</api/v1/organizations?per_page=2&page=2>; rel="next"'
    beyond = client.get("/api/v1/organizations?page=10000").json
    assert (beyond["items"], beyond["has_more"], beyond["total"]) == ([], False, 3)


def test_unknown_field_is_422_and_changes_nothing(client, make_user, api_token):
    make_user("u@example.com")
    headers = api_token("u@example.com")
    response = client.post("/api/v1/organizations", json={**ORG, "rating": 5}, headers=headers)
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"rating": "Unknown field."}
    assert client.get("/api/v1/me", headers=headers).json["organization"] is None


def test_string_where_a_number_belongs_is_422(client, make_user, api_token):
    make_user("u@example.com")
    headers = api_token("u@example.com")
    response = client.post(
        "/api/v1/organizations", json={**ORG, "founded": "2008"}, headers=headers
    )
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"founded": "Must be a whole number."}


def test_validation_messages_follow_the_reader_language(client, make_user, api_token):
    make_user("u@example.com")
    headers = api_token("u@example.com")
    response = client.post(
        "/api/v1/organizations?lang=fr", json={**ORG, "rating": 5}, headers=headers
    )
    assert response.json["error"]["fields"]["rating"] == "Champ inconnu."


def test_me_names_account_role_and_organization(client, make_org, make_user, api_token):
    org = make_org(name="Dalian Haixin")
    make_user("u@example.com", organization_id=org.id)
    me = client.get("/api/v1/me", headers=api_token("u@example.com")).json
    assert (me["user"]["email"], me["role"]) == ("u@example.com", "member")
    assert (me["organization"]["id"], me["organization"]["name"]) == (org.id, "Dalian Haixin")


def test_saved_list_and_undo(client, make_org, make_user, api_token):
    mine, other = make_org(kind="buyer"), make_org()
    make_user("u@example.com", organization_id=mine.id)
    headers = api_token("u@example.com")
    base = f"/api/v1/organizations/{mine.id}"
    saved = client.post(f"{base}/saved", json={"organization_id": other.id}, headers=headers)
    assert saved.status_code == 201
    items = client.get(f"{base}/saved", headers=headers).json["items"]
    assert [item["organization"]["id"] for item in items] == [other.id]
    assert client.delete(f"{base}/saved/{other.id}", headers=headers).status_code == 204
    assert client.get(f"{base}/saved", headers=headers).json["items"] == []


def test_dismissed_list_is_for_the_team_only(client, make_org, make_user, api_token):
    mine, other = make_org(kind="buyer"), make_org()
    make_user("u@example.com", organization_id=other.id)
    headers = api_token("u@example.com")
    response = client.get(f"/api/v1/organizations/{mine.id}/dismissed", headers=headers)
    assert response.status_code == 403


def test_reference_labels_follow_the_requested_language(client):
    items = client.get("/api/v1/reference/countries?lang=zh_Hans").json["items"]
    assert {"code": "CN", "label": "中国", "group": "china"} in items
    services = client.get("/api/v1/reference/services", headers={"Accept-Language": "ar"}).json[
        "items"
    ]
    assert services[0]["code"] == "ito.software_rd"
    assert services[0]["group"] == "ito"
    assert client.get("/api/v1/reference/planets").status_code == 404
