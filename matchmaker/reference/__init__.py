"""Reference data: countries with market groups, service categories, cities.

The CSV files in ``data/`` are copies of ``shared/reference``; their sources
and doubts are in ``data/SOURCES.md``. Everything here is plain data (no
Flask): labels in the reader's language come from :mod:`matchmaker.reference.labels`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from babel import Locale

MARKET_GROUPS = ("china", "developed", "belt_and_road", "other")
FAMILIES = ("ito", "bpo", "kpo")
KINDS = ("provider", "buyer")
VISIBILITIES = ("public", "members", "hidden")
SIZE_BANDS = ("1-9", "10-49", "50-249", "250-999", "1000-4999", "5000+")
# Yearly outsourcing budget a buyer declares, in US dollars.
BUDGET_BANDS = ("lt_50k", "50k_250k", "250k_1m", "1m_5m", "gt_5m")
CERTIFICATIONS = (
    "cmmi_3",
    "cmmi_5",
    "iso_9001",
    "iso_27001",
    "iso_20000",
    "iso_27701",
    "soc_2",
    "pci_dss",
)
INDUSTRIES = (
    "finance",
    "insurance",
    "healthcare",
    "pharma",
    "retail",
    "ecommerce",
    "manufacturing",
    "automotive",
    "logistics",
    "telecom",
    "energy",
    "government",
    "education",
    "media",
    "travel",
    "agriculture",
)
# Languages a profile may declare: ISO 639-1 codes that CLDR names.
LANGUAGE_CODES = tuple(
    sorted(code for code in Locale("en").languages if len(code) == 2 and code.isalpha())
)
# The working languages the profile form offers as checkboxes: the trade's languages in
# the demonstration cities' markets. The API takes any code of LANGUAGE_CODES.
COMMON_LANGUAGES = (
    "en",
    "zh",
    "ar",
    "ru",
    "es",
    "fr",
    "de",
    "ja",
    "ko",
    "pt",
    "it",
    "nl",
    "pl",
    "tr",
    "vi",
    "th",
    "id",
    "ms",
    "hi",
    "ur",
    "fa",
    "kk",
    "uz",
    "mn",
    "he",
    "el",
    "cs",
    "hu",
    "ro",
    "bg",
    "sr",
    "uk",
    "sv",
    "fi",
    "da",
    "no",
    "bn",
    "ta",
    "tl",
    "sw",
)
# CLDR territories that are not countries (continents, unions, "unknown").
_NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"}


@dataclass(frozen=True)
class Country:
    code: str
    developed: bool
    belt_and_road: bool

    @property
    def market_groups(self) -> tuple[str, ...]:
        """Return the market groups of the country (developed and Belt and Road may both hold)."""
        if self.code == "CN":
            return ("china",)
        groups = tuple(
            group
            for group, flag in (
                ("developed", self.developed),
                ("belt_and_road", self.belt_and_road),
            )
            if flag
        )
        return groups or ("other",)


@dataclass(frozen=True)
class ServiceCategory:
    code: str
    family: str
    name_en: str
    name_zh: str
    description_en: str

    @property
    def is_family(self) -> bool:
        return "." not in self.code


@dataclass(frozen=True)
class City:
    name_en: str
    name_zh: str
    province_en: str
    province_zh: str
    year_designated: int


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def countries() -> dict[str, Country]:
    """Return every country CLDR knows, keyed by ISO 3166 alpha-2 code."""
    developed = {row["iso_alpha2"] for row in _rows("developed_markets.csv")}
    belt_and_road = {
        row["iso_alpha2"]
        for row in _rows("belt_and_road_countries.csv")
        if not row["note"].startswith("WITHDRAWN")
    }
    # Only territories CLDR names in every shipped locale (Sark, "CQ", has no name in most).
    named = [Locale.parse(loc).territories for loc in ("en", "zh_Hans", "ar", "ru", "es", "fr")]
    codes = {
        code
        for code in Locale("en").territories
        if len(code) == 2
        and code.isalpha()
        and code not in _NOT_COUNTRIES
        and all(code in names for names in named)
    }
    return {code: Country(code, code in developed, code in belt_and_road) for code in sorted(codes)}


def market_groups(country_code: str) -> tuple[str, ...]:
    """Return the market groups of a country code ("other" when unknown)."""
    country = countries().get(country_code)
    return country.market_groups if country else ("other",)


@cache
def service_categories() -> dict[str, ServiceCategory]:
    """Return families and sub-categories keyed by their stable code, in file order."""
    return {
        row["code"]: ServiceCategory(
            row["code"],
            row["family"].lower(),
            row["name_en"],
            row["name_zh"],
            row["description_en"],
        )
        for row in _rows("service_categories.csv")
    }


def services() -> list[ServiceCategory]:
    """Return the sub-categories (not the families)."""
    return [cat for cat in service_categories().values() if not cat.is_family]


def family_of(service_code: str) -> str:
    return service_code.split(".", 1)[0]


@cache
def demonstration_cities() -> tuple[City, ...]:
    return tuple(
        City(
            row["city_en"],
            row["city_zh"],
            row["province_en"],
            row["province_zh"],
            int(row["year_designated"]),
        )
        for row in _rows("demonstration_cities.csv")
    )


def is_demonstration_city(name: str) -> bool:
    folded = name.strip().casefold()
    return any(folded in (c.name_en.casefold(), c.name_zh) for c in demonstration_cities())


def target_market_codes() -> set[str]:
    """Codes a provider may target: a market group or a country."""
    return set(MARKET_GROUPS) | set(countries())
