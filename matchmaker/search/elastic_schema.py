"""Index settings, mappings and request bodies of the Elasticsearch backend.

Plain dictionaries, no client: easy to read next to the SQLite backend and to
test without a node.

Each description locale gets its language analyzer (stemming, stop words) plus
an ``exact`` subfield (standard tokenizer, case and accents folded). The
standard tokenizer cuts Chinese into single characters, so a phrase query on
``exact`` finds a Chinese word of any length, one character included; the
``cjk`` analyzer (bigrams) ranks it.
"""

from __future__ import annotations

from matchmaker.search.base import FILTER_FIELDS, FILTER_KEYS, SearchQuery
from matchmaker.search.text import Term

LANGUAGE_ANALYZERS = {
    "en": "english",
    "zh_Hans": "cjk",
    "ar": "arabic",
    "ru": "russian",
    "es": "spanish",
    "fr": "french",
}
NAME_BOOST = 3
FACET_SIZE = 1000
EXACT = {"type": "text", "analyzer": "exact"}
KEYWORD = {"type": "keyword"}

SETTINGS = {
    "number_of_shards": 1,
    "number_of_replicas": 0,
    "analysis": {
        "analyzer": {
            "exact": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["cjk_width", "lowercase", "asciifolding", "arabic_normalization"],
            }
        },
        "normalizer": {
            "sortable": {"type": "custom", "filter": ["lowercase", "asciifolding"]},
        },
    },
}


def mappings() -> dict:
    """Return the index mappings (keyword fields for every filter)."""
    texts = {
        locale: {"type": "text", "analyzer": analyzer, "fields": {"exact": EXACT}}
        for locale, analyzer in LANGUAGE_ANALYZERS.items()
    }
    properties: dict[str, dict] = {
        "id": {"type": "long"},
        "name": {
            **EXACT,
            "fields": {
                "cjk": {"type": "text", "analyzer": "cjk"},
                "sort": {"type": "keyword", "normalizer": "sortable"},
            },
        },
        "texts": {"properties": texts},
        "other_texts": EXACT,
        "search_terms": EXACT,
        "city": EXACT,
        "visibility": KEYWORD,
        "target_markets": KEYWORD,
        "budget": KEYWORD,
        "verified": {"type": "boolean"},
        "updated_at": {"type": "date"},
    }
    properties.update({FILTER_FIELDS[key]: KEYWORD for key in FILTER_KEYS})
    return {"dynamic": "strict", "properties": properties}


def source(doc: dict) -> dict:
    """Return what Elasticsearch stores for an organization document."""
    texts = doc.get("texts") or {}
    body = {field: doc.get(field) for field in set(FILTER_FIELDS.values())}
    body.update(
        id=int(doc["id"]),
        name=doc.get("name") or "",
        texts={locale: text for locale, text in texts.items() if locale in LANGUAGE_ANALYZERS},
        other_texts=[text for locale, text in texts.items() if locale not in LANGUAGE_ANALYZERS],
        search_terms=doc.get("search_terms") or "",
        city=doc.get("city") or "",
        visibility=doc.get("visibility") or "public",
        target_markets=doc.get("target_markets") or [],
        budget=doc.get("budget"),
        verified=bool(doc.get("verified")),
        updated_at=doc.get("updated_at"),
    )
    return body


def _term_clause(term: Term) -> dict:
    """Match one term: stemmed in its language, or exactly (as a phrase) anywhere."""
    stemmed = [f"texts.{locale}" for locale in LANGUAGE_ANALYZERS] + ["name.cjk"]
    exact = [f"texts.{locale}.exact" for locale in LANGUAGE_ANALYZERS]
    exact += [f"name^{NAME_BOOST}", "other_texts", "search_terms", "city"]
    return {
        "bool": {
            "should": [
                {"multi_match": {"query": term.raw, "fields": stemmed, "operator": "and"}},
                {"multi_match": {"query": term.raw, "fields": exact, "type": "phrase"}},
            ],
            "minimum_should_match": 1,
        }
    }


def _filter_clauses(query: SearchQuery, skip: str | None = None) -> list[dict]:
    return [
        {"terms": {FILTER_FIELDS[key]: list(values)}}
        for key, values in query.filters.items()
        if key != skip
    ]


def search_body(query: SearchQuery, terms: list[Term]) -> dict:
    """Return the search request: text and visibility in the query, filters after the
    facets (post_filter), each facet counted under every filter but its own."""
    aggregations = {
        key: {
            "filter": {"bool": {"filter": _filter_clauses(query, skip=key)}},
            "aggs": {"values": {"terms": {"field": FILTER_FIELDS[key], "size": FACET_SIZE}}},
        }
        for key in FILTER_KEYS
    }
    by_name = not terms or query.sort == "name"
    sort = [{"name.sort": "asc"}, {"id": "asc"}]
    body = {
        "query": {
            "bool": {
                "must": [_term_clause(term) for term in terms] or [{"match_all": {}}],
                "filter": [{"terms": {"visibility": list(query.visibilities)}}],
            }
        },
        "post_filter": {"bool": {"filter": _filter_clauses(query)}},
        "aggs": aggregations,
        "sort": sort if by_name else ["_score", *sort],
        "from": (query.page - 1) * query.per_page,
        "size": query.per_page,
        "track_total_hits": True,
        "track_scores": True,
        "_source": ["name", "texts", "other_texts", "search_terms", "city"],
    }
    if terms:
        body["highlight"] = highlight_body()
    return body


def highlight_body() -> dict:
    fields = [f"texts.{locale}" for locale in LANGUAGE_ANALYZERS]
    fields += [f"texts.{locale}.exact" for locale in LANGUAGE_ANALYZERS]
    fields += ["name", "name.cjk", "city", "other_texts"]
    return {
        "encoder": "html",
        "pre_tags": ["<mark>"],
        "post_tags": ["</mark>"],
        "number_of_fragments": 1,
        "fragment_size": 180,
        "fields": {field: {} for field in fields},
    }


def pick_highlight(highlights: dict[str, list[str]], locale: str | None) -> str:
    """Return the fragment from the reader's description first, then other texts, the name."""
    order = [locale] if locale else []
    order += [code for code in LANGUAGE_ANALYZERS if code != locale]
    fields = [f for code in order for f in (f"texts.{code}", f"texts.{code}.exact")]
    fields += ["other_texts", "name", "name.cjk", "city"]
    for field in fields:
        if highlights.get(field):
            return highlights[field][0]
    return ""
