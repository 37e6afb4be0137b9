"""API tokens expire (90 days unless chosen), note when they were last used, and say so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from matchmaker.accounts import service
from matchmaker.accounts.models import ApiToken, utcnow
from matchmaker.accounts.sessions import aware
from matchmaker.errors import ValidationFailed


def _token_row(db, token_id: int) -> ApiToken:
    db.expire_all()
    return db.get(ApiToken, token_id)


def _create(client, **extra):
    body = {"email": "t@example.com", "password": "password123", **extra}
    return client.post("/api/v1/auth/tokens", json=body)


def test_api_token_expires_in_90_days_by_default(client, make_user):
    make_user("t@example.com")
    before = utcnow()
    response = _create(client)
    assert response.status_code == 201
    body = response.json
    assert body["last_used_at"] is None
    expires = aware(_parse(body["expires_at"]))
    assert before + timedelta(days=90) <= expires <= utcnow() + timedelta(days=90)


def test_api_token_lifetime_can_be_chosen(client, db, make_user):
    make_user("t@example.com")
    response = _create(client, expires_in_days=7)
    assert response.status_code == 201
    row = _token_row(db, response.json["id"])
    assert aware(row.expires_at) - aware(row.created_at) == timedelta(days=7)
    assert _create(client, expires_in_days=365.0).status_code == 201


@pytest.mark.parametrize("days", [0, 366, -1, "30", 1.5, True, None])
def test_api_token_lifetime_out_of_range_is_422(client, make_user, days):
    make_user("t@example.com")
    response = _create(client, expires_in_days=days)
    if days is None:  # null means the default
        assert response.status_code == 201
        return
    assert response.status_code == 422, response.json
    assert "expires_in_days" in response.json["error"]["fields"]


def test_service_refuses_bad_lifetimes(db, make_user):
    user = make_user()
    for days in (0, 366, True, "9"):
        with pytest.raises(ValidationFailed):
            service.create_token(db, user, "x", expires_in_days=days)
    assert db.exec(select(ApiToken).where(ApiToken.user_id == user.id)).first() is None


def test_an_expired_token_answers_401_invalid_token(client, db, make_user):
    make_user("t@example.com")
    created = _create(client).json
    headers = {"Authorization": f"Bearer {created['token']}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    row = _token_row(db, created["id"])
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.add(row)
    db.commit()

    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert response.json["error"]["code"] == "not_authenticated"
    # A public route too: a bad token is never a silent anonymous read.
    assert client.get("/api/v1/organizations", headers=headers).status_code == 401


def test_old_tokens_without_expiry_keep_working(client, db, make_user):
    make_user("t@example.com")
    created = _create(client).json
    row = _token_row(db, created["id"])
    row.expires_at = None
    db.add(row)
    db.commit()
    headers = {"Authorization": f"Bearer {created['token']}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    listed = client.get("/api/v1/auth/tokens", headers=headers).json["items"]
    assert listed[0]["expires_at"] is None


def test_bearer_use_sets_last_used_at_at_most_once_a_minute(client, db, make_user):
    make_user("t@example.com")
    created = _create(client).json
    headers = {"Authorization": f"Bearer {created['token']}"}
    assert _token_row(db, created["id"]).last_used_at is None

    client.get("/api/v1/me", headers=headers)
    first = aware(_token_row(db, created["id"]).last_used_at)
    assert first is not None
    client.get("/api/v1/me", headers=headers)
    assert aware(_token_row(db, created["id"]).last_used_at) == first

    row = _token_row(db, created["id"])
    row.last_used_at = utcnow() - timedelta(minutes=2)
    db.add(row)
    db.commit()
    client.get("/api/v1/me", headers=headers)
    assert aware(_token_row(db, created["id"]).last_used_at) >= first


def test_token_list_has_expiry_and_last_use_and_leaves_out_expired(client, db, make_user):
    make_user("t@example.com")
    old = _create(client, name="old").json
    current = _create(client, name="current", expires_in_days=30).json
    row = _token_row(db, old["id"])
    row.expires_at = utcnow() - timedelta(days=1)
    db.add(row)
    db.commit()

    headers = {"Authorization": f"Bearer {current['token']}"}
    items = client.get("/api/v1/auth/tokens", headers=headers).json["items"]
    assert [item["name"] for item in items] == ["current"]
    (item,) = items
    assert set(item) == {"id", "name", "created_at", "expires_at", "last_used_at"}
    assert item["last_used_at"] is not None  # this very request used it
    assert _parse(item["expires_at"]) - _parse(item["created_at"]) == timedelta(days=30)


def test_account_page_creates_tokens_with_a_chosen_lifetime(client, db, make_user, login):
    user = make_user("t@example.com")
    login("t@example.com")
    page = client.get("/account/").get_data(as_text=True)
    assert 'name="token-expires_in_days"' in page
    assert "365 days" in page

    response = client.post(
        "/account/",
        data={"action": "token", "token-name": "CRM sync", "token-expires_in_days": "180"},
    )
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "Copy your new token now" in html
    row = db.exec(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert aware(row.expires_at) - aware(row.created_at) == timedelta(days=180)

    refused = client.post(
        "/account/",
        data={"action": "token", "token-name": "Odd", "token-expires_in_days": "1000"},
    )
    assert refused.status_code == 422
    assert "Not a valid choice" in refused.get_data(as_text=True)


def test_account_page_shows_last_use_expiry_and_expired(client, db, make_user, login):
    user = make_user("t@example.com")
    login("t@example.com")
    token, _plain = service.create_token(db, user, "Nightly export")
    html = client.get("/account/").get_data(as_text=True)
    assert "Last used" in html and "Expires" in html
    assert "Never" in html  # not used yet
    assert "Active" in html

    token.expires_at = utcnow() - timedelta(days=1)
    db.add(token)
    db.commit()
    html = client.get("/account/").get_data(as_text=True)
    assert "Expired" in html
    assert f"/account/tokens/{token.id}/revoke" not in html


def _parse(value: str):
    from datetime import datetime

    return datetime.fromisoformat(value.replace("Z", "+00:00"))
