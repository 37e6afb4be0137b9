"""Labels for reference codes in the reader's language.

Enum-like labels are lazy strings (extracted by pybabel); country and language
names come from CLDR through Babel, in the current request's locale.
"""

from __future__ import annotations

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from . import countries

SERVICE_LABELS = {
    # Keep in step with data/service_categories.csv (a test compares them).
    "ito": _l("Information technology outsourcing"),
    "bpo": _l("Business process outsourcing"),
    "kpo": _l("Knowledge process outsourcing"),
    "ito.software_rd": _l("Software R&D and development"),
    "ito.it_rd_services": _l("IT research and development services"),
    "ito.is_operation_maintenance": _l("Information system operation and maintenance"),
    "ito.ic_circuit_design": _l("Integrated circuit and electronic circuit design"),
    "ito.cloud_computing": _l("Cloud computing services"),
    "ito.it_solutions": _l("IT solutions services"),
    "ito.ai_services": _l("Artificial intelligence services"),
    "bpo.process_design": _l("Business process design"),
    "bpo.internal_management": _l("Enterprise internal management services"),
    "bpo.business_operations": _l("Enterprise business operation services"),
    "bpo.supply_chain_management": _l("Supply chain management services"),
    "bpo.data_processing": _l("Business data processing"),
    "bpo.call_center": _l("Call centre services"),
    "bpo.finance_tax": _l("Finance, accounting and tax processing"),
    "bpo.human_resources": _l("Human resources services"),
    "bpo.internet_marketing": _l("Internet marketing and promotion services"),
    "bpo.financial_back_office": _l("Financial back-office services"),
    "kpo.pharma_biotech_rd": _l("Pharmaceutical and biotechnology R&D"),
    "kpo.testing_inspection": _l("Testing and inspection services"),
    "kpo.management_consulting": _l("Management consulting services"),
    "kpo.industrial_design": _l("Industrial design"),
    "kpo.engineering_design": _l("Engineering design"),
    "kpo.service_design": _l("Service design"),
    "kpo.decision_analysis": _l("Decision analysis"),
    "kpo.scientific_research": _l("Scientific research"),
    "kpo.integrated_solutions": _l("Integrated solutions"),
    "kpo.legal_services": _l("Legal process outsourcing"),
}

FAMILY_SHORT_LABELS = {
    # Translators: ITO, BPO and KPO are the trade's abbreviations; keep them unless your
    # market uses others.
    "ito": _l("ITO"),
    "bpo": _l("BPO"),
    "kpo": _l("KPO"),
}

MARKET_LABELS = {
    "china": _l("China"),
    "developed": _l("Developed markets"),
    "belt_and_road": _l("Belt and Road markets"),
    "other": _l("Other markets"),
}

KIND_LABELS = {"provider": _l("Provider"), "buyer": _l("Buyer")}
KIND_PLURAL_LABELS = {"provider": _l("Providers"), "buyer": _l("Buyers")}

VISIBILITY_LABELS = {
    "public": _l("Public: everyone can see it"),
    "members": _l("Members only: signed-in users"),
    "hidden": _l("Hidden: only your team and administrators"),
}

CERTIFICATION_LABELS = {
    "cmmi_3": _l("CMMI Level 3"),
    "cmmi_5": _l("CMMI Level 5"),
    "iso_9001": _l("ISO 9001 (quality)"),
    "iso_27001": _l("ISO/IEC 27001 (information security)"),
    "iso_20000": _l("ISO/IEC 20000 (IT service management)"),
    "iso_27701": _l("ISO/IEC 27701 (privacy)"),
    "soc_2": _l("SOC 2"),
    "pci_dss": _l("PCI DSS"),
}

INDUSTRY_LABELS = {
    "finance": _l("Banking and finance"),
    "insurance": _l("Insurance"),
    "healthcare": _l("Healthcare"),
    "pharma": _l("Pharmaceuticals"),
    "retail": _l("Retail"),
    "ecommerce": _l("E-commerce"),
    "manufacturing": _l("Manufacturing"),
    "automotive": _l("Automotive"),
    "logistics": _l("Logistics"),
    "telecom": _l("Telecommunications"),
    "energy": _l("Energy"),
    "government": _l("Government"),
    "education": _l("Education"),
    "media": _l("Media and entertainment"),
    "travel": _l("Travel and hospitality"),
    "agriculture": _l("Agriculture"),
}

SIZE_LABELS = {
    "1-9": _l("1–9 employees"),
    "10-49": _l("10–49 employees"),
    "50-249": _l("50–249 employees"),
    "250-999": _l("250–999 employees"),
    "1000-4999": _l("1,000–4,999 employees"),
    "5000+": _l("5,000 or more employees"),
}

BUDGET_LABELS = {
    "lt_50k": _l("Under US$50,000 a year"),
    "50k_250k": _l("US$50,000–250,000 a year"),
    "250k_1m": _l("US$250,000–1 million a year"),
    "1m_5m": _l("US$1–5 million a year"),
    "gt_5m": _l("Over US$5 million a year"),
}


def _locale() -> Locale:
    return get_locale() or Locale("en")


def country_name(code: str, locale: Locale | str | None = None) -> str:
    """The country's name in the given (default: current) locale, from CLDR."""
    loc = Locale.parse(locale) if locale else _locale()
    return loc.territories.get(code, code)


def language_name(code: str, locale: Locale | str | None = None) -> str:
    loc = Locale.parse(locale) if locale else _locale()
    return loc.languages.get(code, code)


def target_market_label(code: str) -> str:
    return str(MARKET_LABELS[code]) if code in MARKET_LABELS else country_name(code)


def sorted_countries() -> list[tuple[str, str]]:
    """(code, name) for every country, sorted by name in the current locale."""
    names = [(code, country_name(code)) for code in countries()]
    return sorted(names, key=lambda item: item[1].casefold())


def sorted_languages(codes) -> list[tuple[str, str]]:
    names = [(code, language_name(code)) for code in codes]
    return sorted(names, key=lambda item: item[1].casefold())


def all_locale_names(label) -> list[str]:
    """A lazy label rendered in every shipped locale (for indexing, not display)."""
    from matchmaker.i18n import LOCALES, translate_in

    msgid = label._args[0]
    return list(dict.fromkeys(translate_in(loc, msgid) for loc in LOCALES))


def country_names_all_locales(code: str) -> list[str]:
    from matchmaker.i18n import LOCALES

    return list(dict.fromkeys(Locale.parse(loc).territories.get(code, code) for loc in LOCALES))


def facet_label(key: str, value: str) -> str:
    """Label of a directory filter value in the current locale."""
    tables = {
        "kind": KIND_PLURAL_LABELS,
        "market": MARKET_LABELS,
        "family": SERVICE_LABELS,
        "service": SERVICE_LABELS,
        "certification": CERTIFICATION_LABELS,
        "industry": INDUSTRY_LABELS,
        "size": SIZE_LABELS,
    }
    if key in tables:
        return str(tables[key].get(value, value))
    if key == "country":
        return country_name(value)
    if key == "language":
        return language_name(value)
    return value


FACET_TITLES = {
    "kind": _l("Kind"),
    "market": _l("Market group"),
    "family": _l("Service family"),
    "service": _l("Service"),
    "country": _l("Country or region"),
    "language": _l("Language"),
    "certification": _l("Certification"),
    "industry": _l("Industry"),
    "size": _l("Company size"),
}
