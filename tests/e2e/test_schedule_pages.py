"""Preferences and the schedule preview in the browser, and axe-core on both in three languages."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_fairs import _axe_problems, person  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e


def _first_fair(page, live_server, locale="en") -> str:
    """The first fair listed (the same for every demo account: the list is by date)."""
    page.goto(f"{live_server}/exhibitions?lang={locale}")
    links = page.locator("main a[href^='/exhibitions/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return next(link for link in links if re.fullmatch(r"/exhibitions/\d+", link))


def test_preferences_are_saved_without_javascript_help(person, live_server):  # noqa: F811
    provider = person("provider@matchmaker.example")
    fair = _first_fair(provider, live_server)
    provider.goto(f"{live_server}{fair}/preferences")
    first = provider.locator(".preference-item").first
    name = first.locator("legend a").inner_text()
    first.get_by_label("Must meet").check()
    provider.get_by_role("button", name="Save the answers on this page").click()

    assert "Your preferences are saved." in provider.locator("main").inner_text()
    again = provider.locator(".preference-item", has=provider.get_by_text(name, exact=True))
    assert again.get_by_label("Must meet").is_checked()


def test_organizer_previews_the_schedule(person, live_server, tmp_path):  # noqa: F811
    organizer = person("organizer@matchmaker.example")
    fair = _first_fair(organizer, live_server)
    organizer.goto(f"{live_server}{fair}/schedule")
    assert organizer.locator("h1").inner_text() == "Meeting schedule"
    organizer.get_by_role("button", name="Preview schedule").click()

    text = organizer.locator("main").inner_text()
    assert "Meetings placed" in text
    # The demo fair's schedule is published already: a preview shows what is left, if any.
    publishable = organizer.get_by_role("button", name="Publish this schedule").count()
    assert publishable == 1 or "nothing to publish" in text
    organizer.screenshot(path=str(tmp_path / "schedule-preview.png"), full_page=True)


@pytest.mark.parametrize("locale", ["en", "zh_Hans", "ar"])
def test_schedule_pages_have_no_serious_violations(person, live_server, locale):  # noqa: F811
    found = {}
    provider = person("provider@matchmaker.example", locale)
    fair = _first_fair(provider, live_server, locale)
    provider.goto(f"{live_server}{fair}/preferences?lang={locale}")
    if problems := _axe_problems(provider):
        found["preferences"] = problems
    organizer = person("organizer@matchmaker.example", locale)
    organizer.goto(f"{live_server}{fair}/schedule?lang={locale}")
    if problems := _axe_problems(organizer):
        found["schedule"] = problems
    organizer.locator("form.schedule-run button[type=submit]").click()
    assert organizer.locator(".schedule-preview").count() == 1
    if problems := _axe_problems(organizer):
        found["preview"] = problems
    assert found == {}
