"""Organizations: what a client sends and what it gets back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import Field

from matchmaker.profiles.service import MAX_DESCRIPTION

from .common import (
    BudgetBand,
    Certification,
    CountryCode,
    Family,
    Id,
    Industry,
    Instant,
    Kind,
    LanguageCode,
    Locale,
    MarketGroup,
    Out,
    Paging,
    ServiceCode,
    SizeBand,
    Strict,
    TargetMarket,
    Url,
    Visibility,
    whole_number,
)

Name = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        pattern=r"^[^\x00]*[^\s\x00][^\x00]*$",  # something besides spaces, no NUL
        description="Name of the organization.",
    ),
]
City = Annotated[str, Field(max_length=120, description="City, in any script.")]
Website = Annotated[
    str,
    Field(
        max_length=300,
        # Whitespace as both Python and JSON Schema (ECMA) regexes count it.
        pattern=r"^([\s\x1c-\x1f\x85\ufeff]*|[\s\x1c-\x1f\x85\ufeff]*https?://"
        r"[^\s\x1c-\x1f\x85\ufeff/$.?#\x00][^\s\x1c-\x1f\x85\ufeff\x00]*[\s\x1c-\x1f\x85\ufeff]*)$",
        description="Web address starting with http:// or https:// (empty: none).",
        examples=["https://www.dlhaixin.example.cn"],
    ),
]
Founded = whole_number(ge=1800, le=datetime.now(UTC).year, description="Year the firm was founded.")
Descriptions = Annotated[
    dict[Locale, Annotated[str, Field(max_length=MAX_DESCRIPTION)] | None],
    Field(
        description="Description per language, keyed by locale. In an update, an empty "
        "text or null removes that language; languages not given stay as they are.",
        examples=[{"en": "Software R&D for insurers.", "zh_Hans": "面向保险业的软件研发。"}],
    ),
]

_SERVICES = "Service categories offered (providers) or sought (buyers)."
_TARGETS = "Markets a provider serves: countries or market groups (ignored for buyers)."
_BUDGET = "Yearly outsourcing budget (buyers only; ignored for providers)."


class OrganizationChanges(Strict):
    """Fields to change; fields not given stay as they are."""

    # Default None means "not given"; null itself is refused where the server refuses it.
    kind: Kind = Field(None, description="provider or buyer.")  # type: ignore[assignment]
    name: Name = None  # type: ignore[assignment]
    country: CountryCode = Field(None, description="Country of the head office.")  # type: ignore[assignment]
    city: City | None = None
    website: Website | None = None
    founded: Founded | None = None
    size: SizeBand | None = None
    budget: BudgetBand | None = Field(None, description=_BUDGET)
    visibility: Visibility = None  # type: ignore[assignment]
    services: list[ServiceCode] | None = Field(None, max_length=200, description=_SERVICES)
    target_markets: list[TargetMarket] | None = Field(None, max_length=300, description=_TARGETS)
    languages: list[LanguageCode] | None = Field(
        None, max_length=200, description="Working languages."
    )
    certifications: list[Certification] | None = Field(None, max_length=20)
    industries: list[Industry] | None = Field(None, max_length=50)
    description: Descriptions | None = None

    model_config = {"json_schema_extra": {"examples": [{"city": "Dalian", "size": "250-999"}]}}


class NewOrganization(OrganizationChanges):
    """A new provider or buyer profile."""

    kind: Kind = Field(description="provider or buyer.")  # type: ignore[assignment]
    name: Name  # type: ignore[assignment]
    country: CountryCode = Field(description="Country of the head office.")  # type: ignore[assignment]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "kind": "provider",
                    "name": "Dalian Haixin Software",
                    "country": "CN",
                    "city": "Dalian",
                    "services": ["ito.software_rd"],
                    "languages": ["zh", "en", "ja"],
                    "description": {"en": "Software R&D for insurers."},
                }
            ]
        }
    }


class OrganizationSummary(Out):
    id: Id
    name: str
    kind: Kind
    country: CountryCode
    url: Url = Field(description="The profile page.")


class Organization(Out):
    """A provider or buyer profile."""

    id: Id
    kind: Kind
    name: str
    country: CountryCode
    country_name: str = Field(description="The country's name in the reader's language.")
    city: str
    markets: list[MarketGroup] = Field(description="Market groups of the country.")
    website: str
    founded: int | None
    size: SizeBand | None
    budget: BudgetBand | None
    services: list[ServiceCode]
    families: list[Family] = Field(description="Families of the services.")
    target_markets: list[TargetMarket]
    languages: list[LanguageCode]
    certifications: list[Certification]
    industries: list[Industry]
    visibility: Visibility
    verified: bool = Field(description="Checked by matchmaker's administrators.")
    verified_at: Instant | None = Field(description="When it was verified.")
    description: dict[Locale, str] = Field(description="Description per language.")
    created_at: Instant
    updated_at: Instant
    url: Url = Field(description="The profile page.")
    highlight: str | None = Field(
        None, description="In search results: a snippet around the match, «» marking it."
    )


class OrganizationPage(Paging):
    items: list[Organization]
    facets: dict[str, dict[str, int]] = Field(
        description="Counts per filter value: {filter: {value: count}}; values are OR "
        "within one filter, filters AND.",
        examples=[{"country": {"CN": 12, "DE": 3}, "kind": {"provider": 12, "buyer": 3}}],
    )


class OrganizationFilters(Strict):
    """Directory filters. Repeat a filter (kind=a&kind=b) or join with commas: values OR."""

    model_config = {"extra": "ignore"}

    q: str | None = Field(None, max_length=10000, description="Full-text search, any language.")
    kind: list[Kind] | None = Field(None, description="provider or buyer.")
    country: list[CountryCode] | None = Field(None, description="Country codes.")
    market: list[MarketGroup] | None = Field(None, description="Market groups.")
    family: list[Family] | None = Field(None, description="Service families.")
    service: list[ServiceCode] | None = Field(None, description="Service categories.")
    language: list[LanguageCode] | None = Field(None, description="Working languages.")
    certification: list[Certification] | None = Field(None, description="Certifications.")
    industry: list[Industry] | None = Field(None, description="Industries.")
    size: list[SizeBand] | None = Field(None, description="Size bands.")
    sort: str | None = Field(
        None,
        pattern="^(|relevance|name)$",
        description="relevance (with q; the default then) or name.",
    )
    page: int = Field(
        1,
        ge=1,
        le=10000,
        description="Page number, from 1. Only the first 10,000 results are served: "
        "pages beyond them are empty.",
    )
    per_page: int | None = Field(None, ge=1, le=100, description="Items per page (default 20).")


class Reason(Out):
    type: str = Field(description="What kind of reason: service, market, language, peer, ….")
    code: str = Field(description="The code it is about (a service, a country, …).")
    label: str = Field(description="The reason in the reader's language.")
    organizations: list[Id] = Field(
        default_factory=list,
        description="For peers: organizations like yours that met or saved this one, closest "
        "first (only those you may see; their names are in the label).",
    )


class Suggestion(Out):
    organization: OrganizationSummary
    score: float = Field(ge=0, description="Relative strength of the fit (higher is better).")
    reasons: list[Reason]


class Suggestions(Out):
    items: list[Suggestion]
    hint: str | None = Field(None, description="What to add to the profile to get suggestions.")


class RecommendationLimit(Strict):
    model_config = {"extra": "ignore"}

    limit: int = Field(10, ge=1, le=100, description="How many suggestions (1–100).")


class PartnerRef(Strict):
    organization_id: Id = Field(description="The other organization.")


class Marked(Out):
    organization_id: Id
    status: str = Field(description="saved or dismissed.")


class MarkedPartner(Out):
    organization: OrganizationSummary
    marked_at: Instant


class MarkedPartners(Out):
    items: list[MarkedPartner]


class VerificationChange(Strict):
    verified: bool = Field(description="true: verified now; false: withdraw the badge.")
