"""One throttle for every worker and host: two app instances on one database share the limits."""

from __future__ import annotations

import shutil
import threading

import pytest
from sqlmodel import Session

from matchmaker import create_app
from matchmaker.accounts import throttle
from matchmaker.accounts.service import create_user
from tests.postgres_server import reset_schema
from tests.test_postgres import postgres_url  # noqa: F401  (the server fixture)

ALICE = "alice@example.com"


def _app(url: str, tmp_path, name: str, **config):
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SEARCH_INDEX_PATH": str(tmp_path / f"search-{name}.sqlite3"),
            "SECRET_KEY": "shared-secret",
            "ELASTICSEARCH_URL": "",
            "WTF_CSRF_ENABLED": False,
            **config,
        }
    )


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two_apps(request, tmp_path, migrated_database):
    """Two instances of the site (two workers, or two hosts) on one database."""
    if request.param == "sqlite":
        shutil.copyfile(migrated_database, tmp_path / "shared.sqlite3")
        url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    first, second = _app(url, tmp_path, "a"), _app(url, tmp_path, "b")
    engine = first.extensions["matchmaker.engine"]
    if request.param == "postgres":
        reset_schema(engine)
    with Session(engine) as db:
        create_user(db, ALICE, "password123")
    yield first, second
    for app in (first, second):
        app.extensions["matchmaker.engine"].dispose()


def _login(app, password: str, address: str = "10.0.0.1"):
    return app.test_client().post(
        "/account/login",
        data={"email": ALICE, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_failed_sign_ins_on_two_instances_add_up(two_apps):
    first, second = two_apps
    for _attempt in range(5):
        assert _login(first, "wrong-guess").status_code == 422
        assert _login(second, "wrong-guess").status_code == 422
    for app in (first, second):
        refused = _login(app, "password123")
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
    api = second.test_client().post(
        "/api/v1/auth/tokens",
        json={"email": ALICE, "password": "password123"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert (api.status_code, api.json["error"]["code"]) == (429, "too_many_requests")
    # Neither instance locks the owner out from another address.
    assert _login(first, "password123", "10.0.0.2").status_code == 302
    assert _login(second, "password123", "10.0.0.2").status_code == 302


def test_success_on_one_instance_clears_the_pair_for_the_other(two_apps):
    first, second = two_apps
    for _attempt in range(9):
        _login(first, "wrong-guess")
    assert _login(second, "password123").status_code == 302
    for _attempt in range(9):
        assert _login(second, "wrong-guess").status_code == 422
    assert _login(first, "password123").status_code == 302


def test_concurrent_attempts_never_fail_and_overshoot_little(two_apps):
    """Four workers racing: each may let one more through (documented), none answers 500."""
    first, second = two_apps
    statuses: list[int] = []
    lock = threading.Lock()

    def guess(app) -> None:
        for _attempt in range(6):
            status = _login(app, "wrong-guess").status_code
            with lock:
                statuses.append(status)

    workers = [threading.Thread(target=guess, args=(app,)) for app in (first, second) * 2]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert set(statuses) <= {422, 429}
    passed = statuses.count(422)
    assert throttle.LOGIN_PAIR.limit <= passed <= throttle.LOGIN_PAIR.limit + len(workers) - 1


def test_behind_a_proxy_clients_are_counted_by_forwarded_address(tmp_path, migrated_database):
    shutil.copyfile(migrated_database, tmp_path / "proxy.sqlite3")
    app = _app(f"sqlite:///{tmp_path / 'proxy.sqlite3'}", tmp_path, "proxy", PROXY_COUNT=1)
    with Session(app.extensions["matchmaker.engine"]) as db:
        create_user(db, ALICE, "password123")

    def login(password: str, client_address: str):
        return app.test_client().post(
            "/account/login",
            data={"email": ALICE, "password": password},
            headers={"X-Forwarded-For": client_address},
            environ_base={"REMOTE_ADDR": "192.0.2.10"},  # the load balancer
        )

    for _attempt in range(throttle.LOGIN_PAIR.limit):
        assert login("wrong-guess", "203.0.113.5").status_code == 422
    assert login("password123", "203.0.113.5").status_code == 429
    assert login("password123", "198.51.100.7").status_code == 302
    app.extensions["matchmaker.engine"].dispose()
