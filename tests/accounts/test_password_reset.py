import time

from itsdangerous import TimestampSigner
from sqlmodel import select

from matchmaker.accounts import recovery, service
from matchmaker.accounts.models import ApiToken

from .conftest import link_in

SAME_ANSWER = "If an account exists for this address, a link to reset the password is on its way."


def _ask(client, email):
    return client.post("/account/forgot", data={"email": email})


def test_sign_in_page_links_to_forgot_password(client):
    assert 'href="/account/forgot"' in client.get("/account/login").get_data(as_text=True)


def test_forgot_password_answers_the_same_for_unknown_and_known(client, make_user, outbox):
    make_user("known@example.com")
    known = _ask(client, "known@example.com")
    unknown = _ask(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    assert SAME_ANSWER in known.get_data(as_text=True)
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert [mail.to for mail in outbox()] == ["known@example.com"]


def test_forgot_password_is_throttled_per_address_silently(client, make_user, outbox):
    make_user("many@example.com")
    for _ in range(5):
        response = _ask(client, "MANY@example.com")
        assert response.status_code == 200
        assert SAME_ANSWER in response.get_data(as_text=True)
    assert len(outbox("many@example.com")) == 3


def test_forgot_password_bad_address_is_a_form_error(client):
    response = _ask(client, "not-an-address")
    assert response.status_code == 422
    assert "Enter a valid e-mail address." in response.get_data(as_text=True)


def test_reset_link_sets_the_password_once(client, db, make_user, outbox):
    make_user("reset@example.com", password="old-password")
    _ask(client, "reset@example.com")
    path = link_in(outbox("reset@example.com")[0], "reset")
    assert client.get(path).status_code == 200
    response = client.post(path, data={"new_password": "new-password", "confirm": "new-password"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/login"
    db.expire_all()
    assert service.authenticate(db, "reset@example.com", "new-password") is not None
    assert service.authenticate(db, "reset@example.com", "old-password") is None

    again = client.post(path, data={"new_password": "third-password", "confirm": "third-password"})
    assert again.status_code == 410
    assert "This link was used already" in again.get_data(as_text=True)
    db.expire_all()
    assert service.authenticate(db, "reset@example.com", "new-password") is not None


def test_reset_link_expired_after_an_hour_changes_nothing(app, client, db, make_user, monkeypatch):
    user = make_user("slow@example.com", password="old-password")
    two_hours_ago = int(time.time()) - 2 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _self: two_hours_ago)
    with app.test_request_context():
        token = recovery.reset_token(user)
    monkeypatch.undo()
    response = client.post(
        f"/account/reset/{token}", data={"new_password": "new-password", "confirm": "new-password"}
    )
    assert response.status_code == 410
    assert "This link has expired" in response.get_data(as_text=True)
    db.expire_all()
    assert service.authenticate(db, "slow@example.com", "old-password") is not None


def test_reset_link_forged_is_invalid(client):
    response = client.get("/account/reset/eyJ1IjoxfQ.forged.signature")
    assert response.status_code == 400
    assert "This link is not valid" in response.get_data(as_text=True)


def test_reset_short_password_is_a_form_error(client, make_user, outbox):
    make_user("short@example.com")
    _ask(client, "short@example.com")
    path = link_in(outbox("short@example.com")[0], "reset")
    response = client.post(path, data={"new_password": "short", "confirm": "short"})
    assert response.status_code == 422
    assert "At least 8 characters." in response.get_data(as_text=True)


def test_reset_ends_other_sessions_and_api_tokens(
    client, second_client, db, make_user, login, api_token, outbox
):
    user = make_user("victim@example.com", password="old-password")
    login("victim@example.com", "old-password")
    headers = api_token("victim@example.com", "old-password")
    assert client.get("/account/").status_code == 200
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    _ask(second_client, "victim@example.com")
    path = link_in(outbox("victim@example.com")[0], "reset")
    second_client.post(path, data={"new_password": "new-password", "confirm": "new-password"})

    assert client.get("/account/").status_code == 302
    assert second_client.get("/api/v1/me", headers=headers).status_code == 401
    db.expire_all()
    tokens = list(db.exec(select(ApiToken).where(ApiToken.user_id == user.id)))
    assert [token.revoked_at is not None for token in tokens] == [True]


def test_password_change_ends_other_sessions_but_keeps_this_one(
    client, second_client, make_user, login, api_token
):
    make_user("change@example.com", password="old-password")
    headers = api_token("change@example.com", "old-password")
    login("change@example.com", "old-password")
    other = second_client.post(
        "/account/login", data={"email": "change@example.com", "password": "old-password"}
    )
    assert other.status_code == 302
    assert second_client.get("/account/").status_code == 200

    response = client.post(
        "/account/",
        data={
            "action": "password",
            "password-current_password": "old-password",
            "password-new_password": "new-password",
            "password-confirm": "new-password",
        },
    )
    assert response.status_code == 303
    assert client.get("/account/").status_code == 200
    assert second_client.get("/account/").status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_password_change_with_wrong_current_password_ends_nothing(
    client, second_client, make_user, login
):
    make_user("keep@example.com", password="old-password")
    login("keep@example.com", "old-password")
    second_client.post(
        "/account/login", data={"email": "keep@example.com", "password": "old-password"}
    )
    response = client.post(
        "/account/",
        data={
            "action": "password",
            "password-current_password": "wrong-password",
            "password-new_password": "new-password",
            "password-confirm": "new-password",
        },
    )
    assert response.status_code == 422
    assert second_client.get("/account/").status_code == 200


def test_reset_page_sends_no_referrer(client, make_user, outbox):
    make_user("referrer@example.com")
    _ask(client, "referrer@example.com")
    path = link_in(outbox("referrer@example.com")[0], "reset")
    assert client.get(path).headers["Referrer-Policy"] == "no-referrer"
