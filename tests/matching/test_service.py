"""Recommendations through the web and the API: complementary, visible, explained, fresh."""

from __future__ import annotations


def _buyer_and_providers(make_org):
    buyer = make_org(
        name="Nordlicht Insurance",
        kind="buyer",
        country="DE",
        services=["ito.software_rd", "bpo.call_center"],
        languages=["de", "en"],
    )
    good = make_org(
        name="Dalian Soft",
        kind="provider",
        country="CN",
        services=["ito.software_rd"],
        target_markets=["developed"],
        languages=["en", "de"],
    )
    other_buyer = make_org(
        name="Other Buyer",
        kind="buyer",
        country="FR",
        services=["ito.software_rd"],
        languages=["fr"],
    )
    unrelated = make_org(
        name="Pharma Lab",
        kind="provider",
        country="CN",
        services=["kpo.pharma_biotech_rd"],
        target_markets=["developed"],
    )
    return buyer, good, other_buyer, unrelated


def _names(response):
    return [item["organization"]["name"] for item in response.json["items"]]


def _team_headers(make_user, api_token, org) -> dict[str, str]:
    """A bearer token of a member of ``org``: only its team reads its recommendations."""
    email = f"team{org.id}@example.com"
    make_user(email, organization_id=org.id)
    return api_token(email)


def test_buyer_gets_complementary_providers_with_reasons(client, make_org, make_user, api_token):
    buyer, _good, _other, _unrelated = _buyer_and_providers(make_org)
    headers = _team_headers(make_user, api_token, buyer)
    response = client.get(
        f"/api/v1/organizations/{buyer.id}/recommendations?limit=5", headers=headers
    )
    assert response.status_code == 200
    assert _names(response) == ["Dalian Soft"]
    reasons = response.json["items"][0]["reasons"]
    assert {
        "type": "service",
        "code": "ito.software_rd",
        "label": "Offers software R&D and development, which you seek",
        "organizations": [],
    } in reasons
    assert all(set(reason) == {"type", "code", "label", "organizations"} for reason in reasons)


def test_provider_gets_buyers(client, make_org, make_user, api_token):
    _buyer, good, _other, _unrelated = _buyer_and_providers(make_org)
    headers = _team_headers(make_user, api_token, good)
    names = _names(client.get(f"/api/v1/organizations/{good.id}/recommendations", headers=headers))
    assert sorted(names) == ["Nordlicht Insurance", "Other Buyer"]


def test_reason_labels_follow_the_readers_language(client, make_org, make_user, api_token):
    buyer, *_rest = _buyer_and_providers(make_org)
    headers = _team_headers(make_user, api_token, buyer)
    response = client.get(
        f"/api/v1/organizations/{buyer.id}/recommendations?lang=zh_Hans", headers=headers
    )
    labels = [reason["label"] for reason in response.json["items"][0]["reasons"]]
    assert "Offers software R&D and development, which you seek" not in labels
    assert any("软件" in label for label in labels)


def test_hidden_and_members_only_candidates(client, make_org, make_user, login):
    buyer, _good, _other, _unrelated = _buyer_and_providers(make_org)
    make_org(
        name="Secret Soft",
        kind="provider",
        services=["ito.software_rd"],
        visibility="hidden",
        target_markets=["developed"],
    )
    make_org(
        name="Club Soft",
        kind="provider",
        services=["ito.software_rd"],
        visibility="members",
        target_markets=["developed"],
    )
    # Only the buyer's team reads its suggestions (always signed in): members-only
    # providers show, hidden ones never do.
    make_user("x@example.com", organization_id=buyer.id)
    login("x@example.com")
    signed_in = _names(client.get(f"/api/v1/organizations/{buyer.id}/recommendations"))
    assert "Club Soft" in signed_in
    assert "Secret Soft" not in signed_in


