"""The search contract every backend honours (see docs/INTERFACES.md).

Validation lives here, not in the backends, so that both backends reject the
same queries with the same messages and see the same normalized text.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from matchmaker.reference import VISIBILITIES

FILTER_KEYS = (
    "kind",
    "country",
    "market",
    "family",
    "service",
    "language",
    "certification",
    "industry",
    "size",
)
# Filter key -> field of the organization document that holds its values.
FILTER_FIELDS = {
    "kind": "kind",
    "country": "country",
    "market": "markets",
    "family": "families",
    "service": "services",
    "language": "languages",
    "certification": "certifications",
    "industry": "industries",
    "size": "size",
}
SORTS = ("relevance", "name")
MAX_QUERY_CHARS = 200
MAX_PER_PAGE = 100
# Deepest result a reader may page to; Elasticsearch refuses past 10,000 and
# nobody reads that far, so both backends stop at the same place.
MAX_RESULT_WINDOW = 10_000
MAX_FILTER_VALUES = 50
MAX_VALUE_CHARS = 64

ProgressCallback = Callable[[int], None]


class SearchQueryError(ValueError):
    """The reader asked for something invalid; ``message`` is fit to show them.

    ``field`` names the offending parameter so the API can report it under
    ``fields`` and the web layer can translate by ``code``.
    """

    def __init__(self, message: str, *, field: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class SearchUnavailable(RuntimeError):
    """The backend cannot be reached or failed; not the reader's fault."""


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    filters: Mapping[str, list[str]] = field(default_factory=dict)
    visibilities: tuple[str, ...] = ("public",)
    page: int = 1
    per_page: int = 20
    sort: str = "relevance"
    # The reader's UI locale: snippets come from the description in it when it matches.
    locale: str | None = None


@dataclass(frozen=True)
class Hit:
    id: int
    score: float
    highlight: str


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]


class SearchBackend(Protocol):
    def index(self, docs: Iterable[dict]) -> None: ...

    def delete(self, org_id: int) -> None: ...

    def rebuild(self, docs: Iterable[dict], progress: ProgressCallback | None = None) -> int: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def ping(self) -> bool: ...


# C0/C1 controls, bidi overrides and other invisible format characters
# (zero-width joiners are kept: Arabic and Indic text needs them).
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def normalize_text(text: object) -> str:
    """Return the query text without control characters, NFC, at most 200 characters."""
    if text is None:
        return ""
    if not isinstance(text, str):
        raise SearchQueryError("The search text must be a string.", field="q")
    cleaned = _INVISIBLE.sub(" ", text[: MAX_QUERY_CHARS * 4])
    cleaned = " ".join(unicodedata.normalize("NFC", cleaned).split())
    return cleaned[:MAX_QUERY_CHARS].strip()


def _positive_int(value: object, name: str, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise SearchQueryError(f"{name} must be a whole number.", field=name)
    try:
        number = int(value)
    except ValueError:
        raise SearchQueryError(f"{name} must be a whole number.", field=name) from None
    if not 1 <= number <= maximum:
        raise SearchQueryError(
            f"{name} must be between 1 and {maximum}.", field=name, code="out_of_range"
        )
    return number


def normalize_filters(filters: Mapping[str, object] | None) -> dict[str, list[str]]:
    """Return filters with known keys only, each a sorted list of distinct values."""
    clean: dict[str, list[str]] = {}
    for key, raw in (filters or {}).items():
        if key not in FILTER_KEYS:
            raise SearchQueryError(f"Unknown filter: {key!s:.40}.", field=str(key)[:40])
        values = [raw] if isinstance(raw, str) else raw
        if not isinstance(values, list | tuple | set | frozenset):
            raise SearchQueryError(f"Filter {key} needs a list of codes.", field=key)
        if len(values) > MAX_FILTER_VALUES:
            raise SearchQueryError(f"Too many values for filter {key}.", field=key)
        if not all(isinstance(v, str) and 0 < len(v) <= MAX_VALUE_CHARS for v in values):
            raise SearchQueryError(f"Filter {key} holds an invalid code.", field=key)
        if values:
            clean[key] = sorted(set(values))
    return clean


def validate_query(query: SearchQuery) -> SearchQuery:
    """Return ``query`` normalized, or raise SearchQueryError with a message for the reader."""
    page = _positive_int(query.page, "page", MAX_RESULT_WINDOW)
    per_page = _positive_int(query.per_page, "per_page", MAX_PER_PAGE)
    if page * per_page > MAX_RESULT_WINDOW:
        raise SearchQueryError(
            f"Results past number {MAX_RESULT_WINDOW} cannot be shown; narrow the search.",
            field="page",
            code="out_of_range",
        )
    if query.sort not in SORTS:
        raise SearchQueryError("sort must be relevance or name.", field="sort")
    visibilities = tuple(v for v in VISIBILITIES if v in set(query.visibilities))
    if len(visibilities) != len(set(query.visibilities)):
        raise SearchQueryError("Unknown visibility.", field="visibilities")
    return dataclasses.replace(
        query,
        text=normalize_text(query.text),
        filters=normalize_filters(query.filters),
        visibilities=visibilities,
        page=page,
        per_page=per_page,
    )


def filter_values(doc: Mapping[str, object], key: str) -> list[str]:
    """Return the values a document holds for filter ``key`` (scalars become one-item lists)."""
    value = doc.get(FILTER_FIELDS[key])
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]  # type: ignore[union-attr]
