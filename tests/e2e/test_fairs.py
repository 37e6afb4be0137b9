"""A trade fair in the browser: set up, take part, meet, and find it in the calendar feed."""

from __future__ import annotations

import re

import icalendar
import pytest

pytestmark = pytest.mark.e2e

PASSWORDS = {
    "organizer@matchmaker.example": "demo-organizer-2026",
    "provider@matchmaker.example": "demo-provider-2026",
    "buyer@matchmaker.example": "demo-buyer-2026",
}


@pytest.fixture
def person(browser, live_server):
    """A signed-in browser context per demo account; confirmations are answered yes."""
    contexts = []

    def sign_in(email: str, locale: str = "en"):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(f"{live_server}/account/login?lang={locale}")
        page.fill("#email", email)
        page.fill("#password", PASSWORDS[email])
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        return page

    yield sign_in
    for context in contexts:
        context.close()


def test_fair_from_setup_to_calendar_feed(person, live_server, tmp_path):
    # The organizer creates a fair with a booth and publishes it.
    organizer = person("organizer@matchmaker.example")
    organizer.goto(f"{live_server}/exhibitions/new")
    organizer.fill("[name=name_en]", "Harbin Outsourcing Week")
    organizer.fill("[name=name_zh_Hans]", "哈尔滨外包周")
    organizer.fill("[name=city]", "Harbin")
    organizer.fill("[name=venue]", "Harbin International Convention Center")
    organizer.select_option("[name=timezone]", "Asia/Shanghai")
    organizer.fill("[name=starts_on]", "2027-08-10")
    organizer.fill("[name=ends_on]", "2027-08-11")
    organizer.fill("[name=day_start]", "09:00")
    organizer.fill("[name=day_end]", "12:00")
    organizer.fill("[name=slot_minutes]", "30")
    organizer.fill("[name=tables]", "4")
    organizer.get_by_role("button", name="Create the fair").click()
    fair_path = re.search(r"/exhibitions/(\d+)", organizer.url)
    assert fair_path, organizer.url
    fair_id = fair_path.group(1)
    organizer.goto(f"{live_server}/exhibitions/{fair_id}/booths")
    organizer.fill("[name=code]", "H01")
    organizer.fill("[name=hall]", "1")
    organizer.fill("[name=row]", "0")
    organizer.fill("[name=col]", "0")
    organizer.get_by_role("button", name="Add the booth").click()
    organizer.goto(f"{live_server}/exhibitions/{fair_id}/edit")
    organizer.get_by_role("button", name="Publish").click()
    organizer.goto(f"{live_server}/exhibitions/{fair_id}")
    assert "Harbin Outsourcing Week" in organizer.locator("h1").inner_text()

    # The provider registers as an exhibitor, books the booth and asks the buyer to meet.
    provider = person("provider@matchmaker.example")
    provider.goto(f"{live_server}/exhibitions/{fair_id}")
    provider.select_option("[name=role]", "exhibitor")
    provider.get_by_role("button", name="Register my organization").click()
    provider.get_by_role("button", name=re.compile("Book this booth")).first.click()
    assert provider.locator("svg .yours").count() == 1

    buyer = person("buyer@matchmaker.example")
    buyer.goto(f"{live_server}/exhibitions/{fair_id}")
    buyer.select_option("[name=role]", "buyer")
    buyer.get_by_role("button", name="Register my organization").click()

    provider.goto(f"{live_server}/exhibitions/{fair_id}/participants")
    people = provider.locator("section", has=provider.get_by_text("People to meet at this fair"))
    assert "Nordlicht Versicherung AG" in people.first.inner_text()
    provider.locator("a[href*='meetings/new']").first.click()
    assert "Nordlicht Versicherung AG" in provider.locator("main").inner_text()
    provider.locator("input[type=radio][name=slot_id]").nth(1).check()
    provider.fill("#meeting-message", "Claims processing in German and Chinese?")
    provider.get_by_role("button", name="Send the request").click()

    # The buyer accepts from the agenda; both agendas have the meeting at a table.
    buyer.goto(f"{live_server}/exhibitions/{fair_id}/agenda")
    buyer.get_by_role("button", name="Accept").first.click()
    for page in (buyer, provider):
        page.goto(f"{live_server}/exhibitions/{fair_id}/agenda")
        text = page.locator("main").inner_text()
        assert "Table T01" in text, text
    assert "Dalian Haixin Software" in buyer.locator("main").inner_text()
    provider.screenshot(path=str(tmp_path / "agenda.png"), full_page=True)

    # The provider's calendar subscription has the meeting.
    provider.goto(f"{live_server}/calendar")
    feed_url = provider.locator("#feed-url").input_value()
    feed = provider.request.get(feed_url)
    assert feed.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")
    summaries = [str(event["SUMMARY"]) for event in events]
    assert any("Nordlicht" in summary for summary in summaries), summaries


def _axe_problems(page):
    from tests.e2e.test_accessibility import AXE, _violations

    if not AXE.exists():
        from tests.conftest import skip_or_fail

        skip_or_fail("axe-core is not installed (npm install --prefix tests/e2e)")
    return _violations(page, AXE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("locale", ["en", "zh_Hans", "ar"])
def test_fair_pages_have_no_serious_violations(person, live_server, locale):
    provider = person("provider@matchmaker.example", locale)
    provider.goto(f"{live_server}/exhibitions?lang={locale}")
    fair = provider.locator("main a[href^='/exhibitions/']").first.get_attribute("href")
    participant_pages = [
        "/exhibitions",
        fair,
        f"{fair}/participants",
        f"{fair}/agenda",
        f"{fair}/availability",
        "/calendar",
        "/account/",
    ]
    found = {}
    for path in participant_pages:
        provider.goto(f"{live_server}{path}?lang={locale}")
        assert provider.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
        if problems := _axe_problems(provider):
            found[path] = problems
    provider.goto(f"{live_server}{fair}/participants?lang={locale}")
    provider.locator("a[href*='meetings/new']").first.click()
    if problems := _axe_problems(provider):
        found["request"] = problems

    organizer = person("organizer@matchmaker.example", locale)
    for path in (
        "/exhibitions/new",
        f"{fair}/edit",
        f"{fair}/sessions",
        f"{fair}/booths",
        f"{fair}/dashboard",
    ):
        organizer.goto(f"{live_server}{path}?lang={locale}")
        if problems := _axe_problems(organizer):
            found[path] = problems
    assert found == {}
