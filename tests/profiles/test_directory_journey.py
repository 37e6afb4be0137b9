"""The directory journey: counterpart first, applied filters, sign-in return, forms, pickers."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale
from sqlmodel import select

from matchmaker.matching.reasons import reason_label
from matchmaker.profiles.models import Organization

from .test_profiles import _form


def _names(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/organizations/\d+"><bdi>([^<]+)</bdi>', html)


@pytest.fixture
def both_kinds(make_org):
    buyer = make_org(name="Nordlicht Insurance", kind="buyer", country="DE")
    make_org(name="Dalian Soft", kind="provider", country="CN")
    make_org(name="Cairo Calls", kind="buyer", country="EG")
    return buyer


def test_search_for_buyer_shows_providers_first(client, both_kinds, make_user, login):
    make_user("anna@example.com", organization_id=both_kinds.id)
    login("anna@example.com")
    html = client.get("/organizations?q=").get_data(as_text=True)
    assert _names(html) == ["Dalian Soft"]
    assert '<a href="?q=&amp;kind=provider" aria-current="page" class="on">' in html


def test_search_for_provider_shows_buyers_first(client, make_org, make_user, login):
    provider = make_org(name="Chengdu Code", kind="provider")
    make_org(name="Nordlicht Insurance", kind="buyer", country="DE")
    make_user("li@example.com", organization_id=provider.id)
    login("li@example.com")
    html = client.get("/organizations").get_data(as_text=True)
    assert _names(html) == ["Nordlicht Insurance"]


def test_kind_any_shows_both_and_keeps_the_choice(client, both_kinds, make_user, login):
    make_user("anna@example.com", organization_id=both_kinds.id)
    login("anna@example.com")
    html = client.get("/organizations?kind=any").get_data(as_text=True)
    assert _names(html) == ["Cairo Calls", "Dalian Soft", "Nordlicht Insurance"]
    assert '<input type="hidden" name="kind" value="any">' in html


def test_anonymous_search_shows_both_kinds(client, both_kinds):
    html = client.get("/organizations").get_data(as_text=True)
    assert _names(html) == ["Cairo Calls", "Dalian Soft", "Nordlicht Insurance"]
    assert '<a href="?kind=any" aria-current="page" class="on">' in html


def test_applied_filters_listed_above_results_with_remove_links(client, both_kinds):
    html = client.get("/organizations?country=DE").get_data(as_text=True)
    results = html.index('<section class="results"')
    chip = html.index('<a class="chip" href="/organizations">')
    assert chip > results
    assert chip < html.index('<div class="list">')


def test_filters_panel_is_a_details_element(client, both_kinds):
    html = client.get("/organizations").get_data(as_text=True)
    assert '<details class="filters-panel" id="filters" open>' in html
    assert "/static/js/directory.js" in html


def test_header_sign_in_link_returns_to_the_page(client, make_org):
    org = make_org(name="Dalian Soft")
    html = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert f'href="/account/login?next=/organizations/{org.id}"' in html


def test_sign_in_with_next_returns_there(client, make_user):
    make_user("anna@example.com")
    response = client.post(
        "/account/login?next=/organizations?kind%3Dbuyer",
        data={"email": "anna@example.com", "password": "password123"},
    )
    assert response.headers["Location"] == "/organizations?kind=buyer"


def test_sign_in_with_foreign_next_goes_to_dashboard(client, make_user):
    make_user("anna@example.com")
    response = client.post(
        "/account/login?next=//evil.example/",
        data={"email": "anna@example.com", "password": "password123"},
    )
    assert response.headers["Location"] == "/dashboard"


def test_reason_for_buyer_partner_says_works_in(app):
    with app.test_request_context(), force_locale("en"):
        assert reason_label("industry", "insurance", "provider") == "Works in insurance"
        assert reason_label("industry", "insurance", "buyer") == "Knows insurance"


def test_reason_certification_never_holds_for_buyer(app):
    with app.test_request_context(), force_locale("en"):
        assert (
            reason_label("certification", "cmmi_3", "provider")
            == "Looks for CMMI Level 3, which you hold"
        )
        assert reason_label("certification", "cmmi_3", "buyer") == "Holds CMMI Level 3"


def test_reason_in_arabic_isolates_latin_terms(app):
    with app.test_request_context(), force_locale("ar"):
        label = reason_label("certification", "iso_27001", "buyer")
    assert "\u2068" in label
    assert label.index("\u2068") < label.index("ISO/IEC") < label.index("\u2069")


def test_website_without_scheme_is_normalized(client, db, make_user, login):
    make_user("m@example.com")
    login("m@example.com")
    response = client.post("/organizations/new", data=_form(website="www.example.cn"))
    assert response.status_code == 303
    org = db.exec(select(Organization)).one()
    assert org.website == "https://www.example.cn"


def test_form_shows_every_error_at_once(client, db, make_user, login):
    make_user("m@example.com")
    login("m@example.com")
    response = client.post(
        "/organizations/new", data=_form(name="", website="ftp://x", founded="99")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="name-error"' in html
    assert 'id="website-error"' in html
    assert 'id="founded-error"' in html
    assert db.exec(select(Organization)).all() == []


def test_form_marks_required_fields(client, make_user, login):
    make_user("m@example.com")
    login("m@example.com")
    html = client.get("/organizations/new").get_data(as_text=True)
    assert '<label class="required" for="name">' in html
    assert '<label for="city">' in html


def test_success_message_is_dismissible_container(client, make_user, login):
    make_user("m@example.com")
    login("m@example.com")
    response = client.post("/organizations/new", data=_form(), follow_redirects=True)
    html = response.get_data(as_text=True)
    assert 'data-close-label="Dismiss"' in html
    assert "/static/js/dismiss.js" in html


def _country_order(html: str) -> list[str]:
    return re.findall(r'name="target_markets" value="([A-Z]{2})"', html)


def test_target_countries_selected_first_when_editing(client, make_org, make_user, login):
    org = make_org(kind="provider", target_markets=["JP", "DE"])
    make_user("m@example.com", organization_id=org.id)
    login("m@example.com")
    order = _country_order(client.get(f"/organizations/{org.id}/edit").get_data(as_text=True))
    assert order[:2] == ["DE", "JP"]
    assert 'data-picker data-filter-label="Filter countries and regions"' in client.get(
        f"/organizations/{org.id}/edit"
    ).get_data(as_text=True)


def test_target_countries_in_pinyin_order_for_chinese(client, make_user, login):
    pytest.importorskip("icu")
    make_user("m@example.com")
    login("m@example.com")
    html = client.get("/organizations/new?lang=zh_Hans").get_data(as_text=True)
    order = _country_order(html)
    # 阿富汗 (Āfùhàn) before 德国 (Déguó) before 中国 (Zhōngguó): pinyin, not code points.
    assert order.index("AF") < order.index("DE") < order.index("CN")
