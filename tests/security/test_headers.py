"""Security headers on every response, no inline script or style, no-store on private pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from matchmaker import create_app
from matchmaker.exhibitions import service
from tests.exhibitions.conftest import (  # noqa: F401  (fixtures)
    make_fair,
    make_member,
    make_participant,
    organizer,
    slots,
)
from tests.exhibitions.report_fixtures import build_fair

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; "
    "report-uri /csp-report"
)
EXPECTED = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
TEMPLATES = Path(__file__).resolve().parents[2] / "matchmaker" / "templates"


def _assert_security_headers(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (name, response.headers.get(name))
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # plain http, no secure cookies


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/organizations", 200),
        ("GET", "/organizations?q=software", 200),
        ("GET", "/exhibitions", 200),
        ("GET", "/account/login", 200),
        ("GET", "/static/css/site.css", 200),
        ("GET", "/static/js/confirm.js", 200),
        ("GET", "/no/such/page", 404),
        ("GET", "/static/no-such-file.css", 404),
        ("DELETE", "/organizations", 405),
        ("GET", "/organizations?q=%00", 400),
        ("GET", "/api/v1/organizations", 200),
        ("GET", "/api/v1/organizations/999999", 404),
        ("GET", "/api/openapi.json", 200),
        ("POST", "/api/v1/auth/tokens", 422),
        ("GET", "/account/", 302),
    ],
)
def test_every_kind_of_response_carries_the_headers(client, method, path, status):
    response = client.open(path, method=method, json={} if path.startswith("/api/") else None)
    assert response.status_code == status
    _assert_security_headers(response)


def test_a_stricter_referrer_policy_of_a_view_is_kept(app, client):
    @app.get("/_secret-link")
    def secret_link():
        return "secret", 200, {"Referrer-Policy": "no-referrer"}

    response = client.get("/_secret-link")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Content-Security-Policy"] == CSP


def test_an_error_page_from_an_exception_carries_the_headers(app, client):
    @app.get("/_boom")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/_boom")
    assert response.status_code == 500
    _assert_security_headers(response)


def test_https_with_secure_cookies_adds_hsts_and_redirects_plain_http(tmp_path, migrated_database):
    import shutil

    shutil.copyfile(migrated_database, tmp_path / "test.sqlite3")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "SEARCH_INDEX_PATH": str(tmp_path / "search.sqlite3"),
            "SECRET_KEY": "test-secret",
            "ELASTICSEARCH_URL": "",
            "SESSION_COOKIE_SECURE": True,
            "PUBLIC_URL": "https://localhost",
        }
    )
    try:
        client = app.test_client()
        secure = client.get("/", base_url="https://localhost")
        assert secure.status_code == 200
        assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
        assert secure.headers["Content-Security-Policy"] == CSP
        plain = client.get("/organizations?kind=buyer", headers={"Host": "evil.example"})
        assert plain.status_code == 301
        assert plain.headers["Location"] == "https://localhost/organizations?kind=buyer"
        assert client.post("/csp-report", data=b"{}").status_code == 308
        assert client.get("/healthz").status_code == 200  # load balancers probe over http
        behind_proxy = client.get("/", headers={"X-Forwarded-Proto": "https"})
        assert behind_proxy.status_code == 200
        assert app.config["SESSION_COOKIE_SECURE"] is True
    finally:
        app.extensions["matchmaker.engine"].dispose()


# --- no inline script or style anywhere --------------------------------------------------


class _InlineFinder(HTMLParser):
    """Markup a Content-Security-Policy without 'unsafe-inline' would block, or that runs."""

    URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script" and not dict(attrs).get("src"):
            self.problems.append("inline <script>")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            elif name.startswith("on"):
                self.problems.append(f"{name} attribute on <{tag}>")
            elif name in self.URL_ATTRIBUTES and value:
                # Browsers drop leading spaces, control characters, tabs and newlines.
                scheme = re.sub(r"[\x00-\x20]", "", value).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.problems.append(f"{name}={value[:40]!r} on <{tag}>")

    handle_startendtag = handle_starttag


def inline_problems(html: str) -> list[str]:
    finder = _InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def test_templates_hold_no_inline_script_or_style():
    found = {}
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)  # comments may mention them
        text = re.sub(r"\{[{%].*?[%}]\}", "x", text, flags=re.S)  # expressions and tags
        if problems := inline_problems(text):
            found[str(path.relative_to(TEMPLATES))] = problems
    assert found == {}


@pytest.fixture
def fair_pages(db, make_user, login, make_fair, make_participant, slots):  # noqa: F811
    """A fair with participants, meetings, a placed booth and an organizer signed in."""
    organizer_user = make_user(role="organizer")
    built = build_fair(db, make_fair, make_participant, slots, actor=organizer_user)
    fair = built["fair"]
    service.create_booth(
        db, organizer_user, fair.id, {"code": "A1", "hall": "H1", "row": 0, "col": 0, "width": 2}
    )
    return fair, login(organizer_user.email)


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_rendered_pages_hold_no_inline_script_or_style(app, db, fair_pages, locale):
    fair, client = fair_pages
    paths = [
        "/",
        "/organizations",
        "/organizations?q=software",
        "/exhibitions",
        f"/exhibitions/{fair.id}",
        f"/exhibitions/{fair.id}/booths",
        f"/exhibitions/{fair.id}/participants",
        f"/exhibitions/{fair.id}/report",
        f"/exhibitions/{fair.id}/check-in",
        f"/exhibitions/{fair.id}/import",
        f"/exhibitions/{fair.id}/sessions",
        f"/exhibitions/{fair.id}/edit",
        f"/exhibitions/{fair.id}/schedule",
        f"/exhibitions/{fair.id}/dashboard",
        "/account/",
        "/calendar",
    ]
    found = {}
    for path in paths:
        joiner = "&" if "?" in path else "?"
        response = client.get(f"{path}{joiner}lang={locale}")
        if response.status_code != 200:
            found[path] = response.status_code
        elif problems := inline_problems(response.get_data(as_text=True)):
            found[path] = problems
    assert found == {}
    plan = client.get(f"/exhibitions/{fair.id}/booths").get_data(as_text=True)
    assert 'class="floor-plan"' in plan  # the plan was drawn, and without a style attribute


def test_badge_qr_code_has_no_style(app, db, make_user, login, make_fair):  # noqa: F811
    from tests.exhibitions.conftest import add_org

    fair = make_fair()
    org = add_org(db)
    user = make_user(organization_id=org.id)
    service.register(db, user, fair.id, org.id, "exhibitor")
    html = login(user.email).get(f"/exhibitions/{fair.id}/badge").get_data(as_text=True)
    assert "<svg" in html
    assert inline_problems(html) == []


# --- caching ------------------------------------------------------------------------------


def test_pages_for_a_signed_in_user_are_not_stored(client, make_user, login):
    make_user("reader@example.com")
    login("reader@example.com")
    for path in ("/", "/organizations", "/account/", "/account/notifications", "/conversations"):
        response = client.get(path)
        assert response.status_code in (200, 302), path
        assert "no-store" in response.headers["Cache-Control"], path
    static = client.get("/static/css/site.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_a_new_token_page_is_not_stored(client, make_user, login):
    make_user("tokens@example.com")
    login("tokens@example.com")
    page = client.get("/account/")
    assert "no-store" in page.headers["Cache-Control"]
    api = client.post(
        "/api/v1/auth/tokens", json={"email": "tokens@example.com", "password": "password123"}
    )
    assert api.status_code == 201
    assert "no-store" in api.headers["Cache-Control"]


def test_anonymous_public_pages_are_not_marked_public(client):
    client.get("/")  # the first visit may set a cookie (a form's token): that one is private
    response = client.get("/organizations")
    assert response.status_code == 200
    assert "public" not in response.headers.get("Cache-Control", "")
    assert "max-age" not in response.headers.get("Cache-Control", "")


def test_after_sign_out_the_page_is_not_stored_either(client, make_user, login):
    make_user("leaving@example.com")
    login("leaving@example.com")
    response = client.post("/account/logout")
    assert "no-store" in response.headers["Cache-Control"]  # it ends a session


# --- CSP reports ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b'{"csp-report": {"blocked-uri": "inline", "violated-directive": "script-src"}}', 204),
        (b'[{"type": "csp-violation", "body": {"blockedURL": "inline"}}]', 204),
        (b'"just a string"', 204),
        (b"", 400),
        (b"{not json", 400),
        (b"\xff\xfe\x00", 400),
        (b'{"csp-report": "' + b"x" * 20_000 + b'"}', 413),
    ],
)
def test_csp_reports_are_logged_and_never_fail(client, caplog, body, status):
    response = client.post("/csp-report", data=body, content_type="application/csp-report")
    assert response.status_code == status
    _assert_security_headers(response)
    if status == 204:
        assert "CSP violation" in caplog.text


def test_csp_report_endpoint_takes_only_posts(client):
    assert client.get("/csp-report").status_code == 405
