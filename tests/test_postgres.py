"""The PostgreSQL path: migrations, profiles, API, search and matching on a real server."""

from __future__ import annotations

import os
import threading

import pytest

from matchmaker.migrate import upgrade
from tests.conftest import skip_or_fail
from tests.postgres_server import PostgresServer, PostgresUnavailable, postgres_app

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def postgres_url():
    url = os.environ.get("MATCHMAKER_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        skip_or_fail("psycopg is not installed (pip install -e '.[postgres]')")
    server = None
    try:
        server = PostgresServer()
        url = server.start()
    except PostgresUnavailable as error:
        if server:
            server.stop()
        skip_or_fail(f"no PostgreSQL server could be started: {error}")
    yield url
    server.stop()


@pytest.fixture
def pg_app(postgres_url, tmp_path):
    app = postgres_app(postgres_url, tmp_path, WTF_CSRF_ENABLED=False)
    engine = app.extensions["matchmaker.engine"]
    upgrade(engine)  # a second run changes nothing
    yield app
    engine.dispose()


def _token(client, email):
    from sqlmodel import Session

    from matchmaker.accounts.service import create_user

    with Session(client.application.extensions["matchmaker.engine"]) as db:
        create_user(db, email, "password123")
    response = client.post("/api/v1/auth/tokens", json={"email": email, "password": "password123"})
    return {"Authorization": f"Bearer {response.json['token']}"}


def test_profile_search_and_recommendations_on_postgres(pg_app):
    client = pg_app.test_client()
    buyer_headers = _token(client, "buyer@example.com")
    provider_headers = _token(client, "provider@example.com")
    buyer = client.post(
        "/api/v1/organizations",
        headers=buyer_headers,
        json={
            "kind": "buyer",
            "name": "Nordlicht Versicherung",
            "country": "DE",
            "services": ["ito.software_rd"],
            "languages": ["de", "en"],
            "description": {"en": "Insurer modernising claims software.", "zh_Hans": "保险公司"},
        },
    )
    assert buyer.status_code == 201
    provider = client.post(
        "/api/v1/organizations",
        headers=provider_headers,
        json={
            "kind": "provider",
            "name": "大连海芯软件",
            "country": "CN",
            "city": "Dalian",
            "services": ["ito.software_rd"],
            "target_markets": ["developed"],
            "languages": ["en", "de"],
            "description": {"zh_Hans": "我们为保险公司开发软件。"},
        },
    )
    assert provider.status_code == 201
    found = client.get("/api/v1/organizations?q=软件&kind=provider").json
    assert [item["name"] for item in found["items"]] == ["大连海芯软件"]
    recs = client.get(
        f"/api/v1/organizations/{buyer.json['id']}/recommendations", headers=buyer_headers
    ).json
    assert [item["organization"]["name"] for item in recs["items"]] == ["大连海芯软件"]
    patched = client.patch(
        f"/api/v1/organizations/{provider.json['id']}",
        headers=provider_headers,
        json={"visibility": "hidden"},
    )
    assert patched.status_code == 200
    recs = client.get(
        f"/api/v1/organizations/{buyer.json['id']}/recommendations", headers=buyer_headers
    ).json
    assert recs["items"] == []


def test_duplicate_email_refused_on_postgres(pg_app):
    client = pg_app.test_client()
    _token(client, "same@example.com")
    response = client.post(
        "/account/register",
        data={
            "display_name": "X",
            "email": "SAME@example.com",
            "password": "password123",
            "confirm": "password123",
        },
    )
    assert response.status_code == 422


def test_concurrent_saves_store_one_row(pg_app):
    from sqlmodel import Session, select

    from matchmaker.accounts.service import create_user
    from matchmaker.matching.service import save_partner
    from matchmaker.profiles.models import Interaction, Organization

    engine = pg_app.extensions["matchmaker.engine"]
    with Session(engine) as db:
        a = Organization(kind="buyer", name="A", country="DE", services=["ito.software_rd"])
        b = Organization(kind="provider", name="B", country="CN", services=["ito.software_rd"])
        db.add_all([a, b])
        db.commit()
        user = create_user(db, "a@example.com", "password123", organization_id=a.id)
        ids = (a.id, b.id, user.id)
    barrier = threading.Barrier(4)
    errors = []

    def save():
        from matchmaker.accounts.models import User

        with pg_app.app_context(), Session(engine) as db:
            actor = db.get(User, ids[2])
            barrier.wait()
            try:
                save_partner(db, actor, ids[0], ids[1])
            except Exception as error:  # collected: the assertion below shows it
                errors.append(error)

    threads = [threading.Thread(target=save) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Session(engine) as db:
        rows = db.exec(select(Interaction).where(Interaction.source_id == ids[0])).all()
    assert [(r.target_id, r.kind) for r in rows] == [(ids[1], "saved")]
