"""Absolute URLs come from MATCHMAKER_BASE_URL, never from the request's Host header."""

from __future__ import annotations

import re
import shutil

import pytest

from matchmaker import create_app
from matchmaker.config import load_config
from matchmaker.exhibitions import service
from tests.exhibitions.conftest import add_org, make_fair, organizer  # noqa: F401  (fixtures)

BASE = "https://matchmaker.example"
EVIL = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}


def _make_app(tmp_path, migrated_database, **settings):
    shutil.copyfile(migrated_database, tmp_path / "test.sqlite3")
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "SEARCH_INDEX_PATH": str(tmp_path / "search.sqlite3"),
            "SECRET_KEY": "test-secret",
            "ELASTICSEARCH_URL": "",
            "WTF_CSRF_ENABLED": False,
            "PUBLIC_URL": BASE + "/",
            **settings,
        }
    )


@pytest.fixture
def app(tmp_path, migrated_database):
    """The test app, reached at https://matchmaker.example."""
    app = _make_app(tmp_path, migrated_database)
    yield app
    app.extensions["matchmaker.engine"].dispose()


def _from_evil(client, path: str, **kwargs):
    """A request whose Host is evil.example, carrying the session the client signed in with
    (the test client keeps cookies per domain)."""
    for cookie in list(client._cookies.values()):
        client.set_cookie(cookie.key, cookie.value, domain="evil.example")
    return client.get(path, base_url="http://evil.example", headers=EVIL, **kwargs)


def _no_evil(response) -> None:
    assert b"evil.example" not in response.data
    assert "evil.example" not in str(response.headers)


def test_api_urls_use_the_base_url_whatever_the_host(client, make_org):
    org = make_org(name="Haixin")
    listing = client.get("/api/v1/organizations", headers=EVIL)
    assert listing.status_code == 200
    assert [item["url"] for item in listing.json["items"]] == [f"{BASE}/organizations/{org.id}"]
    one = client.get(f"/api/v1/organizations/{org.id}", headers=EVIL)
    assert one.json["url"] == f"{BASE}/organizations/{org.id}"
    _no_evil(listing)
    _no_evil(one)


def test_openapi_server_is_the_base_url(client):
    document = client.get("/api/openapi.json", headers=EVIL).json
    assert document["servers"][0]["url"] == f"{BASE}/api"


def test_fair_api_and_calendar_links_use_the_base_url(app, client, db, make_user, login, make_fair):  # noqa: F811
    fair = make_fair()
    org = add_org(db)
    user = make_user(organization_id=org.id)
    service.register(db, user, fair.id, org.id, "exhibitor")
    fairs = client.get("/api/v1/exhibitions", headers=EVIL)
    assert fairs.status_code == 200
    assert all(item["url"].startswith(f"{BASE}/exhibitions/") for item in fairs.json["items"])
    _no_evil(fairs)

    login(user.email)
    calendar = _from_evil(client, "/calendar")
    assert calendar.status_code == 200
    html = calendar.get_data(as_text=True)
    (url,) = re.findall(r'id="feed-url" type="url" readonly value="([^"]+)"', html)
    assert re.fullmatch(rf"{BASE}/calendar/[A-Za-z0-9_-]{{43}}\.ics", url)
    assert f'href="webcal://{url.removeprefix("https://")}"' in html
    _no_evil(calendar)
    feed = app.test_client().get(url.removeprefix(BASE))  # anonymous: the secret opens it
    assert feed.status_code == 200
    assert feed.headers["Cache-Control"] == "private, no-store"  # someone's agenda

    badge = _from_evil(client, f"/exhibitions/{fair.id}/badge")
    assert badge.status_code == 200
    link = re.search(r'class="check-in-link"[^>]*>([^<]+)<', badge.get_data(as_text=True))
    assert link.group(1).startswith(f"{BASE}/exhibitions/{fair.id}/check-in/")
    _no_evil(badge)


