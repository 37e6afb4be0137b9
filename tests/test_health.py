"""/healthz and /readyz: what a load balancer asks, answered from the real database and index."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from matchmaker import health


def test_healthz_answers_without_session_or_database(app, client, monkeypatch):
    def no_database(*_args, **_kwargs):
        raise AssertionError("/healthz must not touch the database")

    monkeypatch.setattr(app.extensions["matchmaker.engine"], "connect", no_database)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert client.head("/healthz").status_code == 200


def test_readyz_is_ready_on_a_migrated_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "search": "ok"},
    }
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_readyz_says_when_the_database_does_not_answer(app, client, monkeypatch):
    def refused(*_args, **_kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(app.extensions["matchmaker.engine"], "connect", refused)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["checks"]["database"] == "unreachable"
    assert response.json["checks"]["migrations"] == "skipped"
    assert response.json["checks"]["search"] == "ok"
    # The process itself is fine.
    assert client.get("/healthz").status_code == 200


def test_readyz_says_when_migrations_are_behind(app, client, monkeypatch):
    monkeypatch.setattr(health, "MIGRATIONS_CACHE_SECONDS", 0.0)
    engine = app.extensions["matchmaker.engine"]
    with engine.begin() as connection:
        head = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        connection.execute(text("UPDATE alembic_version SET version_num = '0011'"))
    response = client.get("/readyz")
    assert response.status_code == 503
    migrations = response.json["checks"]["migrations"]
    assert migrations.startswith("behind")
    assert "0011" in migrations and head in migrations
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": head})
    assert client.get("/readyz").status_code == 200


def test_a_current_schema_is_remembered_for_a_few_seconds(app, client, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(health.time, "monotonic", lambda: clock[0])
    assert client.get("/readyz").status_code == 200
    engine = app.extensions["matchmaker.engine"]
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0011'"))
    assert client.get("/readyz").status_code == 200  # remembered: alembic not asked again
    clock[0] += health.MIGRATIONS_CACHE_SECONDS + 1
    assert client.get("/readyz").json["checks"]["migrations"].startswith("behind")


def test_readyz_says_when_the_search_index_cannot_open(app, client, tmp_path):
    blocked = tmp_path / "not-a-file"
    blocked.mkdir()
    app.config["SEARCH_INDEX_PATH"] = str(blocked)
    app.extensions["matchmaker.search"] = None
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "search": "unreachable",
    }


def test_readyz_says_when_elasticsearch_does_not_answer(app, client):
    app.config["ELASTICSEARCH_URL"] = "http://127.0.0.1:9"  # nothing listens there
    app.config["ELASTICSEARCH_TIMEOUT"] = 1.0
    app.extensions["matchmaker.search"] = None
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["search"] == "unreachable"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_need_no_csrf_token_and_refuse_other_methods(app, path):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 405
