"""Shared fixtures: a fresh app and database per test, factories, signed-in clients."""

from __future__ import annotations

import itertools
import os
import shutil

import pytest
from flask_babel import force_locale
from sqlmodel import Session

from matchmaker import create_app
from matchmaker.accounts.service import create_user
from matchmaker.migrate import upgrade
from matchmaker.profiles.models import Organization, OrganizationText
from matchmaker.profiles.service import organization_document

REQUIRE_SERVICES = os.environ.get("MATCHMAKER_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip when a real service is missing, except in CI where it must be there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (MATCHMAKER_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory):
    """Migrate once; every test starts from a copy of this file."""
    from matchmaker.db import make_engine

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def app(tmp_path, migrated_database):
    shutil.copyfile(migrated_database, tmp_path / "test.sqlite3")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "SEARCH_INDEX_PATH": str(tmp_path / "search.sqlite3"),
            "SECRET_KEY": "test-secret",
            "ELASTICSEARCH_URL": "",
            "WTF_CSRF_ENABLED": False,
        }
    )
    yield app
    app.extensions["matchmaker.engine"].dispose()


@pytest.fixture
def db(app):
    with Session(app.extensions["matchmaker.engine"], expire_on_commit=False) as session:
        yield session


@pytest.fixture
def client(app):
    return app.test_client()


_counter = itertools.count(1)


@pytest.fixture
def make_org(app, db):
    """Create an organization directly (and index it), with sensible defaults."""
    from matchmaker.search.runtime import current_backend

    def make(texts: dict[str, str] | None = None, **fields) -> Organization:
        n = next(_counter)
        values = {
            "kind": "provider",
            "name": f"Org {n}",
            "country": "CN",
            "city": "Dalian",
            "services": ["ito.software_rd"],
            "languages": ["en", "zh"],
            "visibility": "public",
        }
        values.update(fields)
        org = Organization(**values)
        texts = {"en": f"Description of org {n}"} if texts is None else texts
        org.texts = [OrganizationText(locale=k, description=v) for k, v in texts.items()]
        db.add(org)
        db.commit()
        with app.app_context(), force_locale("en"):
            current_backend().index([organization_document(org)])
        return org

    return make


@pytest.fixture
def make_user(db):
    def make(email: str | None = None, password: str = "password123", **fields):
        email = email or f"user{next(_counter)}@example.com"
        return create_user(db, email, password, **fields)

    return make


@pytest.fixture
def login(client):
    def do(email: str, password: str = "password123"):
        response = client.post(
            "/account/login", data={"email": email, "password": password}, follow_redirects=False
        )
        assert response.status_code == 302, response.data[:500]
        return client

    return do


@pytest.fixture
def api_token(client):
    def make(email: str, password: str = "password123") -> dict[str, str]:
        response = client.post("/api/v1/auth/tokens", json={"email": email, "password": password})
        assert response.status_code == 201, response.json
        return {"Authorization": f"Bearer {response.json['token']}"}

    return make


@pytest.fixture(autouse=True)
def _reset_locale():
    """Each test starts in English, whatever the previous one set."""
    with force_locale("en"):
        yield
