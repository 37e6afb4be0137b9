"""The organizer's report in the browser: accessible in three languages, a rate entered,
screenshots for the release note (/tmp/shots)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_fairs import PASSWORDS, _axe_problems

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots")


@pytest.fixture
def organizer(browser, live_server):
    contexts = []

    def sign_in(locale: str):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/account/login?lang={locale}")
        page.fill("#email", "organizer@matchmaker.example")
        page.fill("#password", PASSWORDS["organizer@matchmaker.example"])
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        return page

    yield sign_in
    for context in contexts:
        context.close()


def _busiest_fair(page, live_server) -> str:
    """The demo fair whose report has the most to show (the most meetings requested)."""
    page.goto(f"{live_server}/exhibitions?lang=en")
    fairs = {
        href
        for href in page.locator("main a[href^='/exhibitions/']").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        if href.count("/") == 2
    }
    best, most = None, -1
    for fair in sorted(fairs):
        answer = page.request.get(f"{live_server}/api/v1{fair}/statistics")
        if answer.ok and answer.json()["meetings"]["requested"] > most:
            best, most = fair, answer.json()["meetings"]["requested"]
    assert best, fairs
    return best


@pytest.mark.parametrize("locale", ["en", "zh_Hans", "ar"])
def test_report_page_has_no_serious_violations(organizer, live_server, locale):
    page = organizer(locale)
    fair = _busiest_fair(page, live_server)

    page.goto(f"{live_server}{fair}/report?lang={locale}")

    assert page.locator("h1").count() == 1
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
    assert _axe_problems(page) == []


def test_rate_entered_in_the_form_and_screenshots(organizer, live_server):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = organizer("en")
    fair = _busiest_fair(page, live_server)
    page.goto(f"{live_server}{fair}/report?lang=en")

    page.select_option("#currency", "CNY")
    page.fill("#usd_per_unit", "0.1389")
    page.get_by_role("button", name="Save the rate").click()

    assert "Rate saved: 1 CNY = 0.1389 US dollars." in page.locator(".flashes").inner_text()
    row = page.locator(".rates-table tr", has=page.locator("th", has_text="CNY"))
    assert "0.1389" in row.inner_text()
    page.fill("#usd_per_unit", "-3")
    page.get_by_role("button", name="Save the rate").click()
    assert page.locator("#usd_per_unit-error").inner_text() != ""
    assert _axe_problems(page) == []  # the form with its errors shown
    page.goto(f"{live_server}{fair}/report?lang=en")
    page.screenshot(path=str(SHOTS / "report_en.png"), full_page=True)
    page.goto(f"{live_server}{fair}/report?lang=ar")
    page.screenshot(path=str(SHOTS / "report_ar.png"), full_page=True)


@pytest.mark.parametrize("locale", ["en", "zh_Hans", "ar"])
def test_platform_statistics_page_has_no_serious_violations(browser, live_server, locale):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server}/account/login?lang={locale}")
    page.fill("#email", "admin@matchmaker.example")
    page.fill("#password", "demo-admin-2026")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"{live_server}/admin/statistics?lang={locale}")

    assert page.locator("h1").count() == 1
    assert page.locator(".year-block").count() >= 1
    assert _axe_problems(page) == []
    context.close()
