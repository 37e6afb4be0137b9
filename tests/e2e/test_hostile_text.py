"""In a real browser, with the Content-Security-Policy enforced (no bypass):

- the site's own pages break no rule of the policy (nothing blocked, nothing reported);
- hostile profile text (script tags, event handlers, javascript: links, right-to-left
  overrides, a 10,000-character word) in several languages runs nothing and keeps the
  layout: no dialog opens, no link leads to javascript:, the page never scrolls sideways.
"""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session
from werkzeug.serving import make_server

from matchmaker import create_app
from matchmaker.accounts.models import utcnow
from matchmaker.accounts.service import create_user
from matchmaker.conversations import service as conversations
from matchmaker.exhibitions import service as fairs
from matchmaker.migrate import upgrade
from tests.e2e.test_fairs import PASSWORDS
from tests.exhibitions.conftest import FAIR
from tests.security.test_hostile_text import (
    DESCRIPTIONS,
    GOOD_WEBSITE,
    HOSTILE_NAME,
    IMG,
    LINK,
    LONG_WORD,
    SCRIPT,
    SVG,
)

pytestmark = pytest.mark.e2e

PASSWORD = "hostile-pass-2026"
# Playwright adds this before any page script, outside the page's policy.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def _watched(context):
    """A page that records CSP violations, console errors about the policy, and dialogs."""
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.problems = []
    page.dialogs = []

    def on_console(message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            page.problems.append(f"console: {message.text[:200]}")

    def on_dialog(dialog):
        page.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("console", on_console)
    page.on("dialog", on_dialog)
    return page


def _violations(page) -> list[str]:
    page.wait_for_load_state("load")
    page.wait_for_timeout(100)  # violation events are dispatched asynchronously
    return list(page.evaluate("window.__csp || []")) + page.problems


def _sign_in(page, base: str, email: str, password: str, locale: str = "en") -> None:
    page.goto(f"{base}/account/login?lang={locale}")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/account/login" not in page.url, f"sign-in failed for {email}"


# --- the site's own pages under the policy ------------------------------------------------


def test_key_pages_break_no_policy_rule(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # no bypass_csp
    page = _watched(context)
    found: dict[str, list[str]] = {}

    def visit(path: str) -> None:
        page.goto(f"{live_server}{path}")
        if problems := _violations(page):
            found[path] = problems

    for locale in ("en", "ar"):
        for path in ("/", "/organizations", "/organizations?q=software", "/exhibitions"):
            visit(f"{path}{'&' if '?' in path else '?'}lang={locale}")
    page.goto(f"{live_server}/organizations?kind=provider")
    profile = page.locator(".org-card h3 a").first.get_attribute("href")
    page.goto(f"{live_server}/exhibitions")
    fair = page.locator("main a[href^='/exhibitions/']").first.get_attribute("href")
    visit(profile)
    visit(fair)

    _sign_in(
        page, live_server, "organizer@matchmaker.example", PASSWORDS["organizer@matchmaker.example"]
    )
    for path in (
        "/",
        "/account/",
        "/calendar",
        f"{fair}/booths",
        f"{fair}/report",
        f"{fair}/report?lang=ar",
        f"{fair}/schedule",
        f"{fair}/check-in",
        f"{fair}/import",
        f"{fair}/edit",
        f"{fair}/dashboard",
        "/exhibitions/new",
    ):
        visit(path)
    # The pages' own scripts ran (e.g. the time-zone picker on the account page).
    page.goto(f"{live_server}/account/")
    assert page.evaluate("document.scripts.length") >= 2
    assert page.dialogs == []
    context.close()
    assert found == {}


def test_axe_can_still_be_run_under_the_policy(browser, live_server):
    """`page.evaluate(source)` is not subject to the page's policy; an inline <script> is."""
    from tests.e2e.test_accessibility import AXE

    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm install --prefix tests/e2e)")
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server}/organizations")
    with pytest.raises(Exception):  # noqa: B017  (Playwright's error type varies)
        page.add_script_tag(content="window.__inline = 1;")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => (await axe.run(document)).testEngine.name")
    assert result == "axe-core"
    context.close()


