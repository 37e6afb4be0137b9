import time

from flask_babel import force_locale, gettext
from itsdangerous import TimestampSigner

from matchmaker.accounts import recovery

from .conftest import link_in


def _register(client, email="new@example.com"):
    return client.post(
        "/account/register",
        data={
            "display_name": "Wang Fang",
            "email": email,
            "password": "s3cret-pass",
            "confirm": "s3cret-pass",
        },
    )


def test_register_queues_one_verification_mail(client, outbox):
    _register(client)
    mails = outbox("new@example.com")
    assert len(mails) == 1
    assert mails[0].subject == "Confirm your e-mail address"
    assert link_in(mails[0], "verify").startswith("/account/verify/")


def test_verification_mail_is_written_in_the_users_language(app, db, make_user, outbox):
    user = make_user("fr@example.com", locale="fr")
    with app.test_request_context(), force_locale("en"):
        recovery.send_verification(db, user)
    with app.test_request_context(), force_locale("fr"):
        expected = gettext("Confirm your e-mail address")
    assert outbox("fr@example.com")[0].subject == expected


def test_verification_link_verifies_once(client, db, outbox):
    _register(client)
    path = link_in(outbox("new@example.com")[0], "verify")
    first = client.get(path)
    assert first.status_code == 200
    assert "E-mail address confirmed" in first.get_data(as_text=True)
    db.expire_all()
    verified_at = recovery.user_by_email(db, "new@example.com").email_verified_at
    assert verified_at is not None

    again = client.get(path)
    assert again.status_code == 410
    assert "This link was used already" in again.get_data(as_text=True)
    db.expire_all()
    assert recovery.user_by_email(db, "new@example.com").email_verified_at == verified_at


def test_verification_link_forged_shows_invalid_page_and_changes_nothing(client, db, outbox):
    _register(client)
    path = link_in(outbox("new@example.com")[0], "verify")
    response = client.get(path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB"))
    assert response.status_code == 400
    assert "This link is not valid" in response.get_data(as_text=True)
    db.expire_all()
    user = recovery.user_by_email(db, "new@example.com")
    assert user.email_verified_at is None


def test_verification_link_expired_shows_expired_page(app, client, db, make_user, monkeypatch):
    user = make_user("late@example.com")
    four_days_ago = int(time.time()) - 4 * 24 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _self: four_days_ago)
    with app.test_request_context():
        token = recovery.verification_token(user)
    monkeypatch.undo()
    response = client.get(f"/account/verify/{token}")
    assert response.status_code == 410
    assert "This link has expired" in response.get_data(as_text=True)
    db.expire_all()
    assert recovery.user_by_email(db, "late@example.com").email_verified_at is None


def test_verification_link_for_another_purpose_is_invalid(app, client, make_user):
    user = make_user("mixed@example.com")
    with app.test_request_context():
        reset_token = recovery.reset_token(user)
    assert client.get(f"/account/verify/{reset_token}").status_code == 400


def test_verification_link_too_long_is_invalid(client):
    assert client.get("/account/verify/" + "a" * 600).status_code == 400


def test_resend_verification_is_throttled(client, make_user, login, outbox):
    make_user("again@example.com")
    login("again@example.com")
    for _ in range(3):
        assert client.post("/account/verification").status_code == 303
    response = client.post("/account/verification", follow_redirects=True)
    assert "A link was sent several times already." in response.get_data(as_text=True)
    assert len(outbox("again@example.com")) == 3


def test_account_page_shows_banner_until_verified(client, db, make_user, login):
    user = make_user("banner@example.com")
    login("banner@example.com")
    assert "Send the link again" in client.get("/account/").get_data(as_text=True)
    user.email_verified_at = recovery.utcnow()
    db.add(user)
    db.commit()
    html = client.get("/account/").get_data(as_text=True)
    assert "Send the link again" not in html
    assert "Address confirmed" in html


def test_api_resend_verification_reports_state(client, db, make_user, api_token, outbox):
    user = make_user("api-verify@example.com")
    headers = api_token("api-verify@example.com")
    response = client.post("/api/v1/auth/verification", headers=headers)
    assert response.status_code == 200
    assert response.json == {"email": "api-verify@example.com", "verified": False, "sent": True}
    assert len(outbox("api-verify@example.com")) == 1
    user.email_verified_at = recovery.utcnow()
    db.add(user)
    db.commit()
    response = client.post("/api/v1/auth/verification", headers=headers)
    assert response.json == {"email": "api-verify@example.com", "verified": True, "sent": False}


def test_api_resend_verification_after_three_is_429(client, make_user, api_token):
    make_user("api-flood@example.com")
    headers = api_token("api-flood@example.com")
    for _ in range(3):
        assert client.post("/api/v1/auth/verification", headers=headers).status_code == 200
    response = client.post("/api/v1/auth/verification", headers=headers)
    assert response.status_code == 429
    assert response.json["error"]["code"] == "too_many_requests"
