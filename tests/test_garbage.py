"""Garbage into every form and API endpoint: a clear 4xx, never a 500."""

from __future__ import annotations

import pytest

GARBAGE_VALUES = [
    "",
    "x" * 10_000,
    "\x00\x01\x02",
    "'; DROP TABLE organizations; --",
    "<script>alert(1)</script>",
    "NEAR(",
    '"unbalanced',
    "*:*",
    "-1",
    "١٢٣",
    "💥",
]

FORM_URLS = [
    "/account/login",
    "/account/register",
    "/account/",
    "/organizations/new",
]

JSON_BODIES = [
    None,
    "",
    "null",
    "[]",
    "123",
    '"text"',
    "{",
    '{"kind": 5}',
    '{"name": null}',
    '{"services": "ito.software_rd"}',
    '{"services": [1, 2]}',
    '{"description": ["en"]}',
    '{"founded": "soon"}',
    '{"founded": true}',
    '{"visibility": {}}',
    '{"target_markets": [null]}',
    '{"description": {"xx": "hi"}}',
    '{"description": {"en": 5}}',
    '{"website": "javascript:alert(1)"}',
]


@pytest.fixture
def signed_in(client, make_org, make_user, login):
    org = make_org(name="Mine")
    make_user("m@example.com", organization_id=org.id)
    login("m@example.com")
    return org


@pytest.mark.parametrize("value", GARBAGE_VALUES)
def test_forms_never_fail_with_500(client, signed_in, value):
    fields = [
        "email",
        "password",
        "confirm",
        "display_name",
        "name",
        "kind",
        "country",
        "website",
        "founded",
        "size",
        "budget",
        "services",
        "languages",
        "visibility",
        "action",
        "settings-locale",
        "password-new_password",
        "token-name",
        "description_en",
    ]
    data = dict.fromkeys(fields, value)
    for url in [*FORM_URLS, f"/organizations/{signed_in.id}/edit"]:
        response = client.post(url, data=data)
        assert response.status_code < 500, (url, response.status_code)
    for url in [
        f"/organizations/{signed_in.id}/partners/{signed_in.id}/save",
        f"/organizations/{signed_in.id}/partners/999/dismiss",
    ]:
        assert client.post(url, data=data).status_code < 500


@pytest.mark.parametrize("value", GARBAGE_VALUES)
def test_query_strings_never_fail_with_500(client, signed_in, value):
    for key in [
        "q",
        "kind",
        "country",
        "market",
        "family",
        "service",
        "language",
        "page",
        "per_page",
    ]:
        for url in ["/organizations", "/api/v1/organizations"]:
            response = client.get(url, query_string={key: value})
            assert response.status_code in (200, 400, 422), (url, key, response.status_code)
    response = client.get(
        f"/api/v1/organizations/{signed_in.id}/recommendations", query_string={"limit": value}
    )
    assert response.status_code in (200, 400, 422)


@pytest.mark.parametrize("body", JSON_BODIES)
def test_api_bodies_never_fail_with_500(client, signed_in, make_user, api_token, body):
    make_user("admin@example.com", role="admin")
    headers = api_token("admin@example.com")
    calls = [
        ("post", "/api/v1/organizations"),
        ("patch", f"/api/v1/organizations/{signed_in.id}"),
        ("post", "/api/v1/auth/tokens"),
        ("post", f"/api/v1/organizations/{signed_in.id}/saved"),
        ("post", f"/api/v1/organizations/{signed_in.id}/dismissed"),
    ]
    for method, url in calls:
        kwargs = {"headers": {**headers, "Content-Type": "application/json"}}
        if body is not None:
            kwargs["data"] = body
        response = getattr(client, method)(url, **kwargs)
        assert 400 <= response.status_code < 500, (method, url, body, response.status_code)
        assert set(response.json["error"]) == {"code", "message", "fields"}


def test_unknown_api_route_and_method_are_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    response = client.put("/api/v1/organizations")
    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"
