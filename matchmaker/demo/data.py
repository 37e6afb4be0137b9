"""Deterministic demo data: organizations, interactions between them, demo users.

Everything is plain Python (no Flask, no database). The same ``seed`` always
gives the same output; organization ``key`` values are slugs of the names, so
loaders can upsert by key. Organizations that demo users belong to (see
:data:`DEMO_USERS`) keep the same key for every seed.

The content (firms, buyers, brands, cities, labels in six languages, motives,
weights) lives in data files under ``matchmaker/demo/data/`` (see the README
there); this module reads them once and holds only the generator logic.

Descriptions are composed from per-locale templates. To keep the grammar right
without declension tables, lists of services, industries, markets and languages
go where every language can take them in their dictionary form (after a colon,
in parentheses, or where the grammar wants the nominative anyway).
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import unicodedata
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from babel import Locale

from matchmaker.reference import (
    demonstration_cities,
    market_groups,
    service_categories,
)

__all__ = ["DEMO_USERS", "TEXT_LOCALES", "demo_interactions", "demo_organizations", "load_tables"]

TEXT_LOCALES = ("en", "zh_Hans", "ar", "ru", "es", "fr")
# Profile language (ISO 639-1) -> description locale.
_LANGUAGE_LOCALE = {"en": "en", "zh": "zh_Hans", "ar": "ar", "ru": "ru", "es": "es", "fr": "fr"}
_NBSP = "\u00a0"

# ---------------------------------------------------------------------------
# Loading the data files
# ---------------------------------------------------------------------------

# The columns of each CSV file, in order.
CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "users.csv": ("email", "password", "role", "display_name", "org_key", "locale"),
    "cities.csv": (
        "city",
        "providers_weight",
        "brand",
        "brand_zh",
        "name_ru",
        "name_ar",
        "name_es",
        "name_fr",
    ),
    "brands.csv": ("brand", "brand_zh"),
    "foreign_providers.csv": (
        "name",
        "country",
        "city",
        "archetype",
        "languages",
        "target_markets",
    ),
    "buyers.csv": ("country", "city", "name", "industry", "languages"),
}
# Columns that may stay empty; the others must hold a value.
_OPTIONAL_COLUMNS = {"org_key", "languages"}
JSON_FILES = (
    "labels.json",
    "motives.json",
    "archetypes.json",
    "anchors.json",
    "languages.json",
    "buyer_needs.json",
    "mix.json",
    "descriptions.json",
)


def _rows(root: Traversable, name: str) -> list[dict[str, str]]:
    """The rows of a CSV file as dicts; a wrong header or a missing cell is an error."""
    # utf-8-sig: spreadsheets often save UTF-8 with a byte order mark.
    text = root.joinpath(name).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != CSV_COLUMNS[name]:
        raise ValueError(f"{name}: the columns must be {', '.join(CSV_COLUMNS[name])}")
    rows = []
    for row in reader:
        if None in row or any(value is None for value in row.values()):
            raise ValueError(f"{name}, line {reader.line_num}: wrong number of cells")
        row = {column: value.strip() for column, value in row.items()}
        missing = [c for c, value in row.items() if not value and c not in _OPTIONAL_COLUMNS]
        if missing:
            raise ValueError(f"{name}, line {reader.line_num}: empty {', '.join(missing)}")
        rows.append(row)
    return rows


@cache
def load_tables(root: Traversable | Path | None = None) -> dict[str, Any]:
    """Read the demo data files of ``root`` (default: the packaged ``data`` folder).

    JSON files come back as parsed; CSV files as the tuples the generator uses:
    ``users`` (dicts), ``cities`` (dicts), ``brands`` ((pinyin, hanzi)),
    ``foreign_providers`` ((name, country, city, archetype, languages, targets)) and
    ``buyers`` ((country, city, name, industry, languages or None)).
    """
    root = root if root is not None else resources.files(__package__).joinpath("data")
    tables: dict[str, Any] = {
        name.removesuffix(".json"): json.loads(root.joinpath(name).read_text(encoding="utf-8"))
        for name in JSON_FILES
    }
    tables["users"] = [
        {**row, "org_key": row["org_key"] or None} for row in _rows(root, "users.csv")
    ]
    tables["cities"] = _rows(root, "cities.csv")
    tables["brands"] = [(row["brand"], row["brand_zh"]) for row in _rows(root, "brands.csv")]
    tables["foreign_providers"] = [
        (
            row["name"],
            row["country"],
            row["city"],
            row["archetype"],
            tuple(row["languages"].split()),
            tuple(row["target_markets"].split()),
        )
        for row in _rows(root, "foreign_providers.csv")
    ]
    tables["buyers"] = [
        (
            row["country"],
            row["city"],
            row["name"],
            row["industry"],
            tuple(row["languages"].split()) or None,
        )
        for row in _rows(root, "buyers.csv")
    ]
    return tables


_TABLES = load_tables()

DEMO_USERS: list[dict] = _TABLES["users"]

# Labels in the six description locales (see labels.json).
_SERVICE_L10N: dict[str, dict[str, str]] = _TABLES["labels"]["services"]  # ru, ar, es, fr
_INDUSTRY_L10N: dict[str, dict[str, str]] = _TABLES["labels"]["industries"]
_BUYER_NOUNS: dict[str, dict[str, str]] = _TABLES["labels"]["buyer_nouns"]
_MARKET_L10N: dict[str, dict[str, str]] = _TABLES["labels"]["markets"]
_CERT_L10N: dict[str, dict[str, str]] = _TABLES["labels"]["certifications"]
_SIZE_L10N: dict[str, dict[str, str]] = _TABLES["labels"]["sizes"]
_BUDGET_L10N: dict[str, dict[str, str]] = _TABLES["labels"]["budgets"]
_COUNTRY_OVERRIDES: dict[str, dict[str, str]] = _TABLES["labels"]["countries"]
_EN_THE = set(_TABLES["labels"]["english_countries_with_the"])
_MOTIVES: dict[str, dict[str, str]] = _TABLES["motives"]["motives"]
_SERVICE_MOTIVES: dict[str, list[str]] = _TABLES["motives"]["by_service"]
_DESCRIPTIONS: dict[str, Any] = _TABLES["descriptions"]

# Chinese providers: archetypes, cities, brands, the demo users' firms.
_ARCHETYPES: dict[str, dict] = _TABLES["archetypes"]["archetypes"]
_CITY_ARCHETYPE_BOOST: dict[str, dict[str, int]] = _TABLES["archetypes"]["city_boost"]
_CITY_WEIGHTS = {row["city"]: int(row["providers_weight"]) for row in _TABLES["cities"]}
_CITY_BRANDS = {row["city"]: (row["brand"], row["brand_zh"]) for row in _TABLES["cities"]}
# City names by locale, from the name_<locale> columns (en and zh come from the reference CSV).
_CITY_L10N = {
    row["city"]: {c.removeprefix("name_"): v for c, v in row.items() if c.startswith("name_")}
    for row in _TABLES["cities"]
}
_BRANDS: list[tuple[str, str]] = _TABLES["brands"]
_CN_ANCHORS: list[dict] = _TABLES["anchors"]["chinese_providers"]
_ANCHOR_FIELDS: dict[str, dict] = _TABLES["anchors"]["fixed_fields"]

# Working languages and the markets they open.
_DEFAULT_LANGUAGE_ODDS: dict[str, float] = _TABLES["languages"]["provider_odds"]
_CITY_LANGUAGE_ODDS: dict[str, dict[str, float]] = _TABLES["languages"]["provider_odds_by_city"]
_LANGUAGE_TARGETS: dict[str, list[str]] = _TABLES["languages"]["target_countries"]
_BELT_AND_ROAD_LANGUAGES: list[str] = _TABLES["languages"]["belt_and_road"]
_DEVELOPED_LANGUAGES: list[str] = _TABLES["languages"]["developed"]
_ENGLISH_MARKETS: list[str] = _TABLES["languages"]["english_markets"]
_COUNTRY_LANGUAGES: dict[str, list[str]] = _TABLES["languages"]["buyers_by_country"]

# Providers outside China and buyers.
_FOREIGN_PROVIDERS: list[tuple] = _TABLES["foreign_providers"]
_BUYERS: list[tuple] = _TABLES["buyers"]
_INDUSTRY_NEEDS: dict[str, list[str]] = _TABLES["buyer_needs"]["by_industry"]
_GENERAL_NEEDS: list[str] = _TABLES["buyer_needs"]["general"]
_RELATED_INDUSTRIES: dict[str, list[str]] = _TABLES["buyer_needs"]["related_industries"]
_BUYER_CERTS: dict[str, list[str]] = _TABLES["buyer_needs"]["certifications_by_industry"]
_BUDGETS_BY_SIZE: dict[str, list[str]] = _TABLES["buyer_needs"]["budgets_by_size"]

# Counts and weights (mix.json).
_MIX: dict[str, Any] = _TABLES["mix"]
_N_CHINESE_PROVIDERS: int = _MIX["chinese_providers"]
_PROVIDER_SIZES = tuple(_MIX["provider_sizes"])
_PROVIDER_SIZE_WEIGHTS = tuple(_MIX["provider_sizes"].values())
_BUYER_SIZES = tuple(_MIX["buyer_sizes"])
_BUYER_SIZE_WEIGHTS = tuple(_MIX["buyer_sizes"].values())
_CERT_COUNTS: dict[str, list[int]] = _MIX["certifications_by_size"]
_CERT_ORDER = tuple(_MIX["certification_order"])
_YOUNG_NAME_WORDS = tuple(_MIX["young_name_words"])
_INTERACTION_TARGET: int = _MIX["interactions"]
_STAGES = tuple(_MIX["stages"])
_STAGE_WEIGHTS = tuple(_MIX["stages"].values())

# ---------------------------------------------------------------------------
# Label helpers
# ---------------------------------------------------------------------------


@cache
def _babel_locale(locale: str) -> Locale:
    return Locale.parse(locale)


def _country(code: str, locale: str) -> str:
    override = _COUNTRY_OVERRIDES.get(code, {}).get(locale)
    return override or _babel_locale(locale).territories.get(code, code)


def _language(code: str, locale: str) -> str:
    return _babel_locale(locale).languages.get(code, code)


@cache
def _demonstration_cities() -> dict[str, tuple[str, str]]:
    """city_en -> (city_zh, province_en)."""
    return {city.name_en: (city.name_zh, city.province_en) for city in demonstration_cities()}


def _city(city_en: str, locale: str) -> str:
    if locale == "en":
        return city_en
    if locale == "zh_Hans":
        return _demonstration_cities()[city_en][0]
    return _CITY_L10N[city_en][locale]


def _service(code: str, locale: str) -> str:
    category = service_categories()[code]
    if locale == "en":
        first_word = category.name_en.split(" ", 1)[0]
        if first_word.isupper():  # "IT solutions services"
            return category.name_en
        return category.name_en[0].lower() + category.name_en[1:]
    if locale == "zh_Hans":
        # "软件研发及外包（软件研发及开发服务）": the alias in brackets reads badly in a sentence.
        return category.name_zh.split("（", 1)[0]
    return _SERVICE_L10N[code][locale]


def _market(code: str, locale: str) -> str:
    if code in _MARKET_L10N:
        return _MARKET_L10N[code][locale]
    name = _country(code, locale)
    if locale == "en" and code in _EN_THE:
        return f"the {name}"
    return name


def _es_takes_e(word: str) -> bool:
    """Spanish "y" becomes "e" before an /i/ sound ("chino e inglés", "ensayo e inspección")."""
    lower = word.lower()
    if lower.startswith(("hia", "hie", "hio", "hiu")):
        return False
    return lower.startswith(("i", "í", "hi", "hí"))


def _join(items: list[str], locale: str) -> str:
    """Join a list the way the locale writes "A, B and C".

    Service names often hold their own "and" ("software R&D and development");
    lists of those switch to semicolons and "as well as" so they stay readable.
    """
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if locale == "zh_Hans":
        last = "以及" if any("和" in item or "及" in item for item in items) else "和"
        return "、".join(items[:-1]) + last + items[-1]
    if locale == "ar":

        def with_and(item: str) -> str:
            return ("و " if item[:1].isascii() else "و") + item

        if len(items) == 2:
            return f"{items[0]} {with_and(items[1])}"
        return "، ".join([items[0], *(with_and(item) for item in items[1:])])
    conjunction = {"en": "and", "ru": "и", "es": "y", "fr": "et"}[locale]
    if locale == "es" and _es_takes_e(items[-1]):
        conjunction = "e"
    inner = {"en": (" and ",), "ru": (" и ",), "es": (" y ", " e "), "fr": (" et ",)}[locale]

    def compound(item: str) -> bool:
        for proper_name in _PROPER_NAMES_WITH_AND:
            item = item.replace(proper_name, "")
        return "," in item or any(word in item for word in inner)

    if any(compound(item) for item in items):
        if len(items) == 2:
            also = {"en": "as well as", "ru": "а также", "es": "así como", "fr": "ainsi que"}
            comma = "" if locale == "en" else ","
            return f"{items[0]}{comma} {also[locale]} {items[1]}"
        semicolon = f"{_NBSP};" if locale == "fr" else ";"
        return f"{semicolon} ".join(items[:-1]) + f"{semicolon} {conjunction} {items[-1]}"
    if len(items) == 2:
        return f"{items[0]} {conjunction} {items[1]}"
    return ", ".join(items[:-1]) + f" {conjunction} {items[-1]}"


# Names whose "and" does not split a list item.
_PROPER_NAMES_WITH_AND = ("Belt and Road", "«Пояса и пути»", "Franja y la Ruta")


def _fr_de(label: str) -> str:
    """French "de" + article or elision: la finance -> de la finance, le tourisme ->
    du tourisme, accélérer -> d'accélérer."""
    if label.startswith("le "):
        return "du " + label[3:]
    if label.startswith("les "):
        return "des " + label[4:]
    if label[:1].lower() in "aeiouyéèêàâîôh" and not label.startswith(("la ", "l'")):
        return "d'" + label
    return "de " + label


