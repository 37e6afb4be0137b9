"""Shared pieces: code sets as enums, ids, instants, the error and paging shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

from matchmaker import reference
from matchmaker.i18n import LOCALES

MAX_ID = 2**31 - 1


def _code_set(name: str, values, doc: str) -> type[StrEnum]:
    codes = StrEnum(name, [(value, value) for value in values])
    codes.__doc__ = doc
    return codes


Kind = _code_set("Kind", reference.KINDS, "Provider of outsourcing services or buyer of them.")
MarketGroup = _code_set(
    "MarketGroup",
    reference.MARKET_GROUPS,
    "Market group of a country (a country can be both developed and Belt and Road).",
)
Family = _code_set("Family", reference.FAMILIES, "Service family: ITO, BPO or KPO.")
ServiceCode = _code_set(
    "ServiceCode",
    [s.code for s in reference.services()],
    "Service category code (`GET /v1/reference/services` gives labels).",
)
CountryCode = _code_set(
    "CountryCode", sorted(reference.countries()), "ISO 3166-1 alpha-2 country code."
)
TargetMarket = _code_set(
    "TargetMarket",
    sorted(reference.target_market_codes()),
    "A country (ISO 3166-1 alpha-2) or a market group a provider serves.",
)
LanguageCode = _code_set(
    "LanguageCode", reference.LANGUAGE_CODES, "ISO 639-1 language code (BCP 47 primary tag)."
)
Certification = _code_set("Certification", reference.CERTIFICATIONS, "Certification held.")
Industry = _code_set("Industry", reference.INDUSTRIES, "Industry served or worked in.")
SizeBand = _code_set("SizeBand", reference.SIZE_BANDS, "Number of employees.")
BudgetBand = _code_set(
    "BudgetBand", reference.BUDGET_BANDS, "A buyer's yearly outsourcing budget in US dollars."
)
Visibility = _code_set(
    "Visibility",
    reference.VISIBILITIES,
    "public: everyone; members: signed-in users; hidden: the team and administrators.",
)
Locale = _code_set("Locale", LOCALES, "A language of the site, as a locale identifier.")


def _whole_float(value: object) -> object:
    # JSON Schema counts 1912.0 as an integer; so do we (strict mode alone would refuse it).
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def whole_number(**constraints: object) -> object:
    """An integer field (1912.0 counts as 1912) with Field constraints."""
    return Annotated[int, Field(**constraints), BeforeValidator(_whole_float)]


Id = whole_number(ge=1, le=MAX_ID, description="A database id.")


def _as_utc(value: object) -> object:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


Instant = Annotated[AwareDatetime, BeforeValidator(_as_utc)]
Url = Annotated[str, Field(json_schema_extra={"format": "uri"})]


class Strict(BaseModel):
    """A request body: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    """A response body."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(Out):
    code: str = Field(
        description="Stable machine code: bad_request, not_authenticated, forbidden, "
        "not_found, method_not_allowed, conflict, validation_failed, too_large, "
        "unsupported_media_type, too_many_requests, search_unavailable, error.",
        examples=["validation_failed"],
    )
    message: str = Field(description="What went wrong, in the reader's language.")
    fields: dict[str, str] = Field(
        description="Message per field for validation errors (dotted paths for nested fields).",
        examples=[{"country": "Unknown value: XX."}],
    )


class Error(Out):
    """Every error answer of the API."""

    error: ErrorDetail


class Paging(Out):
    total: int = Field(ge=0, description="Items matching, on all pages.")
    page: int = Field(ge=1, description="This page's number, from 1.")
    per_page: int = Field(ge=1, le=100, description="Items per page.")
    has_more: bool = Field(description="Whether a next page exists (see also the Link header).")
