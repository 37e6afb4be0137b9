"""The directory: browse and full-text search organizations through the search backend."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from matchmaker import reference
from matchmaker.accounts.models import User
from matchmaker.errors import ValidationFailed
from matchmaker.search.base import MAX_RESULT_WINDOW, SearchQuery, SearchResult

from . import directory_cache
from .models import Organization
from .service import visible_levels

MAX_PER_PAGE = 100


def filter_vocabulary() -> dict[str, set[str]]:
    """Allowed values for each directory filter."""
    return {
        "kind": set(reference.KINDS),
        "country": set(reference.countries()),
        "market": set(reference.MARKET_GROUPS),
        "family": set(reference.FAMILIES),
        "service": {s.code for s in reference.services()},
        "language": set(reference.LANGUAGE_CODES),
        "certification": set(reference.CERTIFICATIONS),
        "industry": set(reference.INDUSTRIES),
        "size": set(reference.SIZE_BANDS),
    }


@dataclass
class DirectoryPage:
    query: SearchQuery
    total: int = 0
    items: list[tuple[Organization, str]] = field(default_factory=list)  # (org, highlight)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        last_reachable = MAX_RESULT_WINDOW // self.query.per_page
        return max(1, min(-(-self.total // self.query.per_page), last_reachable))


def _positive_int(raw: str | None, name: str, default: int, limit: int, errors: dict) -> int:
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        errors[name] = _l("Must be a whole number.")
        return default
    if not 1 <= value <= limit:
        errors[name] = _l("Must be between 1 and %(n)d.", n=limit)
        return default
    return value


def parse_query(args, viewer: User | None, locale: str, default_per_page: int = 20) -> SearchQuery:
    """Turn request arguments (a MultiDict) into a query; raise ValidationFailed on bad ones."""
    errors: dict[str, object] = {}
    filters: dict[str, list[str]] = {}
    for key, allowed in filter_vocabulary().items():
        values = [v for raw in args.getlist(key) for v in raw.split(",") if v]
        unknown = [v for v in values if v not in allowed]
        if unknown:
            errors[key] = _l("Unknown value: %(value)s.", value=unknown[0][:40])
        elif values:
            filters[key] = list(dict.fromkeys(values))
    per_page = _positive_int(
        args.get("per_page"), "per_page", default_per_page, MAX_PER_PAGE, errors
    )
    # Nobody pages past result 10,000 (Elasticsearch's window): the last page follows from it.
    page = _positive_int(args.get("page"), "page", 1, MAX_RESULT_WINDOW // per_page, errors)
    if errors:
        raise ValidationFailed(_l("Some search filters are not valid."), fields=errors)
    text = args.get("q", "") or ""
    sort = args.get("sort") or ("relevance" if text.strip() else "name")
    if sort not in ("relevance", "name"):
        raise ValidationFailed(
            _l("Some search filters are not valid."),
            fields={"sort": _l("Must be relevance or name.")},
        )
    return SearchQuery(
        text=text,
        filters=filters,
        visibilities=visible_levels(viewer),
        page=page,
        per_page=per_page,
        sort=sort if text.strip() else "name",
        locale=locale,
    )


def search_directory(db: Session, query: SearchQuery) -> DirectoryPage:
    """Run the query and load the organizations it found, in the backend's order."""
    # The same query at the same index version gives the same answer: reuse it.
    result: SearchResult = directory_cache.search(query)
    found = directory_cache.organizations(db, [hit.id for hit in result.hits])
    # The database has the last word on visibility: an index that lags behind an edit
    # (or missed it while down) must not show a profile its owner just hid.
    allowed = set(query.visibilities)
    items = [
        (found[hit.id], hit.highlight)
        for hit in result.hits
        if hit.id in found and found[hit.id].visibility in allowed
    ]
    hidden_meanwhile = len(result.hits) - len(items)
    return DirectoryPage(
        query=query,
        total=max(0, result.total - hidden_meanwhile),
        items=items,
        facets=result.facets,
    )