def _slug(text: str) -> str:
    text = text.translate(_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


_TRANSLITERATION = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "Ae",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "&": " and ",
    }
)


def _text_locales(languages: list[str]) -> list[str]:
    """English plus every description locale the org works in; zh_Hans when that is all."""
    wanted = {"en"} | {_LANGUAGE_LOCALE[code] for code in languages if code in _LANGUAGE_LOCALE}
    if len(wanted) < 2:
        wanted.add("zh_Hans")
    return [locale for locale in TEXT_LOCALES if locale in wanted]


# ---------------------------------------------------------------------------
# Descriptions
# ---------------------------------------------------------------------------


# Plural choice in a template: {services?one|many} (by the number of services).
_CHOICE = re.compile(r"\{(\w+)\?([^|{}]*)\|([^{}]*)\}")


def _fill(template: str, values: dict[str, Any], counts: dict[str, int]) -> str:
    """Fill a template of descriptions.json: ``{field}`` takes a value and
    ``{field?one|many}`` the singular or plural wording for the items of ``field``."""
    chosen = _CHOICE.sub(lambda m: m[2] if counts[m[1]] == 1 else m[3], template)
    return chosen.format_map(values)


def _provider_text(org: dict, locale: str, variant: tuple[int, int, int], zh_name: str) -> str:
    loc = locale
    templates = _DESCRIPTIONS["provider"][loc]
    in_china = org["country"] == "CN"
    country = _country(org["country"], loc)
    industries = [_INDUSTRY_L10N[code][loc] for code in org["industries"]]
    languages = [_language(code, loc) for code in org["languages"]]
    values: dict[str, Any] = {
        "name": org["name"],
        "year": org["founded"],
        "city": org["city"],
        "country": country,
        "place": country,
        "services": _join([_service(code, loc) for code in org["services"]], loc),
        "industries": _join(industries, loc),
        "markets": _join([_market(code, loc) for code in org["target_markets"]], loc),
        "languages": _join(languages, loc),
        "certs": _join([_CERT_L10N[code][loc] for code in org["certifications"]], loc),
        "size": _SIZE_L10N[org["size"]][loc],
    }
    if in_china:
        values["place"] = f"{_city(org['city'], loc)}{'، ' if loc == 'ar' else ', '}{country}"
    if loc == "zh_Hans":
        values["name"] = zh_name or org["name"]
        values["place"] = _city(org["city"], loc) if in_china else country
        values["industries"] = "、".join(industries)
    elif loc == "fr":
        values["de_industries"] = _join([_fr_de(label) for label in industries], loc)
        values["languages_en"] = _join([f"en {label}" for label in languages], loc)
    counts = {"services": len(org["services"]), "certs": len(org["certifications"])}

    v1, v2, v3 = variant
    chosen = [templates["first"][v1 % len(templates["first"])]]
    chosen.append(templates["second"][v2 % len(templates["second"])])
    if org["certifications"]:
        chosen.append(templates["third"][v3 % len(templates["third"])])
    sentences = [_fill(template, values, counts) for template in chosen]
    return _DESCRIPTIONS["sentence_separator"][loc].join(sentences)


