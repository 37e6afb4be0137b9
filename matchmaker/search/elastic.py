"""Elasticsearch backend (scale-out): the official client, per-language analyzers.

Readers search an alias; ``rebuild`` fills a fresh concrete index and swaps
the alias in one step, so a reindex never shows a half-empty directory.
Writes wait for the refresh, so the next search sees them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from matchmaker.search import elastic_schema as schema
from matchmaker.search.base import (
    Hit,
    ProgressCallback,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
    validate_query,
)
from matchmaker.search.highlight import snippet
from matchmaker.search.text import query_terms

BULK_CHUNK = 500
# Searches fail fast (``timeout``); writes may wait for a refresh, index creation
# for its shard, and a bulk load for a busy node.
WRITE_TIMEOUT = 30.0
BULK_TIMEOUT = 120.0


class ElasticBackend:
    """Search backend over one Elasticsearch index alias."""

    def __init__(self, url: str, *, index: str = "matchmaker-organizations", timeout: float = 2.0):
        self.url = url
        self.alias = index
        self.timeout = timeout
        self._client: Any = None
        self._ready = False

    @property
    def client(self) -> Any:
        if self._client is None:
            # Imported here: the package (and the SQLite backend) work without the client.
            from elasticsearch import Elasticsearch

            self._client = Elasticsearch(
                self.url, request_timeout=self.timeout, max_retries=1, retry_on_timeout=False
            )
        return self._client

    @property
    def _writer(self) -> Any:
        return self.client.options(request_timeout=WRITE_TIMEOUT)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn every client or transport failure into SearchUnavailable."""
        from elasticsearch import ApiError, TransportError

        try:
            yield
        except (ApiError, TransportError) as error:
            raise SearchUnavailable(f"Elasticsearch at {self.url}: {error}") from error

    # -- index management ----------------------------------------------------

    def _create_index(self) -> str:
        name = f"{self.alias}-{time.time_ns()}"
        self._writer.indices.create(
            index=name, settings=schema.SETTINGS, mappings=schema.mappings()
        )
        return name

    def _ensure_index(self) -> None:
        if self._ready:
            return
        with self._errors():
            if not self.client.indices.exists_alias(name=self.alias):
                name = self._create_index()
                self._writer.indices.put_alias(index=name, name=self.alias)
        self._ready = True

    # -- writes ----------------------------------------------------------------

    def index(self, docs: Iterable[dict]) -> None:
        actions = [
            {"_index": self.alias, "_id": str(doc["id"]), "_source": schema.source(doc)}
            for doc in docs
        ]
        if not actions:
            return
        self._ensure_index()
        self._bulk(actions, refresh="wait_for")

    def delete(self, org_id: int) -> None:
        self._ensure_index()
        with self._errors():
            self._writer.options(ignore_status=404).delete(
                index=self.alias, id=str(org_id), refresh="wait_for"
            )

    def rebuild(self, docs: Iterable[dict], progress: ProgressCallback | None = None) -> int:
        with self._errors():
            name = self._create_index()
            old = []
            if self._writer.indices.exists_alias(name=self.alias):
                old = list(self._writer.indices.get_alias(name=self.alias))
        count = 0
        for chunk in _chunks(docs, BULK_CHUNK):
            actions = [
                {"_index": name, "_id": str(doc["id"]), "_source": schema.source(doc)}
                for doc in chunk
            ]
            self._bulk(actions, refresh=False)
            count += len(actions)
            if progress:
                progress(count)
        with self._errors():
            client = self.client.options(request_timeout=BULK_TIMEOUT)
            client.indices.refresh(index=name)
            removals = [{"remove": {"index": index, "alias": self.alias}} for index in old]
            client.indices.update_aliases(
                actions=[*removals, {"add": {"index": name, "alias": self.alias}}]
            )
            if old:
                client.indices.delete(index=",".join(old), ignore_unavailable=True)
        self._ready = True
        return count

    def _bulk(self, actions: list[dict], refresh: bool | str) -> None:
        from elasticsearch.helpers import BulkIndexError, bulk

        with self._errors():
            client = self.client.options(request_timeout=BULK_TIMEOUT)
            try:
                bulk(client, actions, chunk_size=BULK_CHUNK, refresh=refresh)
            except BulkIndexError as error:
                raise SearchUnavailable(f"Elasticsearch refused documents: {error}") from error

    # -- reads -----------------------------------------------------------------

    def ping(self) -> bool:
        try:
            with self._errors():
                return bool(self.client.ping())
        except SearchUnavailable:
            return False

    def search(self, query: SearchQuery) -> SearchResult:
        query = validate_query(query)
        terms = query_terms(query.text)
        self._ensure_index()
        with self._errors():
            response = self.client.search(index=self.alias, **schema.search_body(query, terms))
        hits = []
        for hit in response["hits"]["hits"]:
            highlight = schema.pick_highlight(hit.get("highlight", {}), query.locale)
            if terms and not highlight:
                highlight = snippet(hit["_source"], terms, query.locale)
            score = (hit.get("_score") or 0.0) if terms else 0.0
            hits.append(Hit(id=int(hit["_id"]), score=round(float(score), 6), highlight=highlight))
        facets = {
            key: {
                bucket["key"]: bucket["doc_count"]
                for bucket in response["aggregations"][key]["values"]["buckets"]
            }
            for key in schema.FILTER_KEYS
        }
        total = response["hits"]["total"]["value"]
        return SearchResult(total=total, hits=hits, facets=facets)


def _chunks(items: Iterable[dict], size: int) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
