"""The badge in a browser: a QR code of a valid signed link, the scan, the check-in desk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from itsdangerous import URLSafeTimedSerializer

from tests.e2e.test_fairs import PASSWORDS, _axe_problems

pytestmark = pytest.mark.e2e

PROVIDER = "provider@matchmaker.example"
ORGANIZER = "organizer@matchmaker.example"
SHOTS = Path("/tmp/shots")


@pytest.fixture
def person(browser, live_server):
    contexts = []

    def sign_in(email: str, locale: str = "en"):
        context = browser.new_context(viewport={"width": 900, "height": 1100})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/account/login?lang={locale}")
        page.fill("#email", email)
        page.fill("#password", PASSWORDS[email])
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        return page

    yield sign_in
    for context in contexts:
        context.close()


def _badge_path(page, live_server) -> str:
    """The provider's badge at the first demo fair still ahead (Beijing, May 2027)."""
    fairs = page.request.get(f"{live_server}/api/v1/exhibitions").json()["items"]
    for fair in fairs:
        path = f"/exhibitions/{fair['id']}/badge"
        if page.request.get(f"{live_server}{path}").status == 200 and fair["ends_on"] > "2026-12":
            return path
    raise AssertionError("the demo provider has no badge at a fair to come")


@pytest.mark.parametrize("locale", ["en", "zh_Hans", "ar"])
def test_badge_shows_a_qr_code_of_a_valid_link(person, live_server, locale):
    provider = person(PROVIDER, locale)
    path = _badge_path(provider, live_server)
    provider.goto(f"{live_server}{path}?lang={locale}")
    figure = provider.locator("figure.badge-qr")
    assert figure.locator("svg path").count() >= 1
    link = provider.locator("a.check-in-link").inner_text().strip()
    assert link in figure.get_attribute("aria-label")
    match = re.fullmatch(rf"{re.escape(live_server)}/exhibitions/(\d+)/check-in/([\w.-]+)", link)
    assert match, link
    fair_id, registration_id = URLSafeTimedSerializer("e2e", salt="check-in").loads(match[2])
    assert str(fair_id) == match[1] and registration_id > 0
    assert "Dalian Haixin Software" in provider.locator(".badge-org").inner_text()
    assert _axe_problems(provider) == []
    if locale == "zh_Hans":
        SHOTS.mkdir(parents=True, exist_ok=True)
        provider.screenshot(path=str(SHOTS / "badge_zh.png"), full_page=True)
        provider.emulate_media(media="print")
        assert provider.locator(".site-header").is_hidden()
        pdf = provider.pdf(prefer_css_page_size=True)  # the print stylesheet asks for A6
        (SHOTS / "badge_a6.pdf").write_bytes(pdf)
        box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
        assert (round(float(box[1])), round(float(box[2]))) == (298, 420)  # A6 in points
        provider.set_viewport_size({"width": 397, "height": 559})  # A6 at 96 dpi
        provider.screenshot(path=str(SHOTS / "badge_print_zh.png"))
        assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
        provider.emulate_media(media="screen")


@pytest.mark.parametrize("locale", ["en", "zh_Hans", "ar"])
def test_organizer_scans_the_badge_and_sees_the_desk(person, live_server, locale):
    provider = person(PROVIDER, locale)
    path = _badge_path(provider, live_server)
    provider.goto(f"{live_server}{path}")
    link = provider.locator("a.check-in-link").inner_text()
    organizer = person(ORGANIZER, locale)
    organizer.goto(f"{link.strip()}?lang={locale}")
    assert organizer.locator("h1").count() == 1
    assert "Dalian Haixin Software" in organizer.locator("main").inner_text()
    if locale == "en":
        assert re.search(r"Checked in|Already checked in at", organizer.locator("h1").inner_text())
    assert _axe_problems(organizer) == []
    fair = re.search(r"/exhibitions/\d+", path)[0]
    organizer.goto(f"{live_server}{fair}/check-in?lang={locale}")
    assert organizer.locator("table.checkin-table tbody tr").count() >= 1
    assert _axe_problems(organizer) == []


@pytest.mark.parametrize("locale", ["en", "zh_Hans", "ar"])
def test_outcome_form_on_a_held_meeting(person, live_server, locale):
    provider = person(PROVIDER, locale)
    held = []
    for fair in provider.request.get(f"{live_server}/api/v1/exhibitions").json()["items"]:
        listed = provider.request.get(f"{live_server}/api/v1/exhibitions/{fair['id']}/meetings")
        if listed.ok:
            held += [m for m in listed.json()["items"] if m["status"] == "held"]
    assert held, "the demo provider has a held meeting at the Dubai forum"
    meeting = held[0]
    url = f"{live_server}/exhibitions/{meeting['exhibition_id']}/meetings/{meeting['id']}"
    provider.goto(f"{url}?lang={locale}")
    assert provider.locator("form.outcome-form input[name=outcome]").count() == 4
    assert _axe_problems(provider) == []
    if locale == "en":
        provider.get_by_label("MoU signed").check()
        provider.select_option("[name=service]", "ito.software_rd")
        provider.fill("[name=value]", "80000")
        provider.select_option("[name=currency]", "AED")
        provider.get_by_role("button", name="Save the outcome").click()
        table = provider.locator("table.outcomes").inner_text()
        assert "MoU signed" in table and "AED" in table and "80,000.00" in table, table