def test_profile_edit_shows_up_in_next_request(client, make_org, make_user, api_token):
    buyer, _good, _other, unrelated = _buyer_and_providers(make_org)
    team = _team_headers(make_user, api_token, buyer)
    assert "Pharma Lab" not in _names(
        client.get(f"/api/v1/organizations/{buyer.id}/recommendations", headers=team)
    )
    make_user("lab@example.com", organization_id=unrelated.id)
    headers = api_token("lab@example.com")
    patched = client.patch(
        f"/api/v1/organizations/{unrelated.id}",
        json={"services": ["bpo.call_center"]},
        headers=headers,
    )
    assert patched.status_code == 200
    assert "Pharma Lab" in _names(
        client.get(f"/api/v1/organizations/{buyer.id}/recommendations", headers=team)
    )


def test_save_and_dismiss_remove_the_suggestion(client, make_org, make_user, login):
    buyer, good, _other, _unrelated = _buyer_and_providers(make_org)
    second = make_org(
        name="Wuxi Calls", kind="provider", services=["bpo.call_center"], target_markets=["DE"]
    )
    make_user("b@example.com", organization_id=buyer.id)
    login("b@example.com")
    before = _names(client.get(f"/api/v1/organizations/{buyer.id}/recommendations"))
    assert sorted(before) == ["Dalian Soft", "Wuxi Calls"]
    assert client.post(f"/organizations/{buyer.id}/partners/{good.id}/save").status_code == 303
    assert client.post(f"/organizations/{buyer.id}/partners/{second.id}/dismiss").status_code == 303
    after = _names(client.get(f"/api/v1/organizations/{buyer.id}/recommendations"))
    assert after == []


def test_cannot_save_for_another_organization(client, make_org, make_user, login):
    buyer, good, other, _unrelated = _buyer_and_providers(make_org)
    make_user("b@example.com", organization_id=other.id)
    login("b@example.com")
    assert client.post(f"/organizations/{buyer.id}/partners/{good.id}/save").status_code == 403


def test_no_services_gives_empty_list_with_hint(client, make_org, make_user, api_token):
    empty = make_org(name="Blank", kind="buyer", services=[])
    headers = _team_headers(make_user, api_token, empty)
    response = client.get(f"/api/v1/organizations/{empty.id}/recommendations", headers=headers)
    assert response.status_code == 200
    assert response.json["items"] == []
    assert (
        response.json["hint"]
        == "Add the services you are looking for to your profile to get suggestions."
    )


def test_bad_limit_is_422_and_unknown_org_404(client, make_org, make_user, api_token):
    buyer, *_rest = _buyer_and_providers(make_org)
    headers = _team_headers(make_user, api_token, buyer)
    for bad in ["0", "101", "ten", "-1", "1.5"]:
        response = client.get(
            f"/api/v1/organizations/{buyer.id}/recommendations?limit={bad}", headers=headers
        )
        assert response.status_code == 422
        assert list(response.json["error"]["fields"]) == ["limit"]
    missing = client.get("/api/v1/organizations/99999/recommendations", headers=headers)
    assert missing.status_code == 404


def test_profile_page_lists_recommendations_with_buttons_for_editors(
    client, make_org, make_user, login
):
    buyer, good, _other, _unrelated = _buyer_and_providers(make_org)
    html = client.get(f"/organizations/{buyer.id}").get_data(as_text=True)
    # Suggestions speak to the organization ("which you seek"): others do not see them.
    assert "Dalian Soft" not in html
    assert "/partners/" not in html
    make_user("b@example.com", organization_id=buyer.id)
    login("b@example.com")
    html = client.get(f"/organizations/{buyer.id}").get_data(as_text=True)
    assert "Dalian Soft" in html
    assert "Offers software R&amp;D and development, which you seek" in html
    assert f"/organizations/{buyer.id}/partners/{good.id}/save" in html


