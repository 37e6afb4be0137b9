import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from matchmaker.i18n import LOCALES, normalize_locale

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh-CN", "zh_Hans"),
        ("zh-TW", "zh_Hans"),
        ("zh", "zh_Hans"),
        ("ar-SA", "ar"),
        ("fr-CA", "fr"),
        ("en-US", "en"),
        ("de-DE", None),
        ("", None),
        ("!!", None),
    ],
)
def test_normalize_locale(tag, expected):
    assert normalize_locale(tag) == expected


def _html_attrs(html):
    return re.search(r"<html lang=\"([^\"]+)\" dir=\"(\w+)\"", html).groups()


def test_accept_language_zh_cn_reaches_simplified_chinese(client):
    html = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}).get_data(
        as_text=True
    )
    assert _html_attrs(html) == ("zh-Hans", "ltr")


def test_lang_parameter_is_remembered(client):
    assert _html_attrs(client.get("/?lang=ar").get_data(as_text=True)) == ("ar", "rtl")
    assert _html_attrs(client.get("/organizations").get_data(as_text=True)) == ("ar", "rtl")


def test_lang_parameter_beats_accept_language(client):
    html = client.get("/?lang=ru", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert _html_attrs(html) == ("ru", "ltr")


def test_user_setting_beats_accept_language(client, make_user, login):
    make_user("u@example.com", locale="es")
    login("u@example.com")
    html = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert _html_attrs(html) == ("es", "ltr")


def test_switcher_lists_every_locale(client):
    html = client.get("/organizations?kind=buyer").get_data(as_text=True)
    for locale in LOCALES:
        assert f"lang={locale}" in html


@pytest.mark.parametrize("locale", [loc for loc in LOCALES if loc != "en"])
def test_catalog_is_complete(locale):
    path = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    missing = [
        m.id
        for m in catalog
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == []
    assert fuzzy == []
    assert (path.with_suffix(".mo")).exists()


def test_catalogs_cover_every_extracted_message():
    with (ROOT / "translations" / "messages.pot").open("rb") as handle:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    for locale in LOCALES:
        if locale == "en":
            continue
        with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
        assert template - ids == set(), locale


def test_template_is_current_with_the_source(tmp_path):
    """Every translatable string in the code is in messages.pot (run pybabel extract otherwise)."""
    from babel.messages.frontend import CommandLineInterface

    out = tmp_path / "fresh.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(out),
            # The root, not matchmaker/: babel.cfg's patterns start at the root.
            str(ROOT),
        ]
    )
    with out.open("rb") as handle:
        fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    with (ROOT / "translations" / "messages.pot").open("rb") as handle:
        kept = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert len(fresh) > 300  # the extraction itself found the strings
    assert fresh - kept == set()


@pytest.mark.parametrize("locale", [loc for loc in LOCALES if loc != "en"])
def test_compiled_catalog_matches_the_po_file(locale):
    from babel.messages.mofile import read_mo

    folder = ROOT / "translations" / locale / "LC_MESSAGES"

    def flat(value):
        return value if isinstance(value, str) else tuple(value)

    with (folder / "messages.po").open("rb") as handle:
        po = {flat(m.id): flat(m.string) for m in read_po(handle) if m.id and not m.fuzzy}
    with (folder / "messages.mo").open("rb") as handle:
        mo = {flat(m.id): flat(m.string) for m in read_mo(handle) if m.id}
    assert mo == po
