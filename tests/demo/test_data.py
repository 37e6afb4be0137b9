"""The demo data set: deterministic, valid against the reference codes, coherent."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from matchmaker.demo.data import DEMO_USERS, demo_interactions, demo_organizations
from matchmaker.reference import (
    BUDGET_BANDS,
    CERTIFICATIONS,
    INDUSTRIES,
    KINDS,
    LANGUAGE_CODES,
    SIZE_BANDS,
    VISIBILITIES,
    countries,
    demonstration_cities,
    is_demonstration_city,
    market_groups,
    service_categories,
    services,
    target_market_codes,
)

UI_LOCALES = {"en", "zh_Hans", "ar", "ru", "es", "fr"}
LANGUAGE_LOCALE = {"zh": "zh_Hans", "ar": "ar", "ru": "ru", "es": "es", "fr": "fr"}
INTERACTION_KINDS = {"saved", "meeting_request", "meeting", "partner"}
# A provider targeting one of these countries works in one of its languages.
TARGET_LANGUAGES = {
    "JP": {"ja"},
    "KR": {"ko"},
    "RU": {"ru"},
    "KZ": {"ru", "kk"},
    "UZ": {"ru", "uz"},
    "DE": {"de"},
    "AT": {"de"},
    "CH": {"de", "fr"},
    "FR": {"fr"},
    "BE": {"fr", "nl"},
    "ES": {"es"},
    "PE": {"es"},
    "CL": {"es"},
    "MX": {"es"},
    "SA": {"ar"},
    "AE": {"ar"},
    "EG": {"ar"},
    "QA": {"ar"},
    "VN": {"vi"},
    "TH": {"th"},
}
ARABIC_SPEAKING = {"SA", "AE", "EG", "QA", "MA", "OM", "BH", "KW", "JO"}
ARABIC_MARKETS = {"belt_and_road", *ARABIC_SPEAKING}


@pytest.fixture(scope="module")
def orgs() -> list[dict]:
    return demo_organizations()


@pytest.fixture(scope="module")
def by_key(orgs) -> dict[str, dict]:
    return {org["key"]: org for org in orgs}


@pytest.fixture(scope="module")
def interactions(orgs) -> list[tuple[str, str, str]]:
    return demo_interactions(orgs)


def providers(orgs: list[dict]) -> list[dict]:
    return [org for org in orgs if org["kind"] == "provider"]


def buyers(orgs: list[dict]) -> list[dict]:
    return [org for org in orgs if org["kind"] == "buyer"]


# --- determinism and size ----------------------------------------------------


def test_same_seed_same_output(orgs):
    assert demo_organizations(7) == orgs
    assert demo_organizations(3) == demo_organizations(3)
    assert demo_interactions(orgs, 7) == demo_interactions(demo_organizations(7), 7)


def test_other_seed_changes_the_mix_but_keeps_user_orgs():
    first, other = demo_organizations(7), demo_organizations(8)
    assert first != other
    other_keys = {org["key"] for org in other}
    for user in DEMO_USERS:
        if user["org_key"]:
            assert user["org_key"] in other_keys


def test_size_and_mix(orgs):
    assert len(orgs) >= 320
    share = len(providers(orgs)) / len(orgs)
    assert 0.5 <= share <= 0.6
    assert set(Counter(org["kind"] for org in orgs)) == set(KINDS)


def test_at_least_forty_countries(orgs):
    assert len({org["country"] for org in orgs}) >= 40
    buyer_groups = {group for org in buyers(orgs) for group in market_groups(org["country"])}
    assert {"developed", "belt_and_road"} <= buyer_groups


# --- identity ------------------------------------------------------------------


def test_keys_and_names_are_unique(orgs):
    keys = [org["key"] for org in orgs]
    names = [org["name"] for org in orgs]
    assert len(set(keys)) == len(keys)
    assert len(set(names)) == len(names)


def test_keys_are_slugs_and_websites_use_them(orgs):
    for org in orgs:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", org["key"]), org["key"]
        assert org["website"] == f"https://{org['key']}.example"


def test_names_look_like_companies(orgs):
    for org in orgs:
        assert not re.search(r"\b(Company|Org|Provider|Buyer) \d+\b", org["name"]), org["name"]
        assert not re.search(r"\d", org["name"]), org["name"]


# --- codes -----------------------------------------------------------------------


def test_every_code_is_valid(orgs):
    service_codes = {service.code for service in services()}
    known_countries = countries()
    market_codes = target_market_codes()
    for org in orgs:
        where = org["key"]
        assert org["kind"] in KINDS, where
        assert org["country"] in known_countries, where
        assert org["city"].strip(), where
        assert 1800 <= org["founded"] <= 2026, where
        assert org["size"] in SIZE_BANDS, where
        assert 1 <= len(org["services"]) <= 5, where
        assert len(set(org["services"])) == len(org["services"]), where
        assert set(org["services"]) <= service_codes, where
        assert org["languages"] and set(org["languages"]) <= set(LANGUAGE_CODES), where
        assert set(org["certifications"]) <= set(CERTIFICATIONS), where
        assert org["industries"] and set(org["industries"]) <= set(INDUSTRIES), where
        assert org["visibility"] in VISIBILITIES, where
        assert isinstance(org["verified"], bool), where
        if org["kind"] == "provider":
            assert org["budget"] is None, where
            assert org["target_markets"], where
            assert set(org["target_markets"]) <= market_codes, where
        else:
            assert org["budget"] in BUDGET_BANDS, where
            assert org["target_markets"] == [], where


def test_visibility_mix(orgs):
    counts = Counter(org["visibility"] for org in orgs)
    assert counts["public"] / len(orgs) >= 0.85
    assert 0.05 <= counts["members"] / len(orgs) <= 0.11
    assert 0.01 <= counts["hidden"] / len(orgs) <= 0.05
    assert any(org["verified"] for org in orgs) and not all(org["verified"] for org in orgs)


# --- places ------------------------------------------------------------------------


def test_most_providers_are_in_demonstration_cities(orgs):
    provider_list = providers(orgs)
    in_cities = [
        org
        for org in provider_list
        if org["country"] == "CN" and is_demonstration_city(org["city"])
    ]
    assert len(in_cities) / len(provider_list) >= 0.8
    city_names = {city.name_en for city in demonstration_cities()}
    for org in provider_list:
        if org["country"] == "CN":
            assert org["city"] in city_names, org["city"]
    assert {org["city"] for org in in_cities} == city_names  # all 31 cities used


def test_providers_outside_china_exist(orgs):
    foreign = {org["country"] for org in providers(orgs) if org["country"] != "CN"}
    assert {"IN", "VN", "PH", "EG", "PL", "MY", "RS"} <= foreign


def test_buyers_are_not_in_china(orgs):
    assert all(org["country"] != "CN" for org in buyers(orgs))


# --- coherence ------------------------------------------------------------------------


def test_provider_targets_fit_languages(orgs):
    for org in providers(orgs):
        languages = set(org["languages"])
        for target in org["target_markets"]:
            if target in TARGET_LANGUAGES:
                assert languages & TARGET_LANGUAGES[target], (org["key"], target)
        if "ja" in languages and org["country"] == "CN":
            assert "JP" in org["target_markets"], org["key"]
        if "ar" in languages and org["country"] not in ARABIC_SPEAKING:
            assert ARABIC_MARKETS & set(org["target_markets"]), org["key"]


def test_chinese_providers_speak_chinese_and_english(orgs):
    for org in providers(orgs):
        if org["country"] == "CN":
            assert {"zh", "en"} <= set(org["languages"]), org["key"]


# --- descriptions -------------------------------------------------------------------------


def test_every_org_has_two_or_more_description_locales(orgs):
    for org in orgs:
        locales = set(org["texts"])
        assert len(locales) >= 2, org["key"]
        assert locales <= UI_LOCALES, org["key"]
        assert "en" in locales, org["key"]
        for text in org["texts"].values():
            assert text.strip()
            assert not re.search(r"[{}]|None|  |\.\.", text), text


def test_description_locales_follow_languages(orgs):
    for org in orgs:
        locales = set(org["texts"])
        if org["kind"] == "provider" and org["country"] == "CN":
            assert {"zh_Hans", "en"} <= locales, org["key"]
        for language in org["languages"]:
            if language in LANGUAGE_LOCALE:
                assert LANGUAGE_LOCALE[language] in locales, (org["key"], language)


def test_every_ui_locale_is_used(orgs):
    used = Counter(locale for org in orgs for locale in org["texts"])
    assert set(used) == UI_LOCALES
    assert all(count >= 10 for count in used.values()), used


def test_descriptions_are_short(orgs):
    for org in orgs:
        for locale, text in org["texts"].items():
            ends = "。" if locale == "zh_Hans" else "."
            plain = text.replace(org["name"], "NAME").replace("тыс.", "тыс")
            sentences = [s for s in re.split(r"(?<=[.。])\s*(?=[^\s\d])", plain) if s]
            assert text.endswith(ends), (org["key"], locale)
            assert 1 <= len(sentences) <= 4, (org["key"], locale, text)


def test_descriptions_name_the_services(orgs):
    categories = service_categories()
    for org in orgs:
        texts = org["texts"]
        for code in org["services"]:
            name_zh = categories[code].name_zh.split("（")[0]
            name_en = categories[code].name_en
            if "zh_Hans" in texts:
                assert name_zh in texts["zh_Hans"], (org["key"], code)
            assert name_en.lower() in texts["en"].lower(), (org["key"], code)


def test_chinese_descriptions_are_in_chinese(orgs):
    for org in orgs:
        text = org["texts"].get("zh_Hans")
        if text:
            han = sum(1 for char in text if "\u4e00" <= char <= "\u9fff")
            assert han >= 20, text


def test_arabic_and_russian_descriptions_use_their_scripts(orgs):
    for org in orgs:
        if "ar" in org["texts"]:
            assert re.search(r"[\u0600-\u06ff]{20}", org["texts"]["ar"].replace(" ", ""))
        if "ru" in org["texts"]:
            assert re.search(r"[а-яё]{5}", org["texts"]["ru"])


def test_buyer_descriptions_say_what_they_seek(orgs):
    for org in buyers(orgs):
        en = org["texts"]["en"]
        assert "looking for" in en, en


# --- interactions ----------------------------------------------------------------------------


def test_interactions_count_and_kinds(interactions):
    assert 350 <= len(interactions) <= 450
    assert len(set(interactions)) == len(interactions)
    kinds = Counter(kind for _, _, kind in interactions)
    assert set(kinds) == INTERACTION_KINDS


def test_interactions_reference_existing_visible_orgs(interactions, by_key):
    for source, target, kind in interactions:
        assert source in by_key and target in by_key, (source, target)
        assert source != target
        assert kind in INTERACTION_KINDS
        assert by_key[source]["visibility"] != "hidden"
        assert by_key[target]["visibility"] != "hidden"


def test_interactions_are_complementary_and_share_services(interactions, by_key):
    for source, target, kind in interactions:
        kinds = {by_key[source]["kind"], by_key[target]["kind"]}
        if kind in ("meeting_request", "meeting", "partner"):
            assert kinds == {"provider", "buyer"}, (source, target, kind)
        assert kinds == {"provider", "buyer"}, (source, target, kind)
        assert set(by_key[source]["services"]) & set(by_key[target]["services"])


def test_meetings_follow_requests(interactions):
    requested = {(s, t) for s, t, kind in interactions if kind == "meeting_request"}
    met = {(s, t) for s, t, kind in interactions if kind == "meeting"}
    partners = {(s, t) for s, t, kind in interactions if kind == "partner"}
    assert partners <= met
    assert len(met & requested) >= len(met) // 2


def test_interactions_spread_over_many_buyers(interactions, by_key):
    buyer_keys = {
        key
        for source, target, _ in interactions
        for key in (source, target)
        if by_key[key]["kind"] == "buyer"
    }
    assert len(buyer_keys) >= 100


def test_interactions_on_a_subset():
    small = demo_organizations()[:40] + demo_organizations()[-40:]
    keys = {org["key"] for org in small}
    for source, target, _ in demo_interactions(small):
        assert source in keys and target in keys


# --- users -----------------------------------------------------------------------------------


def test_demo_users(by_key, interactions):
    emails = [user["email"] for user in DEMO_USERS]
    assert len(set(emails)) == len(emails)
    users = {user["email"]: user for user in DEMO_USERS}
    assert users["admin@matchmaker.example"]["role"] == "admin"
    assert users["organizer@matchmaker.example"]["role"] == "organizer"
    provider = by_key[users["provider@matchmaker.example"]["org_key"]]
    assert (provider["kind"], provider["city"]) == ("provider", "Dalian")
    buyer = by_key[users["buyer@matchmaker.example"]["org_key"]]
    assert (buyer["kind"], buyer["country"]) == ("buyer", "DE")
    arabic = by_key[users["buyer-ar@matchmaker.example"]["org_key"]]
    assert (arabic["kind"], arabic["country"]) == ("buyer", "AE")
    member_locales = {user["locale"] for user in DEMO_USERS if user["role"] == "member"}
    assert {"zh_Hans", "ar"} <= member_locales
    involved = {key for source, target, _ in interactions for key in (source, target)}
    for user in DEMO_USERS:
        assert user["role"] in ("member", "organizer", "admin")
        assert user["locale"] in UI_LOCALES
        assert len(user["password"]) >= 12 and user["display_name"]
        if user["role"] == "member":
            org = by_key[user["org_key"]]
            assert org["visibility"] == "public" and org["verified"]
            assert user["org_key"] in involved
            locale_of_user = user["locale"]
            assert locale_of_user in org["texts"], (user["email"], locale_of_user)
        else:
            assert user["org_key"] is None
