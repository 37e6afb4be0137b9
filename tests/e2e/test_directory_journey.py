"""The directory journey on a 390 px phone: filters behind a button, long words wrap,
signing in returns to the page, the shortlist from a card, the country picker filters."""

from __future__ import annotations

import itertools

import pytest

pytestmark = pytest.mark.e2e

LONG_WORD = "Supercalifragilisticexpialidociousoutsourcingservicesgroupltd"  # 61 characters
_emails = itertools.count(1)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _register(page, live_server) -> str:
    email = f"journey{next(_emails)}@example.com"
    page.goto(f"{live_server}/account/register?lang=en")
    page.fill("#display_name", "Journey Tester")
    page.fill("#email", email)
    page.fill("#password", "password123")
    page.fill("#confirm", "password123")
    page.locator("form button[type=submit]").last.click()
    return email


def _create_org(page, live_server, name: str, kind: str = "buyer") -> None:
    page.goto(f"{live_server}/organizations/new")
    page.select_option("#kind", kind)
    page.fill("#name", name)
    page.select_option("#country", "DE")
    page.fill("#website", "www.example.cn")
    page.locator("input[name=services][value='ito.software_rd']").check()
    page.locator(".form-actions button[type=submit]").click()
    page.wait_for_url("**/organizations/*")


def test_phone_filters_button_opens_the_panel_after_results(phone, live_server):
    phone.goto(f"{live_server}/organizations?lang=en")
    summary = phone.locator("details.filters-panel > summary")
    assert summary.is_visible()
    assert not phone.locator("aside.facets").is_visible()
    assert phone.locator(".org-card").first.is_visible()
    summary.click()
    assert phone.locator("aside.facets").is_visible()
    assert _no_sideways_scroll(phone)


def test_phone_long_word_never_scrolls_sideways(phone, live_server):
    _register(phone, live_server)
    _create_org(phone, live_server, f"{LONG_WORD} Insurance")
    assert phone.locator(".profile h1").is_visible()
    assert _no_sideways_scroll(phone)
    for path in ("/", f"/organizations?q={LONG_WORD[:20]}&kind=any", "/organizations?kind=any"):
        phone.goto(f"{live_server}{path}")
        assert _no_sideways_scroll(phone), path
    phone.goto(f"{live_server}/")
    assert phone.locator(".org-card", has_text=LONG_WORD).first.is_visible()


def test_sign_in_from_header_returns_to_the_page(page, live_server):
    email = _register(page, live_server)
    page.locator(".user-nav button.link").click()  # sign out
    page.goto(f"{live_server}/exhibitions?lang=en")
    page.locator(".user-nav a", has_text="Sign in").click()
    page.fill("#email", email)
    page.fill("#password", "password123")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/exhibitions*")
    assert "/exhibitions" in page.url


def test_save_from_card_then_let_them_know(page, live_server):
    _register(page, live_server)
    _create_org(page, live_server, "Card Saver GmbH")
    page.goto(f"{live_server}/organizations?lang=en")
    card = page.locator(".org-card").first
    name = card.locator("h3 a").inner_text()
    card.locator("button", has_text="Save").click()
    card = page.locator(".org-card", has_text=name).first
    assert card.locator(".saved-mark").is_visible()
    card.locator("button", has_text="Let them know").click()
    assert (
        page.locator(".flash-success")
        .first.inner_text()
        .startswith("They are told that you are interested.")
    )
    page.locator(".flash-close").first.click()
    assert page.locator(".flash-success").count() == 0
    page.locator(".org-card", has_text=name).first.locator(".saved-mark a").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Saved organizations"


def test_target_market_picker_filters_checkboxes(page, live_server):
    _register(page, live_server)
    page.goto(f"{live_server}/organizations/new?lang=en")
    page.fill(".picker-filter", "germ")
    visible = page.locator(".picker-list li:visible")
    assert visible.count() == 1
    assert visible.first.inner_text().strip() == "Germany"


def test_country_select_filters_as_you_type(page, live_server):
    _register(page, live_server)
    page.goto(f"{live_server}/organizations/new?lang=en")
    page.fill("#picker-select-filter-0", "kazakh")
    assert page.locator("#country").input_value() == "KZ"
    shown = page.eval_on_selector_all("#country option", "os => os.filter(o => !o.hidden).length")
    assert shown <= 2  # Kazakhstan, and the empty choice if the form offers one


@pytest.mark.parametrize("locale", ["en", "ar", "zh_Hans"])
def test_shortlist_pages_have_no_serious_violations(page, live_server, locale):
    from .test_accessibility import AXE, _violations

    if not AXE.exists():
        pytest.skip("axe-core is not installed")
    axe_source = AXE.read_text(encoding="utf-8")
    _register(page, live_server)
    _create_org(page, live_server, f"Axe Checker {locale}")
    org_path = page.url.split("://", 1)[1].split("/", 1)[1].split("?")[0]
    page.goto(f"{live_server}/organizations?lang={locale}")
    page.locator(".org-card .card-actions button").first.click()
    found = {}
    for path in (
        f"/{org_path}/saved",
        f"/{org_path}/dismissed",
        "/organizations",
        "/organizations/new",
        f"/{org_path}/edit",
    ):
        page.goto(f"{live_server}{path}?lang={locale}")
        problems = _violations(page, axe_source)
        if problems:
            found[path] = problems
    assert found == {}