def _buyer_text(org: dict, locale: str, variant: tuple[int, int, int], motive: str) -> str:
    loc = locale
    templates = _DESCRIPTIONS["buyer"][loc]
    country = _country(org["country"], loc)
    why = _MOTIVES[motive][loc]
    values: dict[str, Any] = {
        "name": org["name"],
        "year": org["founded"],
        "country": country,
        "place": org["city"] if org["city"] == country else f"{org['city']}, {country}",
        "noun": _BUYER_NOUNS[org["industries"][0]][loc],
        "services": _join([_service(code, loc) for code in org["services"]], loc),
        "languages": _join([_language(code, loc) for code in org["languages"]], loc),
        "certs": _join([_CERT_L10N[code][loc] for code in org["certifications"]], loc),
        "budget": _BUDGET_L10N[org["budget"]][loc],
        "why": why,
        "de_why": _fr_de(why) if loc == "fr" else why,
    }
    counts = {"services": len(org["services"]), "certs": len(org["certifications"])}

    v1, v2, _ = variant
    # The details that name certifications are left out when the buyer asks for none.
    details = [
        _fill(template, values, counts)
        for template in templates["details"]
        if org["certifications"] or "{certs" not in template
    ]
    sentences = [
        _fill(templates["first"][v1 % len(templates["first"])], values, counts),
        _fill(templates["second"][v2 % len(templates["second"])], values, counts),
        templates["details_separator"].join(details) + templates["details_end"],
    ]
    return _DESCRIPTIONS["sentence_separator"][loc].join(sentences)


