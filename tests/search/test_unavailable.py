"""Elasticsearch configured but down: clear messages, 503 in the API, no lost writes, no hang."""

from __future__ import annotations

import socket

import pytest
from sqlmodel import Session, select

from matchmaker import create_app
from matchmaker.profiles.models import SearchBacklog


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def down_app(app):
    config = {
        k: app.config[k] for k in ("TESTING", "DATABASE_URL", "SEARCH_INDEX_PATH", "SECRET_KEY")
    }
    config["ELASTICSEARCH_URL"] = f"http://127.0.0.1:{_closed_port()}"
    config["WTF_CSRF_ENABLED"] = False
    down = create_app(config)
    yield down
    down.extensions["matchmaker.engine"].dispose()


def test_directory_says_search_is_unavailable(down_app):
    response = down_app.test_client().get("/organizations?q=software")
    assert response.status_code == 503
    assert "Search is unavailable right now" in response.get_data(as_text=True)


def test_api_answers_503_in_the_error_format(down_app):
    response = down_app.test_client().get("/api/v1/organizations?q=software")
    assert response.status_code == 503
    assert response.json["error"]["code"] == "search_unavailable"


def test_writes_are_kept_and_wait_in_the_backlog(down_app, make_user):
    make_user("u@example.com")
    client = down_app.test_client()
    token = client.post(
        "/api/v1/auth/tokens", json={"email": "u@example.com", "password": "password123"}
    )
    headers = {"Authorization": f"Bearer {token.json['token']}"}
    created = client.post(
        "/api/v1/organizations",
        headers=headers,
        json={
            "kind": "provider",
            "name": "Kept Soft",
            "country": "CN",
            "services": ["ito.software_rd"],
        },
    )
    assert created.status_code == 201
    assert client.get(f"/api/v1/organizations/{created.json['id']}").json["name"] == "Kept Soft"
    with Session(down_app.extensions["matchmaker.engine"]) as db:
        waiting = db.exec(select(SearchBacklog.organization_id)).all()
    assert waiting == [created.json["id"]]


def test_backlog_is_indexed_once_search_is_back(down_app, client, make_user, api_token):
    make_user("u@example.com")
    make_user("v@example.com")
    down_client = down_app.test_client()
    down_client.post("/account/login", data={"email": "u@example.com", "password": "password123"})
    down_client.post(
        "/organizations/new",
        data={
            "kind": "provider",
            "name": "Backlogged Soft",
            "country": "CN",
            "visibility": "public",
            "services": ["ito.software_rd"],
        },
    )
    assert client.get("/api/v1/organizations?q=Backlogged").json["total"] == 0
    # Any later write on a worker that reaches the index takes the backlog along.
    created = client.post(
        "/api/v1/organizations",
        headers=api_token("v@example.com"),
        json={
            "kind": "buyer",
            "name": "Another Firm",
            "country": "DE",
            "services": ["ito.software_rd"],
        },
    )
    assert created.status_code == 201
    found = client.get("/api/v1/organizations?q=Backlogged").json["items"]
    assert [item["name"] for item in found] == ["Backlogged Soft"]
