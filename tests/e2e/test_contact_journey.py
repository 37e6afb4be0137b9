"""From finding to talking, in the browser: save, let them know, ask, get the e-mail, reply."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from matchmaker import create_app
from matchmaker.migrate import upgrade
from tests.notifications.conftest import SmtpServer, free_port

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def mail_site(tmp_path_factory):
    """The demo site with a real SMTP server behind its outbox."""
    pytest.importorskip("aiosmtpd")
    from sqlmodel import Session

    from matchmaker.demo.load import load_demo

    smtp = SmtpServer(free_port())
    smtp.start()
    path = tmp_path_factory.mktemp("journey")
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{path / 'site.sqlite3'}",
            "SEARCH_INDEX_PATH": str(path / "search.sqlite3"),
            "SECRET_KEY": "journey",
            "ELASTICSEARCH_URL": "",
            "SMTP_URL": smtp.url,
            "MAIL_SENDER": False,  # the test delivers the outbox itself
        }
    )
    upgrade(app.extensions["matchmaker.engine"])
    with app.app_context(), Session(app.extensions["matchmaker.engine"]) as db:
        load_demo(db)
    with app.app_context():
        from matchmaker.cli import _reindex

        _reindex()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield app, f"http://127.0.0.1:{server.server_port}", smtp
    server.shutdown()
    smtp.stop()


def _sign_in(browser, base, email, password, locale):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/account/login?lang={locale}")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    return context, page


def test_buyer_finds_saves_asks_and_provider_replies(browser, mail_site, tmp_path):
    from matchmaker.notifications.mail import send_pending

    app, base, smtp = mail_site
    buyer_ctx, buyer = _sign_in(browser, base, "buyer@matchmaker.example", "demo-buyer-2026", "en")
    # The buyer searches, saves the provider from its card and lets them know.
    buyer.fill("#header-q", "Chengdu Tianfu")
    buyer.locator("#header-q").press("Enter")
    card = buyer.locator(".org-card", has_text="Chengdu Tianfu Data Services").first
    card.get_by_role("button", name="Save").click()
    card = buyer.locator(".org-card", has_text="Chengdu Tianfu Data Services").first
    card.get_by_role("button", name="Let them know").click()
    buyer.locator(".org-card", has_text="Chengdu Tianfu Data Services").first.locator(
        "h3 a"
    ).click()
    buyer.get_by_role("link", name="Contact").first.click()
    buyer.fill("#subject", "Claims data entry for 2027")
    buyer.fill("#message", "We need German and Chinese claims processing. Can you help?")
    buyer.get_by_role("button", name="Send").click()
    assert "Claims data entry for 2027" in buyer.locator("main").inner_text()

    # The provider, reading Chinese, has the notifications and the e-mail.
    assert send_pending(app) >= 2
    to_provider = [m for m in smtp.messages if "provider-zh@matchmaker.example" in m["To"]]
    assert len(to_provider) >= 2
    bodies = "\n".join(m.get_body(("plain",)).get_content() for m in to_provider)
    assert "/conversations/" in bodies
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in m["Subject"]) for m in to_provider)

    provider_ctx, provider = _sign_in(
        browser, base, "provider-zh@matchmaker.example", "demo-provider-zh-2026", "zh_Hans"
    )
    provider.goto(f"{base}/notifications")
    assert "Nordlicht Versicherung AG" in provider.locator("main").inner_text()
    provider.goto(f"{base}/conversations")
    provider.get_by_role("link", name="Claims data entry for 2027").first.click()
    provider.fill("#body", "可以，我们有德语和中文团队。")
    provider.locator("main form button[type=submit]").first.click()
    provider.screenshot(path=str(tmp_path / "thread-zh.png"), full_page=True)

    # The buyer reads the reply in Arabic, right to left, and sees the contact person.
    buyer.goto(f"{base}/conversations?lang=ar")
    assert buyer.locator("html").get_attribute("dir") == "rtl"
    buyer.locator("main a", has_text="Claims data entry for 2027").first.click()
    assert "可以，我们有德语和中文团队。" in buyer.locator("main").inner_text()
    buyer.screenshot(path=str(tmp_path / "thread-ar.png"), full_page=True)
    buyer.goto(f"{base}/organizations?q=Chengdu%20Tianfu")
    buyer.locator(".org-card h3 a", has_text="Chengdu Tianfu Data Services").first.click()
    assert "provider-zh@matchmaker.example" in buyer.locator("main").inner_text()
    provider.goto(f"{base}/organizations?q=Nordlicht&kind=buyer")
    provider.locator(".org-card h3 a", has_text="Nordlicht").first.click()
    assert "buyer@matchmaker.example" in provider.locator("main").inner_text()
    buyer_ctx.close()
    provider_ctx.close()


@pytest.mark.parametrize("locale", ["en", "zh_Hans", "ar"])
def test_contact_pages_have_no_serious_violations(browser, mail_site, locale):
    from tests.e2e.test_fairs import _axe_problems

    _app, base, _smtp = mail_site
    context, page = _sign_in(browser, base, "buyer@matchmaker.example", "demo-buyer-2026", locale)
    page.goto(f"{base}/account/?lang={locale}")
    org_link = page.locator("a[href*='/team']").first.get_attribute("href")
    org_id = org_link.split("/")[2]
    found = {}
    for path in (
        "/conversations",
        "/conversations/new?to=1",
        "/notifications",
        "/account/notifications",
        org_link,
        f"/organizations/{org_id}/saved",
        f"/organizations/{org_id}/dismissed",
        "/account/forgot",
    ):
        joiner = "&" if "?" in path else "?"
        page.goto(f"{base}{path}{joiner}lang={locale}")
        if problems := _axe_problems(page):
            found[path] = problems
    context.close()
    assert found == {}