# --- hostile text --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A small site of its own (the shared demo stays untouched): a hostile profile, a reader
    it wrote to, and a fair both attend."""
    path = tmp_path_factory.mktemp("hostile")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{path / 'db.sqlite3'}",
            "SEARCH_INDEX_PATH": str(path / "search.sqlite3"),
            "SECRET_KEY": "hostile",
            "ELASTICSEARCH_URL": "",
            "MAIL_SENDER": False,
        }
    )
    engine = app.extensions["matchmaker.engine"]
    upgrade(engine)
    from matchmaker.profiles import service as profiles
    from matchmaker.search.runtime import current_backend

    with app.test_request_context("/"), Session(engine, expire_on_commit=False) as db:
        author = create_user(db, "hostile@example.com", PASSWORD)
        organizer = create_user(db, "organizer@example.com", PASSWORD, role="organizer")
        data = {
            "kind": "provider",
            "name": HOSTILE_NAME,
            "country": "CN",
            "city": "Dalian",
            "website": GOOD_WEBSITE,
            "services": ["ito.software_rd"],
            "languages": ["en", "zh"],
            "visibility": "public",
            "description": DESCRIPTIONS,
        }
        org = profiles.create_organization(db, author, data)
        reader = create_user(db, "reader@example.com", PASSWORD)
        partner = profiles.create_organization(
            db,
            reader,
            {
                "kind": "buyer",
                "name": "Nordhafen Versicherung",
                "country": "DE",
                "visibility": "public",
                "description": {"en": "Insurer."},
            },
        )
        for user in (author, reader):
            db.refresh(user)
            user.email_verified_at = utcnow()
            db.add(user)
        db.commit()
        conversation = conversations.start_conversation(
            db, author, org.id, partner.id, f"{SCRIPT} offer", LONG_WORD
        )
        conversations.reply(db, author, conversation.id, f"{IMG}\n{LINK}\n{SVG}")
        fair = fairs.create_exhibition(db, organizer, FAIR)
        fairs.register(db, author, fair.id, org.id, "exhibitor")
        fairs.register(db, reader, fair.id, partner.id, "visitor")
        current_backend().index([profiles.organization_document(o) for o in (org, partner)])
        ids = {"org": org.id, "conversation": conversation.id, "fair": fair.id}

    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", ids
    server.shutdown()
    engine.dispose()


def _layout_problems(page) -> list[str]:
    problems = []
    overflow = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if overflow[0] > overflow[1]:
        problems.append(f"page is {overflow[0]}px wide in a {overflow[1]}px window")
    bad_links = page.evaluate(
        """[...document.querySelectorAll('a[href], area[href], form[action], iframe, embed')]
             .map((el) => (el.href || el.action || el.src || '').trim().toLowerCase())
             .filter((url) => url.startsWith('javascript:') || url.startsWith('data:'))"""
    )
    problems += [f"link to {url[:40]}" for url in bad_links]
    if page.locator("main script, main img[src='x'], main svg[onload], main iframe").count():
        problems.append("hostile element in the page")
    return problems


@pytest.mark.parametrize(
    ("locale", "width"), [("en", 1280), ("ar", 1280), ("zh_Hans", 390), ("ar", 390)]
)
def test_hostile_text_runs_nothing_and_keeps_the_layout(browser, hostile_site, locale, width):
    base, ids = hostile_site
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = _watched(context)
    found: dict[str, list[str]] = {}

    def check(path: str) -> None:
        page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={locale}")
        problems = _violations(page) + _layout_problems(page)
        if problems:
            found[path] = problems

    for path in (
        f"/organizations/{ids['org']}",
        "/organizations",
        "/organizations?q=hostileword",
        "/organizations?q=Haixin",
        f"/organizations?q={'W' * 150}",
    ):
        check(path)
    page.goto(f"{base}/organizations/{ids['org']}?lang={locale}")
    website = page.locator("main a[rel~='nofollow']").first.get_attribute("href")
    assert website.startswith("https://haixin.example/")
    # The name shows as text, override character and all, inside an isolating <bdi>.
    assert page.locator("h1 bdi, h1").first.inner_text().startswith("<script>alert(1)</script>")

    _sign_in(page, base, "reader@example.com", PASSWORD, locale)
    for path in (
        f"/conversations/{ids['conversation']}",
        "/conversations",
        f"/exhibitions/{ids['fair']}/participants",
        f"/organizations/{ids['org']}",
    ):
        check(path)
    page.goto(f"{base}/conversations/{ids['conversation']}?lang={locale}")
    assert "<img src=x onerror=alert(1)>" in page.locator("main").inner_text()
    assert page.dialogs == []
    context.close()
    assert found == {}