# ---------------------------------------------------------------------------
# Organizations
# ---------------------------------------------------------------------------


def _sorted_certs(codes: list[str]) -> list[str]:
    order = (*_CERT_ORDER, "pci_dss")
    return sorted(set(codes), key=order.index)


def _pick_services(rng: random.Random, pool: list[str]) -> list[str]:
    """The first service of the pool plus a few others (1-5 in all)."""
    count = min(rng.choices((1, 2, 3, 4, 5), (10, 30, 35, 18, 7))[0], len(pool))
    return [pool[0], *rng.sample(pool[1:], count - 1)]


def _provider_certs(rng: random.Random, archetype: str, size: str) -> list[str]:
    low, high = _CERT_COUNTS[size]
    pool = _ARCHETYPES[archetype]["certs"]
    chosen = rng.sample(pool, min(rng.randint(low, high), len(pool)))
    big = size in ("250-999", "1000-4999", "5000+")
    return _sorted_certs(
        [
            ("cmmi_5" if big and rng.random() < 0.6 else "cmmi_3") if code == "cmmi" else code
            for code in chosen
        ]
    )


def _chinese_languages_and_targets(rng: random.Random, city: str) -> tuple[list[str], list[str]]:
    odds = {**_DEFAULT_LANGUAGE_ODDS, **_CITY_LANGUAGE_ODDS.get(city, {})}
    extras = [code for code, chance in odds.items() if rng.random() < chance][:3]
    if "kk" in extras and "ru" not in extras:
        extras.insert(0, "ru")
    targets: list[str] = []
    for code in extras:
        options = _LANGUAGE_TARGETS[code]
        count = 2 if len(options) > 2 and rng.random() < 0.4 else 1
        targets.extend(rng.sample(options, count))
    groups: list[str] = []
    if not extras:
        if rng.random() < 0.7:
            groups.append("developed")
        if not groups or rng.random() < 0.5:
            groups.append("belt_and_road")
    else:
        if any(code in _DEVELOPED_LANGUAGES for code in extras) and rng.random() < 0.5:
            groups.append("developed")
        if any(code in _BELT_AND_ROAD_LANGUAGES for code in extras) and rng.random() < 0.6:
            groups.append("belt_and_road")
    if rng.random() < (0.3 if not extras else 0.15):
        targets.append(rng.choice(_ENGLISH_MARKETS))
    ordered = list(dict.fromkeys([*groups, *targets]))
    return ["zh", "en", *extras], ordered


