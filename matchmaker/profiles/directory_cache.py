"""What the directory can reuse between readers: search results and whole anonymous pages.

* A search result is the same for every reader with the same query (text, filters, the
  visibilities they may see, page, sort, locale) at the same index version: kept per
  (index version, query). Any write by any worker raises the version, so a kept result is
  never older than the index.
* Anonymous readers (most buyers browse before they sign up) all see the same page for an
  address and a locale: kept per (locale, address, index version, database change
  counter). Every write to an organization (create, edit, verify, delete, import) and every
  interaction logs a ``GraphChange`` in the same transaction (profiles/service.py), so the
  database keeps the last word on what a page shows. A reader with messages waiting
  (flashes) or signed in is never served a kept page.
* The organizations a results page shows, as loaded at the same database change counter
  (signed-in readers and the API list reuse them; the visibility check stays per reader).

Only the embedded index has a version to key on; with Elasticsearch results and pages are
not kept (the organizations and the facet panel cache in facets.py still are).
"""

from __future__ import annotations

import threading
import weakref

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import func
from sqlmodel import Session, select

from matchmaker.search.base import SearchQuery, SearchResult, SearchUnavailable
from matchmaker.search.runtime import current_backend

from .facets import _Lru
from .models import GraphChange, Organization
from .service import organizations_by_ids

RESULT_ENTRIES = 256
PAGE_ENTRIES = 256
ORG_ENTRIES = 5000

# Kept per backend object: an app (and its database) has one; a test's new app or a new
# index file gets a new backend, hence fresh caches, even when its counters start alike.
_caches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


class _Caches:
    def __init__(self) -> None:
        self.results = _Lru(RESULT_ENTRIES)
        self.pages = _Lru(PAGE_ENTRIES)
        # Organizations as loaded at one database change counter (all of them stale after).
        self.org_version: int | None = None
        self.orgs: dict[int, Organization] = {}
        self.org_lock = threading.Lock()


def _caches_of(backend) -> _Caches:
    caches = _caches.get(backend)
    if caches is None:
        with _caches_lock:
            caches = _caches.get(backend)
            if caches is None:
                caches = _caches[backend] = _Caches()
    return caches


def index_version(backend=None) -> int | None:
    """The search index's write counter, or None when the backend has none (or is down)."""
    version = getattr(backend or current_backend(), "version", None)
    if version is None:
        return None
    try:
        return version()
    except SearchUnavailable:
        return None


def _query_key(query: SearchQuery) -> tuple:
    return (
        query.text,
        tuple((key, tuple(values)) for key, values in query.filters.items()),
        tuple(query.visibilities),
        query.page,
        query.per_page,
        query.sort,
        query.locale,
    )


def search(query: SearchQuery) -> SearchResult:
    """The backend's answer to ``query``, reused while the index stays at the same version."""
    backend = current_backend()
    version = index_version(backend)
    if version is None:
        return backend.search(query)
    results = _caches_of(backend).results
    key = (version, _query_key(query))
    result = results.get(key)
    if result is None:
        result = backend.search(query)
        results.put(key, result)
    return result


def data_version(db: Session) -> int | None:
    """The database's change counter for organizations and their interactions."""
    return db.exec(select(func.max(GraphChange.id))).one()


def organizations(db: Session, ids: list[int]) -> dict[int, Organization]:
    """``organizations_by_ids``, reused while the database's change counter stays put.

    Loaded in a session of their own and detached from it, fully (columns and texts), so
    that they stay readable from any request; templates only read them.
    """
    if not ids:
        return {}
    caches = _caches_of(current_backend())
    version = data_version(db)
    with caches.org_lock:
        if caches.org_version != version or len(caches.orgs) > ORG_ENTRIES:
            caches.org_version, caches.orgs = version, {}
        found = {org_id: caches.orgs[org_id] for org_id in ids if org_id in caches.orgs}
    missing = [org_id for org_id in ids if org_id not in found]
    if missing:
        engine = current_app.extensions["matchmaker.engine"]
        with Session(engine, expire_on_commit=False) as fresh:
            loaded = organizations_by_ids(fresh, missing)
        found.update(loaded)
        with caches.org_lock:
            if caches.org_version == version:
                caches.orgs.update(loaded)
    return found


def page_key(db: Session) -> tuple | None:
    """The key of this request's page when it is the same for every reader, else None."""
    if current_user.is_authenticated or session.get("_flashes"):
        return None
    backend = current_backend()
    version = index_version(backend)
    if version is None:
        return None
    changes = data_version(db)
    locale = str(get_locale() or "en")
    return (backend, locale, request.script_root, request.full_path, version, changes)


def kept_page(key: tuple | None) -> tuple[str, int] | None:
    if key is None:
        return None
    return _caches_of(key[0]).pages.get(key[1:])


def keep_page(key: tuple | None, html: str, status: int) -> None:
    if key is not None and status == 200:
        _caches_of(key[0]).pages.put(key[1:], (html, status))


def clear() -> None:
    """Forget everything kept (tests)."""
    with _caches_lock:
        _caches.clear()
