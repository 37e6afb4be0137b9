"""API: GET /api/v1/notifications and POST /api/v1/notifications/read."""

from __future__ import annotations

from matchmaker.notifications import service


def _notify(app, db, user, count=1):
    with app.app_context():
        for n in range(count):
            service.notify(db, [user.id], "reply", {"from_org": "Gulf", "subject": f"S{n}"}, "/c/1")
        db.commit()


def test_list_notifications_returns_items_and_unread(app, db, client, make_user, api_token):
    user = make_user("a@example.com")
    _notify(app, db, user, 3)
    headers = api_token("a@example.com")

    body = client.get("/api/v1/notifications?per_page=2", headers=headers).json

    assert [item["text"] for item in body["items"]] == ["Gulf replied: S2", "Gulf replied: S1"]
    assert body["items"][0]["params"] == {"from_org": "Gulf", "subject": "S2"}
    assert body["items"][0]["read_at"] is None
    assert (body["unread"], body["total"], body["page"], body["per_page"], body["has_more"]) == (
        3,
        3,
        1,
        2,
        True,
    )


def test_list_notifications_needs_a_user(client):
    response = client.get("/api/v1/notifications")

    assert response.status_code == 401
    assert response.json["error"]["code"] == "not_authenticated"


def test_mark_read_by_ids_then_all(app, db, client, make_user, api_token):
    user = make_user("a@example.com")
    _notify(app, db, user, 3)
    headers = api_token("a@example.com")
    newest = client.get("/api/v1/notifications", headers=headers).json["items"][0]["id"]

    one = client.post("/api/v1/notifications/read", json={"ids": [newest]}, headers=headers)
    rest = client.post("/api/v1/notifications/read", json={}, headers=headers)

    assert (one.status_code, one.json) == (200, {"marked": 1, "unread": 2})
    assert (rest.status_code, rest.json) == (200, {"marked": 2, "unread": 0})


def test_mark_read_refuses_bad_ids(client, make_user, api_token):
    make_user("a@example.com")
    headers = api_token("a@example.com")

    response = client.post("/api/v1/notifications/read", json={"ids": ["x"]}, headers=headers)

    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"ids": "Must be a whole number."}
