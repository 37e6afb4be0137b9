"""Full-text search over organization documents, behind one contract.

``make_backend`` picks the implementation from configuration: Elasticsearch
when a URL is configured (scale-out), else the embedded SQLite FTS5 index.
"""

from __future__ import annotations

from collections.abc import Mapping

from matchmaker.search.base import (
    FILTER_KEYS,
    Hit,
    SearchBackend,
    SearchQuery,
    SearchQueryError,
    SearchResult,
    SearchUnavailable,
)

__all__ = [
    "FILTER_KEYS",
    "Hit",
    "SearchBackend",
    "SearchQuery",
    "SearchQueryError",
    "SearchResult",
    "SearchUnavailable",
    "make_backend",
]

DEFAULT_INDEX_PATH = "instance/search.sqlite3"


def make_backend(config: Mapping[str, object]) -> SearchBackend:
    """Return the backend the configuration asks for (nothing connects until first use)."""
    url = config.get("ELASTICSEARCH_URL")
    if url:
        from matchmaker.search.elastic import ElasticBackend

        return ElasticBackend(
            str(url),
            index=str(config.get("ELASTICSEARCH_INDEX") or "matchmaker-organizations"),
            timeout=float(config.get("ELASTICSEARCH_TIMEOUT") or 2.0),  # type: ignore[arg-type]
        )
    from matchmaker.search.sqlite_fts import SqliteFtsBackend

    # Merges of the pending log run in a child process by default: a thread would compete
    # with the worker's requests for the GIL (benchmarks/search.py, write run).
    return SqliteFtsBackend(
        str(config.get("SEARCH_INDEX_PATH") or DEFAULT_INDEX_PATH),
        merge=str(config.get("SEARCH_MERGE") or "process"),
    )
