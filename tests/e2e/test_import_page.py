"""Importing a fair's participants from a CSV file in the browser, in three languages."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_fairs import _axe_problems

pytestmark = pytest.mark.e2e

ORGANIZER = ("organizer@matchmaker.example", "demo-organizer-2026")
GOOD = (
    "企业名称,国家,角色,邮箱,服务\n"
    "Importvale Analytics {n},Germany,buyer,buy{n}@importvale.example,bpo.call_center\n"
    "青岛导入软件 {n},中国,参展商,bd{n}@daoru.example,ito.software_rd\n"
)
BAD = GOOD + "Broken {n},Germny,speaker,not-an-address,nothing\n"


@pytest.fixture
def organizer(browser, live_server):
    def sign_in(locale: str):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server}/account/login?lang={locale}")
        page.fill("#email", ORGANIZER[0])
        page.fill("#password", ORGANIZER[1])
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        contexts.append(context)
        return page

    contexts = []
    yield sign_in
    for context in contexts:
        context.close()


def _new_fair(page, live_server, name: str) -> str:
    """A draft fair of this test's own, so the demo fairs other tests use stay as they are."""
    page.goto(f"{live_server}/exhibitions/new?lang=en")
    page.fill("[name=name_en]", name)
    page.fill("[name=city]", "Qingdao")
    page.fill("[name=venue]", "Qingdao International Convention Center")
    page.select_option("[name=timezone]", "Asia/Shanghai")
    page.fill("[name=starts_on]", "2027-09-14")
    page.fill("[name=ends_on]", "2027-09-15")
    page.fill("[name=day_start]", "09:00")
    page.fill("[name=day_end]", "12:00")
    page.fill("[name=slot_minutes]", "30")
    page.fill("[name=tables]", "4")
    page.get_by_role("button", name="Create the fair").click()
    found = re.search(r"/exhibitions/(\d+)", page.url)
    assert found, page.url
    return f"/exhibitions/{found.group(1)}"


def _choose(page, text: str) -> None:
    page.set_input_files(
        "#file",
        files=[{"name": "participants.csv", "mimeType": "text/csv", "buffer": text.encode()}],
    )
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_load_state()


def test_organizer_checks_and_imports_a_file(organizer, live_server):
    page = organizer("en")
    fair = _new_fair(page, live_server, "Qingdao Import Test Fair")

    page.goto(f"{live_server}{fair}/import?lang=en")
    _choose(page, BAD.format(n=1))
    report = page.locator(".import-report").inner_text()
    assert "The file cannot be imported yet" in report
    assert "Country “Germny” is not an ISO code; did you mean DE?" in report
    assert page.get_by_role("button", name="Import", exact=True).is_disabled()

    _choose(page, GOOD.format(n=1))
    assert "The file is ready to import" in page.locator(".import-report").inner_text()
    page.get_by_role("button", name="Import 2 participants").click()
    page.wait_for_load_state()

    assert page.url.endswith(f"{fair}/dashboard")
    main = page.locator("main").inner_text()
    assert "Imported 2 participants: 2 new organizations, 0 existing ones" in main
    assert "Importvale Analytics 1" in main
    assert "青岛导入软件 1" in main


@pytest.mark.parametrize("locale", ["en", "zh_Hans", "ar"])
def test_import_pages_have_no_serious_violations(organizer, live_server, locale):
    page = organizer(locale)
    fair = _new_fair(page, live_server, f"Import Axe Fair {locale}")
    found = {}

    page.goto(f"{live_server}{fair}/import?lang={locale}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
    if problems := _axe_problems(page):
        found["form"] = problems
    _choose(page, BAD.format(n=locale))
    if problems := _axe_problems(page):
        found["problems"] = problems
    _choose(page, GOOD.format(n=locale))
    if problems := _axe_problems(page):
        found["ready"] = problems
    page.locator(".import-confirm button[type=submit]").click()  # the kept file goes too
    page.wait_for_load_state()

    assert page.url.endswith(f"{fair}/dashboard")
    assert found == {}
