"""Fixtures for the search contract: a document factory and one backend per implementation.

The Elasticsearch node comes from MATCHMAKER_ELASTICSEARCH_URL, or is started
for the session by tests/elasticsearch/node.py. Without one the Elasticsearch
cases skip, unless MATCHMAKER_REQUIRE_SERVICES=1, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest

from matchmaker.reference import family_of, market_groups
from matchmaker.search.base import SearchBackend
from matchmaker.search.sqlite_fts import FTS_LIMIT, SqliteFtsBackend

# "sqlite-postings" sends every term to the in-memory postings instead of FTS5, so
# both ways the SQLite backend resolves a term meet the same contract.
BACKENDS = [
    "sqlite",
    "sqlite-postings",
    pytest.param("elasticsearch", marks=pytest.mark.elasticsearch),
]


def doc(**overrides) -> dict:
    """Return an organization document (docs/INTERFACES.md) with sensible defaults."""
    values = {
        "id": 1,
        "kind": "provider",
        "name": "Example Org",
        "country": "CN",
        "city": "Dalian",
        "services": ["ito.software_rd"],
        "target_markets": [],
        "languages": ["en", "zh"],
        "certifications": [],
        "industries": [],
        "size": "50-249",
        "budget": None,
        "visibility": "public",
        "verified": False,
        "texts": {"en": "An example organization."},
        "search_terms": "",
        "updated_at": "2026-11-26T10:00:00+00:00",
    }
    values.update(overrides)
    values.setdefault("markets", list(market_groups(values["country"])))
    values.setdefault("families", sorted({family_of(code) for code in values["services"]}))
    return values


@pytest.fixture
def make_doc() -> Callable[..., dict]:
    return doc


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("MATCHMAKER_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (MATCHMAKER_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def elasticsearch_url(tmp_path_factory) -> Iterator[str]:
    """URL of a real Elasticsearch node for the whole session."""
    url = os.environ.get("MATCHMAKER_ELASTICSEARCH_URL")
    if url:
        yield url
        return
    from tests.elasticsearch.node import NodeUnavailable, start_node

    try:
        node = start_node(tmp_path_factory.mktemp("elasticsearch"))
    except NodeUnavailable as error:
        _skip_or_fail(f"no Elasticsearch node: {error}")
    try:
        yield node.url
    finally:
        node.stop()


class BackendFactory:
    """Opens backends on one index; a second handle stands for another worker."""

    def __init__(self, kind: str, request: pytest.FixtureRequest, directory) -> None:
        self.kind = kind
        self.name = f"test-search-{uuid.uuid4().hex[:12]}"
        self.directory = directory
        self.url = request.getfixturevalue("elasticsearch_url") if kind == "elasticsearch" else ""

    def open(self) -> SearchBackend:
        if self.kind.startswith("sqlite"):
            # A low threshold, so a few writes already fold the delta into a new segment.
            return SqliteFtsBackend(
                self.directory / f"{self.name}.sqlite3",
                compact_after=3,
                fts_limit=0 if self.kind == "sqlite-postings" else FTS_LIMIT,
            )
        from matchmaker.search.elastic import ElasticBackend

        return ElasticBackend(self.url, index=self.name)

    def drop(self) -> None:
        if self.kind == "elasticsearch":
            from elasticsearch import Elasticsearch

            with Elasticsearch(self.url, request_timeout=30) as client:
                client.options(ignore_status=404).indices.delete(index=f"{self.name}-*")


@pytest.fixture(params=BACKENDS)
def backends(request, tmp_path) -> Iterator[BackendFactory]:
    factory = BackendFactory(request.param, request, tmp_path)
    yield factory
    factory.drop()


@pytest.fixture
def backend(backends) -> SearchBackend:
    """An empty index of each backend, dropped after the test."""
    return backends.open()


@pytest.fixture(scope="module", params=BACKENDS)
def corpus_backends(request, tmp_path_factory) -> Iterator[BackendFactory]:
    factory = BackendFactory(request.param, request, tmp_path_factory.mktemp("search"))
    yield factory
    factory.drop()