def test_two_workers_stay_consistent(app, client, make_org, make_user, api_token):
    """A second app on the same database (another gunicorn worker) sees edits made by the first."""
    from matchmaker import create_app

    buyer, _good, _other, unrelated = _buyer_and_providers(make_org)
    other_worker = create_app(
        {
            key: app.config[key]
            for key in (
                "TESTING",
                "DATABASE_URL",
                "SEARCH_INDEX_PATH",
                "SECRET_KEY",
                "ELASTICSEARCH_URL",
            )
        }
    )
    other_client = other_worker.test_client()
    url = f"/api/v1/organizations/{buyer.id}/recommendations"
    team = _team_headers(make_user, api_token, buyer)
    assert _names(other_client.get(url, headers=team)) == ["Dalian Soft"]
    make_user("lab@example.com", organization_id=unrelated.id)
    headers = api_token("lab@example.com")
    client.patch(
        f"/api/v1/organizations/{unrelated.id}",
        json={"services": ["ito.software_rd"]},
        headers=headers,
    )
    assert sorted(_names(other_client.get(url, headers=team))) == ["Dalian Soft", "Pharma Lab"]
    client.delete(f"/api/v1/organizations/{unrelated.id}", headers=headers)
    assert _names(other_client.get(url, headers=team)) == ["Dalian Soft"]
    other_worker.extensions["matchmaker.engine"].dispose()


def test_profile_of_a_suggested_partner_says_why_it_fits(client, make_org, make_user, login):
    buyer, good, _other, unrelated = _buyer_and_providers(make_org)
    make_user("b@example.com", organization_id=buyer.id)
    login("b@example.com")
    html = client.get(f"/organizations/{good.id}").get_data(as_text=True)
    assert "Suggested for you" in html
    assert "Offers software R&amp;D and development, which you seek" in html
    assert f"/organizations/{buyer.id}/partners/{good.id}/save" in html
    assert "Suggested for you" not in client.get(f"/organizations/{unrelated.id}").get_data(
        as_text=True
    )


def test_worker_rebuilds_when_changes_it_missed_were_pruned(
    app, client, db, make_org, make_user, api_token
):
    from sqlmodel import delete

    from matchmaker.profiles.models import GraphChange

    buyer, *_rest = _buyer_and_providers(make_org)
    db.add(GraphChange(organization_id=buyer.id))
    db.commit()
    url = f"/api/v1/organizations/{buyer.id}/recommendations"
    team = _team_headers(make_user, api_token, buyer)
    assert _names(client.get(url, headers=team)) == ["Dalian Soft"]
    # A provider arrives while this worker sleeps; its log entry is pruned before it wakes.
    make_org(
        name="Late Soft",
        kind="provider",
        services=["ito.software_rd"],
        target_markets=["developed"],
    )
    db.exec(delete(GraphChange))
    db.add(GraphChange(id=10_000, organization_id=buyer.id))
    db.commit()
    assert sorted(_names(client.get(url, headers=team))) == ["Dalian Soft", "Late Soft"]


def test_peers_reason_names_only_firms_the_reader_may_see(
    app, db, client, make_org, make_user, api_token
):
    from matchmaker.matching import service as matching

    buyer, good, _other, _unrelated = _buyer_and_providers(make_org)
    seen, hidden = (
        make_org(
            name=name,
            kind="buyer",
            country="DE",
            services=["ito.software_rd"],
            languages=["de", "en"],
            visibility=visibility,
        )
        for name, visibility in (("Hamburg Re", "public"), ("Quiet Buyer", "hidden"))
    )
    for org in (seen, hidden):
        member = make_user(organization_id=org.id)
        with app.test_request_context():
            matching.save_partner(db, member, org.id, good.id)
    headers = _team_headers(make_user, api_token, buyer)
    items = client.get(f"/api/v1/organizations/{buyer.id}/recommendations", headers=headers).json[
        "items"
    ]
    reasons = next(i["reasons"] for i in items if i["organization"]["id"] == good.id)
    peers = next(r for r in reasons if r["type"] == "peers")
    assert peers["organizations"] == [seen.id]
    assert peers["label"] == "Buyers like you met or saved this provider: Hamburg Re"
    chinese = client.get(
        f"/api/v1/organizations/{buyer.id}/recommendations?lang=zh_Hans", headers=headers
    ).json["items"]
    labels = [r["label"] for i in chinese for r in i["reasons"] if r["type"] == "peers"]
    assert labels == ["与您相似的采购商曾洽谈或收藏过该服务商：Hamburg Re"]
