"""Recommendations are private to the organization's team and administrators, like the web."""

from __future__ import annotations

import pytest


@pytest.fixture
def buyer_and_provider(make_org):
    buyer = make_org(
        name="Nordlicht Insurance",
        kind="buyer",
        country="DE",
        services=["ito.software_rd"],
        languages=["de", "en"],
    )
    provider = make_org(
        name="Dalian Soft",
        kind="provider",
        services=["ito.software_rd"],
        target_markets=["developed"],
        languages=["en", "de"],
    )
    return buyer, provider


def _url(org_id: int) -> str:
    return f"/api/v1/organizations/{org_id}/recommendations"


def test_anonymous_gets_401(client, buyer_and_provider):
    buyer, _provider = buyer_and_provider
    response = client.get(_url(buyer.id))
    assert response.status_code == 401
    assert response.json["error"]["code"] == "not_authenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    # Nothing to learn about which ids exist either.
    assert client.get(_url(99999)).status_code == 401


@pytest.mark.parametrize("how", ["session", "token"])
def test_member_of_another_organization_gets_403(
    client, make_org, make_user, login, api_token, buyer_and_provider, how
):
    buyer, provider = buyer_and_provider
    make_user("other@example.com", organization_id=provider.id)
    headers = {}
    if how == "session":
        login("other@example.com")
    else:
        headers = api_token("other@example.com")
    response = client.get(_url(buyer.id), headers=headers)
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"
    assert "Dalian Soft" not in response.get_data(as_text=True)


def test_signed_in_without_organization_gets_403(client, make_user, login, buyer_and_provider):
    buyer, _provider = buyer_and_provider
    make_user("lonely@example.com")
    login("lonely@example.com")
    assert client.get(_url(buyer.id)).status_code == 403


@pytest.mark.parametrize("how", ["session", "token"])
def test_team_member_gets_the_list(client, make_user, login, api_token, buyer_and_provider, how):
    buyer, _provider = buyer_and_provider
    make_user("team@example.com", organization_id=buyer.id)
    headers = {}
    if how == "session":
        login("team@example.com")
    else:
        headers = api_token("team@example.com")
    response = client.get(_url(buyer.id), headers=headers)
    assert response.status_code == 200
    assert [item["organization"]["name"] for item in response.json["items"]] == ["Dalian Soft"]


def test_administrator_gets_any_list_and_404_for_unknown(
    client, make_user, api_token, buyer_and_provider
):
    buyer, _provider = buyer_and_provider
    make_user("admin@example.com", role="admin")
    headers = api_token("admin@example.com")
    response = client.get(_url(buyer.id), headers=headers)
    assert response.status_code == 200
    assert [item["organization"]["name"] for item in response.json["items"]] == ["Dalian Soft"]
    assert client.get(_url(99999), headers=headers).status_code == 404


def test_a_signed_in_stranger_cannot_see_a_hidden_organization(client, make_org, make_user, login):
    hidden = make_org(name="Quiet Buyer", kind="buyer", visibility="hidden")
    make_user("stranger@example.com")
    login("stranger@example.com")
    assert client.get(_url(hidden.id)).status_code == 404


def test_the_web_profile_shows_recommendations_only_to_the_team(
    client, make_user, login, buyer_and_provider
):
    buyer, provider = buyer_and_provider
    assert "Dalian Soft" not in client.get(f"/organizations/{buyer.id}").get_data(as_text=True)
    make_user("other@example.com", organization_id=provider.id)
    login("other@example.com")
    html = client.get(f"/organizations/{buyer.id}").get_data(as_text=True)
    # The buyer's own suggestions (and its save buttons) stay hidden; what the reader sees is
    # at most why the buyer suits the reader's own organization.
    assert f"/organizations/{buyer.id}/partners/" not in html
    assert 'id="recommendations"' not in html


def test_openapi_documents_who_may_read_recommendations(client):
    spec = client.get("/api/openapi.json").json
    operation = spec["paths"]["/v1/organizations/{org_id}/recommendations"]["get"]
    assert operation["security"] == [{"bearer": []}, {"session": []}]
    assert {"401", "403", "404"} <= set(operation["responses"])
