"""Server-side sessions: logout, "sign out everywhere" and password changes end them at once."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlmodel import select

from matchmaker.accounts import sessions
from matchmaker.accounts.models import User, UserSession, utcnow

CHROME_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def _sign_in(client, email: str, password: str = "password123", agent: str | None = None):
    headers = {"User-Agent": agent} if agent else {}
    response = client.post(
        "/account/login", data={"email": email, "password": password}, headers=headers
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def _copy_cookie(app, source, target) -> None:
    """What a thief does with a stolen cookie: the same signed value in another browser."""
    name = app.config["SESSION_COOKIE_NAME"]
    target.set_cookie(name, source.get_cookie(name).value)


def _rows(db, user_id: int) -> list[UserSession]:
    db.expire_all()
    return list(
        db.exec(select(UserSession).where(UserSession.user_id == user_id).order_by(UserSession.id))
    )


def _signed_in(client) -> bool:
    return client.get("/account/").status_code == 200


def test_sign_in_stores_only_a_hash_of_the_cookie_key(app, client, db, make_user):
    user = make_user("hash@example.com")
    _sign_in(client, "hash@example.com", agent=CHROME_ON_WINDOWS + " " + "x" * 500)
    (row,) = _rows(db, user.id)
    with client.session_transaction() as cookie:
        key = cookie[sessions.COOKIE_KEY]
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in row.key_hash
    assert row.ended_at is None
    assert len(row.user_agent) == sessions.USER_AGENT_LENGTH
    assert row.user_agent.startswith("Mozilla/5.0 (Windows NT 10.0")


def test_a_cookie_copied_before_logout_no_longer_opens_the_account(
    app, client, second_client, db, make_user
):
    user = make_user("copied@example.com")
    _sign_in(client, "copied@example.com")
    _copy_cookie(app, client, second_client)
    assert _signed_in(second_client)  # the copy works while the session lives

    assert client.post("/account/logout").status_code == 302
    assert not _signed_in(client)
    response = second_client.get("/account/")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]
    (row,) = _rows(db, user.id)
    assert row.ended_at is not None


def test_an_ended_session_shows_signed_out_and_clears_the_cookie(client, db, make_user):
    user = make_user("ended@example.com")
    _sign_in(client, "ended@example.com")
    (row,) = _rows(db, user.id)
    row.ended_at = utcnow()
    db.add(row)
    db.commit()

    html = client.get("/").get_data(as_text=True)
    assert "Sign in" in html and "Sign out" not in html
    with client.session_transaction() as cookie:
        assert "_user_id" not in cookie
        assert sessions.COOKIE_KEY not in cookie
    assert client.get("/account/").status_code == 302


def test_a_session_without_a_row_is_signed_out(client, db, make_user):
    """Cookies made before sessions were stored (only an epoch) sign out once."""
    user = make_user("legacy@example.com")
    with client.session_transaction() as cookie:
        cookie["_user_id"] = str(user.id)
        cookie["_fresh"] = True
        cookie["epoch"] = 0
    assert client.get("/account/").status_code == 302


def test_a_key_of_another_account_does_not_open_this_one(client, db, make_user):
    make_user("one@example.com")
    two = make_user("two@example.com")
    _sign_in(client, "one@example.com")
    with client.session_transaction() as cookie:
        cookie["_user_id"] = str(two.id)  # a valid key, but of the first account's session
    assert client.get("/account/").status_code == 302


def test_remember_me_cookie_does_not_revive_an_ended_session(app, client, db, make_user):
    from flask_login.utils import encode_cookie

    user = make_user("remember@example.com")
    _sign_in(client, "remember@example.com")
    assert client.post("/account/logout").status_code == 302
    with app.test_request_context():
        remember = encode_cookie(str(user.id))
    client.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), remember)
    assert client.get("/account/").status_code == 302


def test_sign_out_other_sessions_keeps_this_one(app, client, second_client, db, make_user):
    user = make_user("everywhere@example.com")
    third = app.test_client()
    _sign_in(client, "everywhere@example.com", agent=CHROME_ON_WINDOWS)
    _sign_in(second_client, "everywhere@example.com", agent=FIREFOX_ON_LINUX)
    _copy_cookie(app, second_client, third)
    assert _signed_in(second_client) and _signed_in(third)

    response = client.post("/account/sessions/end-others", follow_redirects=True)
    assert "1 other session is signed out." in response.get_data(as_text=True)
    assert _signed_in(client)
    assert not _signed_in(second_client)
    assert not _signed_in(third)
    assert [row.ended_at is None for row in _rows(db, user.id)] == [True, False]


def test_password_change_ends_every_other_session(client, second_client, db, make_user):
    user = make_user("pw@example.com", password="old-password")
    _sign_in(client, "pw@example.com", "old-password")
    _sign_in(second_client, "pw@example.com", "old-password")
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
    assert _signed_in(client)
    assert not _signed_in(second_client)
    assert [row.ended_at is None for row in _rows(db, user.id)] == [True, False]


def test_password_reset_ends_all_sessions(client, db, make_user):
    from matchmaker.accounts import service

    user = make_user("reset@example.com", password="old-password")
    _sign_in(client, "reset@example.com", "old-password")
    service.set_password(db, db.get(User, user.id), "new-password")
    db.commit()
    assert not _signed_in(client)
    assert all(row.ended_at is not None for row in _rows(db, user.id))


def test_account_page_lists_sessions_and_ends_one(client, second_client, db, make_user):
    user = make_user("list@example.com")
    _sign_in(client, "list@example.com", agent=CHROME_ON_WINDOWS)
    _sign_in(second_client, "list@example.com", agent=FIREFOX_ON_LINUX)
    response = client.get("/account/")
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Where you are signed in" in html
    assert "Chrome on Windows" in html and "Firefox on Linux" in html
    assert html.count("This browser") == 1
    assert "Sign out all other sessions" in html

    mine, other = _rows(db, user.id)
    response = client.post(f"/account/sessions/{other.id}/end", follow_redirects=True)
    assert "That session is signed out." in response.get_data(as_text=True)
    assert not _signed_in(second_client)
    assert _signed_in(client)
    html = client.get("/account/").get_data(as_text=True)
    assert "Firefox on Linux" not in html
    assert "Sign out all other sessions" not in html

    # Ending this browser's own session signs it out.
    assert client.post(f"/account/sessions/{mine.id}/end").status_code == 303
    assert not _signed_in(client)


def test_cannot_end_another_accounts_session(client, second_client, db, make_user):
    make_user("me@example.com")
    victim = make_user("victim@example.com")
    _sign_in(client, "me@example.com")
    _sign_in(second_client, "victim@example.com")
    (row,) = _rows(db, victim.id)
    response = client.post(f"/account/sessions/{row.id}/end", follow_redirects=True)
    assert "No such session." in response.get_data(as_text=True)
    assert _signed_in(second_client)
    assert client.post("/account/sessions/2147483647/end").status_code == 303


def test_session_routes_need_a_signed_in_user(client):
    assert client.post("/account/sessions/end-others").status_code == 302
    assert client.post("/account/sessions/1/end").status_code == 302


def test_last_seen_is_written_at_most_once_a_minute(client, db, make_user):
    user = make_user("seen@example.com")
    _sign_in(client, "seen@example.com")
    (row,) = _rows(db, user.id)
    long_ago = utcnow() - timedelta(minutes=5)
    row.last_seen_at = long_ago
    db.add(row)
    db.commit()

    client.get("/account/")
    (row,) = _rows(db, user.id)
    seen = sessions.aware(row.last_seen_at)
    assert seen > long_ago + timedelta(minutes=4)

    client.get("/account/")
    (row,) = _rows(db, user.id)
    assert sessions.aware(row.last_seen_at) == seen


def test_signing_in_again_ends_the_browsers_previous_session(client, db, make_user):
    first = make_user("first@example.com")
    make_user("second@example.com")
    _sign_in(client, "first@example.com")
    _sign_in(client, "second@example.com")
    (row,) = _rows(db, first.id)
    assert row.ended_at is not None


def test_device_names():
    assert sessions.device(CHROME_ON_WINDOWS) == "Chrome on Windows"
    assert sessions.device(FIREFOX_ON_LINUX) == "Firefox on Linux"
    assert (
        sessions.device(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
        )
        == "Safari on iPhone"
    )
    assert (
        sessions.device(CHROME_ON_WINDOWS.replace("Safari/537.36", "Safari/537.36 Edg/131.0"))
        == "Edge on Windows"
    )
    assert sessions.device(CHROME_ON_WINDOWS.replace("Chrome/", "HeadlessChrome/")) == (
        "Chrome on Windows"
    )
    assert sessions.device("curl/8.5.0") == "curl"
    assert sessions.device("") == "Unknown browser"


def test_a_session_idle_longer_than_a_cookie_lives_is_over(client, second_client, db, make_user):
    user = make_user("idle@example.com")
    _sign_in(client, "idle@example.com")
    _sign_in(second_client, "idle@example.com")
    first, _second = _rows(db, user.id)
    first.last_seen_at = utcnow() - timedelta(days=32)
    db.add(first)
    db.commit()
    assert not _signed_in(client)
    html = second_client.get("/account/").get_data(as_text=True)
    assert html.count("This browser") == 1
    assert "Sign out all other sessions" not in html


def test_signing_in_forgets_long_ended_sessions(client, db, make_user):
    user = make_user("prune@example.com")
    _sign_in(client, "prune@example.com")
    client.post("/account/logout")
    _sign_in(client, "prune@example.com")
    old, recent = _rows(db, user.id)
    old.ended_at = utcnow() - timedelta(days=31)
    db.add(old)
    db.commit()
    client.post("/account/logout")
    _sign_in(client, "prune@example.com")
    assert [row.id for row in _rows(db, user.id)] == [recent.id, recent.id + 1]