def test_redirects_stay_relative(client, make_user):
    make_user("r@example.com")
    response = client.post(
        "/account/login", data={"email": "r@example.com", "password": "password123"}, headers=EVIL
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/")
    _no_evil(response)
    account = _from_evil(client, "/account/")  # signed in: a page full of links
    assert account.status_code == 200
    _no_evil(account)


def test_a_base_url_with_a_path_prefix_is_kept(app, client, make_org):
    app.config["PUBLIC_URL"] = "https://example.org/matchmaker"
    org = make_org()
    item = client.get("/api/v1/organizations", headers=EVIL).json["items"][0]
    assert item["url"] == f"https://example.org/matchmaker/organizations/{org.id}"


def test_relative_urls_are_unchanged(app):
    from flask import url_for

    with app.test_request_context("/", headers=EVIL):
        assert url_for("profiles.show", org_id=3) == "/organizations/3"
        assert url_for("profiles.show", org_id=3, _external=True) == f"{BASE}/organizations/3"
        assert url_for("profiles.show", org_id=3, _anchor="x", _external=True).endswith("/3#x")
        webcal = url_for("profiles.show", org_id=3, _external=True, _scheme="webcal")
        assert webcal == "webcal://matchmaker.example/organizations/3"


# --- the setting -------------------------------------------------------------------------


def test_base_url_is_the_preferred_name_and_public_url_still_works(tmp_path):
    both = {"MATCHMAKER_BASE_URL": "https://new.example", "MATCHMAKER_PUBLIC_URL": "https://o.x"}
    assert load_config(str(tmp_path), environ=both)["PUBLIC_URL"] == "https://new.example"
    old = {"MATCHMAKER_PUBLIC_URL": "https://old.example"}
    assert load_config(str(tmp_path), environ=old)["PUBLIC_URL"] == "https://old.example"
    assert load_config(str(tmp_path), environ={})["PUBLIC_URL"] == "http://127.0.0.1:5000"


@pytest.mark.parametrize(
    "value",
    ["matchmaker.example", "ftp://matchmaker.example", "https://", "https://x.example/?a=1"],
)
def test_a_wrong_base_url_stops_the_start(tmp_path, value):
    with pytest.raises(ValueError, match="MATCHMAKER_BASE_URL"):
        create_app(
            {
                "TESTING": True,
                "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                "SEARCH_INDEX_PATH": str(tmp_path / "search.sqlite3"),
                "SECRET_KEY": "x",
                "PUBLIC_URL": value,
            }
        )


# --- trusted hosts -----------------------------------------------------------------------


@pytest.fixture
def strict_client(tmp_path, migrated_database):
    """MATCHMAKER_TRUSTED_HOSTS set: only these names are answered."""
    hosts = "matchmaker.example, .matchmaker.example, localhost"
    app = _make_app(tmp_path, migrated_database, TRUSTED_HOSTS=hosts)
    assert app.config["TRUSTED_HOSTS"] == [
        "matchmaker.example",
        ".matchmaker.example",
        "localhost",
    ]
    yield app.test_client()
    app.extensions["matchmaker.engine"].dispose()


def test_no_trusted_hosts_by_default(app):
    assert app.config["TRUSTED_HOSTS"] is None


@pytest.mark.parametrize("host", ["localhost", "matchmaker.example", "www.matchmaker.example:8443"])
def test_trusted_hosts_are_answered(strict_client, host):
    for path in ("/", "/organizations", "/api/v1/organizations", "/no/such/page"):
        response = strict_client.get(path, headers={"Host": host})
        assert response.status_code in (200, 404), (host, path)


@pytest.mark.parametrize("host", ["evil.example", "matchmaker.example.evil.example", "a b", ""])
def test_other_hosts_get_400_with_the_security_headers(strict_client, host):
    for method, path in (("GET", "/"), ("GET", "/api/v1/organizations"), ("POST", "/csp-report")):
        response = strict_client.open(path, method=method, headers={"Host": host})
        assert response.status_code == 400, (host, path)
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        _no_evil(response)
