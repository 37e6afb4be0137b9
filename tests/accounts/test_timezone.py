"""The account's time zone: offered from the tz database, saved, bad names refused."""

from __future__ import annotations

import re
from html import unescape

from matchmaker.accounts.forms import time_zone_choices


def _save(client, timezone: str, locale: str = ""):
    return client.post(
        "/account/",
        data={
            "action": "settings",
            "settings-display_name": "Lena",
            "settings-locale": locale,
            "settings-timezone": timezone,
        },
    )


def _selected(html: str) -> list[str]:
    select = html.split('id="settings-timezone"')[1].split("</select>")[0]
    return re.findall(r'<option selected value="([^"]*)"', select)


def test_time_zone_is_saved_and_shown_selected(client, db, make_user, login):
    user = make_user("tz@example.com")
    login("tz@example.com")
    assert _save(client, "Europe/Berlin").status_code == 303
    db.refresh(user)
    assert user.timezone == "Europe/Berlin"
    assert _selected(client.get("/account/").get_data(as_text=True)) == ["Europe/Berlin"]


def test_empty_time_zone_means_not_set(client, db, make_user, login):
    user = make_user("tz@example.com")
    login("tz@example.com")
    _save(client, "Asia/Shanghai")
    assert _save(client, "").status_code == 303
    db.refresh(user)
    assert user.timezone is None
    html = client.get("/account/").get_data(as_text=True)
    assert _selected(html) == []  # the first option, "Not set", shows
    assert 'name="settings-timezone"><option value="">Not set</option>' in html


def test_unknown_time_zone_is_refused_with_a_field_error(client, db, make_user, login):
    user = make_user("tz@example.com")
    login("tz@example.com")
    for bad in ("Mars/Olympus_Mons", "localtime", "../../etc/passwd", "x" * 65):
        response = _save(client, bad)
        assert response.status_code == 422
        html = unescape(response.get_data(as_text=True))
        errors = re.findall(r'<p class="error" id="settings-timezone-error">(.*?)</p>', html)
        assert errors in (
            ["Choose a time zone from the list."],
            ["Field cannot be longer than 64 characters. Choose a time zone from the list."],
        )
    db.refresh(user)
    assert user.timezone is None


def test_an_alias_the_browser_may_send_is_accepted(client, db, make_user, login):
    user = make_user("tz@example.com")
    login("tz@example.com")
    assert "US/Eastern" not in time_zone_choices()
    assert _save(client, "US/Eastern").status_code == 303
    db.refresh(user)
    assert user.timezone == "US/Eastern"
    assert _selected(client.get("/account/").get_data(as_text=True)) == ["US/Eastern"]


def test_settings_page_loads_the_browser_zone_script_without_inline_code(client, make_user, login):
    make_user("tz@example.com")
    login("tz@example.com")
    html = client.get("/account/").get_data(as_text=True)
    assert '<script src="/static/js/timezone.js" defer></script>' in html
    assert "<script>" not in html
    assert 'data-template="Your browser says: {zone}"' in html
    assert 'data-browser-zone=""' in html


def test_time_zone_choices_are_places_not_aliases():
    choices = time_zone_choices()
    assert "Asia/Shanghai" in choices
    assert "Europe/Berlin" in choices
    assert "UTC" in choices
    assert [zone for zone in choices if "/" not in zone] == ["UTC"]
    assert [zone for zone in choices if zone.startswith(("Etc/", "SystemV/", "US/"))] == []
