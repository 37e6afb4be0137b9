"""The conversations JSON API."""

from __future__ import annotations


def _start(client, headers, to_id, **extra):
    body = {"to_organization_id": to_id, "subject": "Claims", "message": "Hello"}
    body.update(extra)
    return client.post("/api/v1/conversations", json=body, headers=headers)


def test_api_start_read_and_reply(client, api_token, buyer, provider):
    buyer_auth = api_token(buyer.user.email)
    created = _start(client, buyer_auth, provider.org.id, services=["bpo.call_center"])
    assert created.status_code == 201
    conversation_id = created.json["id"]

    provider_auth = api_token(provider.user.email)
    inbox = client.get("/api/v1/conversations", headers=provider_auth).json
    assert [(i["id"], i["unread"], i["partner"]["id"]) for i in inbox["items"]] == [
        (conversation_id, 1, buyer.org.id)
    ]
    reply = client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"body": "مرحبا"},
        headers=provider_auth,
    )
    assert reply.status_code == 201

    thread = client.get(f"/api/v1/conversations/{conversation_id}", headers=buyer_auth).json
    assert [o["id"] for o in thread["organizations"]] == [buyer.org.id, provider.org.id]
    assert [(m["body"], m["language"], m["author"]["name"]) for m in thread["messages"]] == [
        ("Hello", "en", "Anna Weber"),
        ("مرحبا", "ar", "Li Wei"),
    ]
    assert thread["services"] == ["bpo.call_center"]


def test_api_bad_inputs(client, api_token, buyer, provider, make_org):
    auth = api_token(buyer.user.email)
    hidden = make_org(visibility="hidden")
    assert _start(client, auth, hidden.id).status_code == 404
    assert _start(client, auth, buyer.org.id).status_code == 422
    assert _start(client, auth, provider.org.id, message="").status_code == 422
    too_long = _start(client, auth, provider.org.id, message="x" * 20_000)
    assert (too_long.status_code, list(too_long.json["error"]["fields"])) == (422, ["message"])
    assert _start(client, auth, provider.org.id, surprise=1).status_code == 422


def test_api_blocked_is_403_and_limit_is_429(app, client, api_token, db, buyer, provider):
    from matchmaker.conversations.models import Block

    auth = api_token(buyer.user.email)
    db.add(Block(organization_id=provider.org.id, blocked_organization_id=buyer.org.id))
    db.commit()
    assert _start(client, auth, provider.org.id).json["error"]["code"] == "forbidden"
    app.config["CONVERSATIONS_PER_DAY"] = 0
    db.delete(db.get(Block, 1))
    db.commit()
    limited = _start(client, auth, provider.org.id)
    assert (limited.status_code, limited.json["error"]["code"]) == (429, "too_many_requests")


def test_api_conversation_of_others_is_404(client, api_token, buyer, provider, make_org, member):
    created = _start(client, api_token(buyer.user.email), provider.org.id).json
    stranger = member(make_org())
    auth = api_token(stranger.email)
    assert client.get(f"/api/v1/conversations/{created['id']}", headers=auth).status_code == 404
    reply = client.post(
        f"/api/v1/conversations/{created['id']}/messages", json={"body": "x"}, headers=auth
    )
    assert reply.status_code == 404


def test_api_anonymous_is_401(client):
    assert client.get("/api/v1/conversations").status_code == 401