class _NameBook:
    """Hands out unique Chinese provider names."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.keys: set[str] = set()
        self.city_brand: set[tuple[str, str]] = set()
        self.brand_uses: dict[str, int] = {}
        self.bare_brands: set[str] = set()

    def take(self, name: str) -> None:
        self.names.add(name)
        self.keys.add(_slug(name))

    def free(self, name: str) -> bool:
        return name not in self.names and _slug(name) not in self.keys

    def register(self, city: str, brand: str, bare: bool) -> None:
        self.city_brand.add((city, brand))
        self.brand_uses[brand] = self.brand_uses.get(brand, 0) + 1
        if bare:
            self.bare_brands.add(brand)

    def chinese(self, rng: random.Random, city: str, archetype: str) -> tuple[str, str]:
        city_zh = _demonstration_cities()[city][0]
        suffixes = _ARCHETYPES[archetype]["suffixes"]
        for _ in range(500):
            city_brand = _CITY_BRANDS.get(city)
            if city_brand and (city, city_brand[0]) not in self.city_brand and rng.random() < 0.35:
                brand, with_city = city_brand, True
            else:
                brand = rng.choice(_BRANDS)
                if self.brand_uses.get(brand[0], 0) >= 3 or (city, brand[0]) in self.city_brand:
                    continue
                with_city = rng.random() < 0.65
                if not with_city and brand[0] in self.bare_brands:
                    continue
            suffix_en, suffix_zh = rng.choice(suffixes)
            name = f"{city} {brand[0]} {suffix_en}" if with_city else f"{brand[0]} {suffix_en}"
            if not self.free(name):
                continue
            legal = "" if suffix_zh.endswith("院") else "有限公司"
            zh_name = f"{city_zh if with_city else ''}{brand[1]}{suffix_zh}{legal}"
            self.take(name)
            self.register(city, brand[0], not with_city)
            return name, zh_name
        raise RuntimeError(f"ran out of provider names for {city}")  # pragma: no cover


def _org(
    *,
    kind: str,
    name: str,
    country: str,
    city: str,
    founded: int,
    size: str,
    budget: str | None,
    services_: list[str],
    target_markets: list[str],
    languages: list[str],
    certifications: list[str],
    industries: list[str],
) -> dict:
    key = _slug(name)
    return {
        "key": key,
        "kind": kind,
        "name": name,
        "country": country,
        "city": city,
        "website": f"https://{key}.example",
        "founded": founded,
        "size": size,
        "budget": budget,
        "services": services_,
        "target_markets": target_markets,
        "languages": languages,
        "certifications": certifications,
        "industries": industries,
        "visibility": "public",
        "verified": False,
        "texts": {},
    }


def _provider_fields(rng: random.Random, archetype: str) -> dict:
    spec = _ARCHETYPES[archetype]
    size = rng.choices(_PROVIDER_SIZES, _PROVIDER_SIZE_WEIGHTS)[0]
    industry_count = min(rng.choices((1, 2, 3, 4), (20, 40, 30, 10))[0], len(spec["industries"]))
    return {
        "founded": round(rng.triangular(1995, 2022, 2009)),
        "size": size,
        "services_": _pick_services(rng, spec["services"]),
        "certifications": _provider_certs(rng, archetype, size),
        "industries": rng.sample(spec["industries"], industry_count),
    }


def _pick_archetype(rng: random.Random, city: str) -> str:
    boost = _CITY_ARCHETYPE_BOOST.get(city, {})
    names = list(_ARCHETYPES)
    weights = [_ARCHETYPES[name]["weight"] * boost.get(name, 1) for name in names]
    return rng.choices(names, weights)[0]


def _chinese_providers(rng: random.Random, book: _NameBook) -> list[tuple[dict, str]]:
    result: list[tuple[dict, str]] = []
    for anchor in _CN_ANCHORS:
        city = anchor["city"]
        name = f"{city} {anchor['brand'][0]} {anchor['suffix'][0]}"
        zh_name = (
            f"{_demonstration_cities()[city][0]}{anchor['brand'][1]}{anchor['suffix'][1]}有限公司"
        )
        book.take(name)
        book.register(city, anchor["brand"][0], False)
        fields = _provider_fields(rng, anchor["archetype"])
        org = _org(
            kind="provider",
            name=name,
            country="CN",
            city=city,
            budget=None,
            target_markets=list(anchor["targets"]),
            languages=["zh", "en", *anchor["extra_languages"]],
            **fields,
        )
        org.update(_ANCHOR_FIELDS.get(org["key"], {}))
        result.append((org, zh_name))
    cities, weights = list(_CITY_WEIGHTS), list(_CITY_WEIGHTS.values())
    # Every demonstration city gets at least one provider, the rest by weight.
    plan = [
        *cities,
        *rng.choices(cities, weights, k=_N_CHINESE_PROVIDERS - len(result) - len(cities)),
    ]
    for city in plan:
        archetype = _pick_archetype(rng, city)
        name, zh_name = book.chinese(rng, city, archetype)
        languages, targets = _chinese_languages_and_targets(rng, city)
        org = _org(
            kind="provider",
            name=name,
            country="CN",
            city=city,
            budget=None,
            target_markets=targets,
            languages=languages,
            **_provider_fields(rng, archetype),
        )
        result.append((org, zh_name))
    return result


def _foreign_providers(rng: random.Random, book: _NameBook) -> list[dict]:
    result = []
    for name, country, city, archetype, languages, targets in _FOREIGN_PROVIDERS:
        book.take(name)
        org = _org(
            kind="provider",
            name=name,
            country=country,
            city=city,
            budget=None,
            target_markets=list(targets),
            languages=list(languages),
            **_provider_fields(rng, archetype),
        )
        result.append(org)
    return result


def _buyer_founded(rng: random.Random, name: str, industry: str) -> int:
    if any(word in name.split() for word in _YOUNG_NAME_WORDS):
        return round(rng.triangular(2000, 2020, 2012))
    if industry in ("finance", "insurance"):
        return round(rng.triangular(1860, 2012, 1955))
    if industry in ("ecommerce", "media"):
        return round(rng.triangular(1990, 2019, 2008))
    return round(rng.triangular(1920, 2018, 1985))


def _buyers(rng: random.Random, book: _NameBook) -> list[tuple[dict, str]]:
    result = []
    for country, city, name, industry, languages in _BUYERS:
        book.take(name)
        industries = [industry]
        if rng.random() < 0.4:
            industries.append(rng.choice(_RELATED_INDUSTRIES[industry]))
        pool = list(_INDUSTRY_NEEDS[industry])
        first = rng.choices(pool, [len(pool) - i for i in range(len(pool))])[0]
        others = [code for code in pool if code != first]
        for extra_industry in industries[1:]:
            others += [c for c in _INDUSTRY_NEEDS[extra_industry] if c not in [*others, first]]
        count = rng.choices((1, 2, 3, 4), (20, 40, 28, 12))[0]
        sought = [first, *rng.sample(others[:7], min(count - 1, len(others[:7])))]
        if len(sought) < 5 and rng.random() < 0.15:
            sought.append(rng.choice([c for c in _GENERAL_NEEDS if c not in sought]))
        size = rng.choices(_BUYER_SIZES, _BUYER_SIZE_WEIGHTS)[0]
        pool_certs = _BUYER_CERTS[industry]
        certs = rng.sample(
            pool_certs, min(rng.choices((0, 1, 2), (30, 45, 25))[0], len(pool_certs))
        )
        if "ito.software_rd" in sought and rng.random() < 0.3:
            certs.append(rng.choice(("cmmi_3", "cmmi_5")))
        langs = list(languages or _COUNTRY_LANGUAGES[country])
        if "en" not in langs:
            langs.append("en")
        org = _org(
            kind="buyer",
            name=name,
            country=country,
            city=city,
            founded=_buyer_founded(rng, name, industry),
            size=size,
            budget=rng.choice(_BUDGETS_BY_SIZE[size]),
            services_=sought,
            target_markets=[],
            languages=langs,
            certifications=_sorted_certs(certs),
            industries=industries,
        )
        org.update(_ANCHOR_FIELDS.get(org["key"], {}))
        motive = rng.choice(_SERVICE_MOTIVES[org["services"][0]])
        result.append((org, motive))
    return result


def _anchor_keys() -> list[str]:
    return [user["org_key"] for user in DEMO_USERS if user["org_key"]]


def demo_organizations(seed: int = 7) -> list[dict]:
    """Return the demo organizations; the same seed always gives the same list.

    Chinese providers in the 31 demonstration cities come first, then providers
    elsewhere, then buyers in developed and Belt and Road markets.
    """
    rng = random.Random(seed)
    book = _NameBook()
    chinese = _chinese_providers(rng, book)
    foreign = _foreign_providers(rng, book)
    buyers = _buyers(rng, book)

    for org, zh_name in chinese:
        variant = (rng.randrange(3), rng.randrange(2), rng.randrange(2))
        org["texts"] = {
            locale: _provider_text(org, locale, variant, zh_name)
            for locale in _text_locales(org["languages"])
        }
    for org in foreign:
        variant = (rng.randrange(3), rng.randrange(2), rng.randrange(2))
        org["texts"] = {
            locale: _provider_text(org, locale, variant, "")
            for locale in _text_locales(org["languages"])
        }
    for org, motive in buyers:
        variant = (rng.randrange(2), rng.randrange(2), 0)
        org["texts"] = {
            locale: _buyer_text(org, locale, variant, motive)
            for locale in _text_locales(org["languages"])
        }

    orgs = [org for org, _ in chinese] + foreign + [org for org, _ in buyers]

    anchors = set(_anchor_keys())
    for org in orgs:
        chance = 0.7 if org["kind"] == "provider" else 0.55
        org["verified"] = org["key"] in anchors or rng.random() < chance
    others = [i for i, org in enumerate(orgs) if org["key"] not in anchors]
    hidden = rng.sample(others, round(len(orgs) * 0.03))
    rest = [i for i in others if i not in set(hidden)]
    members = rng.sample(rest, round(len(orgs) * 0.08))
    for i in hidden:
        orgs[i]["visibility"] = "hidden"
    for i in members:
        orgs[i]["visibility"] = "members"
    return orgs


# ---------------------------------------------------------------------------
# Interactions
# ---------------------------------------------------------------------------


def _fits_market(provider: dict, buyer: dict) -> bool:
    targets = provider["target_markets"]
    return buyer["country"] in targets or any(
        group in targets for group in market_groups(buyer["country"])
    )


def _pair_score(provider: dict, buyer: dict) -> float:
    shared = len(set(provider["services"]) & set(buyer["services"]))
    if not shared:
        return 0.0
    score = 3.0 * shared
    if _fits_market(provider, buyer):
        score += 2
    if (set(provider["languages"]) & set(buyer["languages"])) - {"en"}:
        score += 2
    score += len(set(provider["industries"]) & set(buyer["industries"]))
    score += 0.5 * len(set(provider["certifications"]) & set(buyer["certifications"]))
    return score


def demo_interactions(orgs: list[dict], seed: int = 7) -> list[tuple[str, str, str]]:
    """Return about 400 ``(source_key, target_key, kind)`` between providers and buyers.

    Pairs share at least one service and are ranked by market, language, industry
    and certification fit. Each pair has a history that ends at one stage:
    saved, a meeting request, a meeting or a partnership. Hidden orgs are left out.
    """
    rng = random.Random(seed * 1_000_003 + 17)
    visible = [org for org in orgs if org["visibility"] != "hidden"]
    providers = [org for org in visible if org["kind"] == "provider"]
    buyers = [org for org in visible if org["kind"] == "buyer"]
    anchors = _anchor_keys()

    def candidates(org: dict, others: list[dict], flip: bool) -> list[dict]:
        scored = []
        for other in others:
            provider, buyer = (other, org) if flip else (org, other)
            score = _pair_score(provider, buyer)
            if score > 0:
                scored.append((score, rng.random(), other))
        scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
        return [other for _, _, other in scored[:8]]

    # The demo users' orgs come first so they always have a history.
    anchor_groups: list[list[tuple[dict, dict]]] = []
    groups: list[list[tuple[dict, dict]]] = []
    for org in sorted(providers, key=lambda o: o["key"]):
        if org["key"] in anchors:
            top = candidates(org, buyers, flip=False)
            anchor_groups.append([(org, buyer) for buyer in rng.sample(top, min(4, len(top)))])
    ordered_buyers = [b for b in buyers if b["key"] in anchors]
    rest = [b for b in buyers if b["key"] not in anchors]
    rng.shuffle(rest)
    for buyer in ordered_buyers + rest:
        top = candidates(buyer, providers, flip=True)
        if not top:
            continue
        if buyer["key"] in anchors:
            chosen = rng.sample(top, min(4, len(top)))
            anchor_groups.append([(provider, buyer) for provider in chosen])
        else:
            chosen = rng.sample(top, min(rng.choice((1, 2, 2, 3, 3, 4)), len(top)))
            groups.append([(provider, buyer) for provider in chosen])

    # Then round-robin, so every buyer gets one pair before anyone gets a second one.
    ordered = [pair for group in anchor_groups for pair in group]
    for round_ in range(max((len(group) for group in groups), default=0)):
        ordered += [group[round_] for group in groups if round_ < len(group)]
    pairs: list[tuple[dict, dict]] = []
    seen_pairs: set[tuple[str, str]] = set()
    for provider, buyer in ordered:
        if (provider["key"], buyer["key"]) not in seen_pairs:
            seen_pairs.add((provider["key"], buyer["key"]))
            pairs.append((provider, buyer))

    result: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str, str]] = set()

    def emit(source: dict, target: dict, kind: str) -> None:
        item = (source["key"], target["key"], kind)
        if item not in seen and len(result) < _INTERACTION_TARGET:
            seen.add(item)
            result.append(item)

    for provider, buyer in pairs:
        if len(result) >= _INTERACTION_TARGET:
            break
        stage = rng.choices(_STAGES, _STAGE_WEIGHTS)[0]
        source, target = (buyer, provider) if rng.random() < 0.6 else (provider, buyer)
        if stage == "saved":
            emit(source, target, "saved")
        elif stage == "meeting_request":
            if rng.random() < 0.5:
                emit(source, target, "saved")
            emit(source, target, "meeting_request")
        elif stage == "meeting":
            emit(source, target, "meeting_request")
            emit(source, target, "meeting")
        else:
            emit(source, target, "meeting")
            emit(source, target, "partner")
        if rng.random() < 0.15:
            emit(target, source, "saved")
    return result
