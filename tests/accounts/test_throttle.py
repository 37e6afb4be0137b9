"""The throttle kept in the database: counting, pruning, policies and their 429 answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlmodel import func, select

from matchmaker.accounts import throttle
from matchmaker.accounts.models import ThrottleHit
from matchmaker.errors import TooManyRequests

NOW = datetime(2027, 5, 20, 9, 0, tzinfo=UTC)
ALICE = "alice@example.com"


def _rows(db, key: str | None = None) -> int:
    query = select(func.count()).select_from(ThrottleHit)
    if key is not None:
        query = query.where(ThrottleHit.key == key)
    return db.exec(query).one()


def _from(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def _login(client, email: str, password: str, address: str, **kwargs):
    return client.post(
        "/account/login", data={"email": email, "password": password}, **_from(address), **kwargs
    )


# --- the store -----------------------------------------------------------------------------


def test_count_sees_only_the_window(db):
    for minutes in (20, 10, 1):
        throttle.hit(db, "k", window=3600, now=NOW - timedelta(minutes=minutes))
    assert throttle.count(db, "k", 15 * 60, now=NOW) == 2
    assert throttle.count(db, "k", 3600, now=NOW) == 3
    assert throttle.count(db, "other", 3600, now=NOW) == 0


def test_retry_after_is_when_the_oldest_counted_hit_leaves(db):
    for minutes in (9, 5, 2):
        throttle.hit(db, "k", window=600, now=NOW - timedelta(minutes=minutes))
    assert throttle.retry_after(db, "k", 4, 600, now=NOW) == 0
    # With a limit of 3 the hit of 9 minutes ago must leave: one minute from now.
    assert throttle.retry_after(db, "k", 3, 600, now=NOW) == 60
    # With a limit of 2 the newest two are what counts: the one of 5 minutes ago leaves in 5.
    assert throttle.retry_after(db, "k", 2, 600, now=NOW) == 300


def test_hit_prunes_the_key_past_its_window(db):
    throttle.hit(db, "k", window=600, now=NOW - timedelta(minutes=30))
    throttle.hit(db, "other", window=600, now=NOW - timedelta(minutes=30))
    throttle.hit(db, "k", window=600, now=NOW)
    assert _rows(db, "k") == 1
    assert _rows(db, "other") == 1  # another key's rows wait for the sweep


def test_sweep_forgets_keys_that_never_come_back(db, monkeypatch):
    monkeypatch.setattr(throttle, "SWEEP_EVERY", 3)
    throttle.hit(db, "gone", now=NOW - timedelta(days=2))
    throttle.hit(db, "recent", now=NOW - timedelta(hours=1))
    throttle.hit(db, "new", now=NOW)  # the third row sweeps
    assert (_rows(db, "gone"), _rows(db, "recent"), _rows(db, "new")) == (0, 1, 1)


def test_clear_forgets_one_key(db):
    throttle.hit(db, "a", now=NOW)
    throttle.hit(db, "b", now=NOW)
    throttle.clear(db, "a")
    assert (_rows(db, "a"), _rows(db, "b")) == (0, 1)


def test_check_refuses_with_the_longest_wait(app, db):
    short = throttle.Policy("short", 1, 60, throttle._TRY_LATER)
    long = throttle.Policy("long", 1, 3600, throttle._TRY_LATER)
    short.hit(db, "short:x", now=NOW)
    long.hit(db, "long:x", now=NOW)
    with app.test_request_context(), force_locale("en"), pytest.raises(TooManyRequests) as caught:
        throttle.check(db, (short, "short:x"), (long, "long:x"), now=NOW)
    assert caught.value.retry_after == 3600
    assert caught.value.headers == {"Retry-After": "3600"}
    assert str(caught.value.message) == "Too many attempts. Try again in 1 hour."


def test_keys_hide_addresses_and_group_ipv6_by_subscriber():
    pair, by_address = throttle.sign_in_keys("2001:db8:1:2::7", " Alice@Example.com ")
    assert (pair, by_address) == throttle.sign_in_keys("2001:db8:1:2:ffff::1", ALICE)
    assert "alice" not in pair and "2001" not in by_address
    assert throttle.sign_in_keys("::ffff:10.0.0.1", ALICE) == throttle.sign_in_keys(
        "10.0.0.1", ALICE
    )
    assert throttle.sign_in_keys("10.0.0.1", ALICE) != throttle.sign_in_keys("10.0.0.2", ALICE)
    assert len(throttle.sign_in_keys("x" * 500, "y" * 500)[0]) <= 200


# --- sign-in: per pair and per address, never per account alone ---------------------------


def test_strangers_failures_do_not_lock_the_owner_out(client, db, make_user):
    make_user(ALICE)
    for _attempt in range(30):
        _login(client, ALICE, "wrong-guess", "10.0.0.1")
    refused = _login(client, ALICE, "password123", "10.0.0.1")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert "Too many failed sign-ins." in refused.get_data(as_text=True)
    owner = _login(client, ALICE, "password123", "10.0.0.2")
    assert owner.status_code == 302
    token = client.post(
        "/api/v1/auth/tokens", json={"email": ALICE, "password": "password123"}, **_from("10.0.0.3")
    )
    assert token.status_code == 201


def test_refused_sign_in_does_not_check_the_password(client, make_user):
    make_user(ALICE)
    for _attempt in range(10):
        assert _login(client, ALICE, "wrong-guess", "10.0.0.1").status_code == 422
    # Right or wrong, the answer is the same 429: guessing on teaches nothing.
    right = _login(client, ALICE, "password123", "10.0.0.1")
    wrong = _login(client, ALICE, "another-guess", "10.0.0.1")
    assert (right.status_code, wrong.status_code) == (429, 429)


def test_a_successful_sign_in_clears_the_pairs_failures(client, make_user):
    make_user(ALICE)
    for _round in range(2):
        for _attempt in range(9):
            assert _login(client, ALICE, "wrong-guess", "10.0.0.1").status_code == 422
        assert _login(client, ALICE, "password123", "10.0.0.1").status_code == 302
        client.post("/account/logout")


def _smaller(monkeypatch, name: str, limit: int) -> None:
    """The same policy with a lower limit: fewer slow password checks per test."""
    monkeypatch.setattr(throttle, name, replace(getattr(throttle, name), limit=limit))


def test_one_address_guessing_many_accounts_is_stopped(client, db, make_user, monkeypatch):
    _smaller(monkeypatch, "LOGIN_ADDRESS", 15)
    make_user(ALICE)
    for n in range(throttle.LOGIN_ADDRESS.limit):
        _login(client, f"user{n % 7}@example.com", "wrong-guess", "10.0.0.9")
    assert _login(client, ALICE, "password123", "10.0.0.9").status_code == 429
    assert _login(client, ALICE, "password123", "10.0.0.10").status_code == 302


def test_sign_in_refusal_is_in_the_readers_language(client, make_user):
    make_user(ALICE)
    for _attempt in range(10):
        _login(client, ALICE, "wrong-guess", "10.0.0.1")
    for lang, word in (("zh_Hans", "分钟"), ("ar", "دقيقة")):
        page = _login(client, ALICE, "password123", "10.0.0.1", query_string={"lang": lang})
        assert page.status_code == 429
        assert word in page.get_data(as_text=True)


# --- registration, tokens, password changes ---------------------------------------------------


def _register(client, n: int, address: str):
    return client.post(
        "/account/register",
        data={
            "display_name": f"Person {n}",
            "email": f"new{n}@example.com",
            "password": "password123",
            "confirm": "password123",
        },
        **_from(address),
    )


def test_registrations_from_one_address_are_limited(client):
    for n in range(throttle.REGISTER_ADDRESS.limit):
        assert _register(client, n, "10.0.0.5").status_code == 302
        client.post("/account/logout")
    refused = _register(client, 99, "10.0.0.5")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many attempts." in refused.get_data(as_text=True)
    assert _register(client, 100, "10.0.0.6").status_code == 302


def _token(client, email: str, password: str, address: str):
    return client.post(
        "/api/v1/auth/tokens", json={"email": email, "password": password}, **_from(address)
    )


def test_token_creation_counts_every_attempt_per_address(client, make_user, monkeypatch):
    _smaller(monkeypatch, "TOKEN_ADDRESS", 12)
    make_user(ALICE)
    make_user("bob@example.com")
    for n in range(throttle.TOKEN_ADDRESS.limit):
        # Successes count too; failures spread over accounts so no pair is at its limit.
        email, password = (ALICE, "password123") if n % 2 else (f"x{n}@example.com", "wrong")
        assert _token(client, email, password, "10.0.0.7").status_code in (201, 401)
    refused = _token(client, "bob@example.com", "password123", "10.0.0.7")
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "too_many_requests"
    assert 0 < int(refused.headers["Retry-After"]) <= throttle.TOKEN_ADDRESS.window
    assert _token(client, "bob@example.com", "password123", "10.0.0.8").status_code == 201


def test_tokens_per_account_are_limited_but_guesses_do_not_count(client, make_user, monkeypatch):
    _smaller(monkeypatch, "TOKEN_ACCOUNT", 5)
    make_user(ALICE)
    for n in range(12):  # a stranger's failures, from many addresses
        assert _token(client, ALICE, "wrong", f"10.1.{n}.1").status_code == 401
    for n in range(throttle.TOKEN_ACCOUNT.limit):
        assert _token(client, ALICE, "password123", f"10.2.{n}.1").status_code == 201
    refused = _token(client, ALICE, "password123", "10.3.0.1")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0


def test_password_changes_are_limited_per_account(client, make_user, login):
    make_user(ALICE)
    login(ALICE)
    data = {
        "action": "password",
        "password-current_password": "wrong-guess",
        "password-new_password": "another-password",
        "password-confirm": "another-password",
    }
    for _attempt in range(throttle.PASSWORD_CHANGE.limit):
        assert client.post("/account/", data=data).status_code == 422
    refused = client.post("/account/", data={**data, "password-current_password": "password123"})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Too many attempts." in refused.get_data(as_text=True)


# --- mails moved onto the shared store ------------------------------------------------------


def test_reset_requests_flood_from_one_client_is_429_with_retry_after(client):
    for n in range(throttle.RESET_CLIENT.limit):
        response = client.post(
            "/account/forgot", data={"email": f"p{n}@example.com"}, **_from("10.0.0.4")
        )
        assert response.status_code == 200
    refused = client.post(
        "/account/forgot", data={"email": "last@example.com"}, **_from("10.0.0.4")
    )
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0


def test_api_verification_mail_limit_answers_retry_after(client, make_user, api_token):
    make_user(ALICE)
    headers = api_token(ALICE)
    for _attempt in range(throttle.VERIFICATION_MAIL.limit):
        assert client.post("/api/v1/auth/verification", headers=headers).status_code == 200
    refused = client.post("/api/v1/auth/verification", headers=headers)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert refused.json["error"]["message"] == (
        "A link was sent several times already. Check your mail or try again in an hour."
    )
