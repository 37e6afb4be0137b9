"""The app's search backend: made on first use, kept on the app."""

from __future__ import annotations

import threading

from flask import Flask, current_app

_lock = threading.Lock()


def init_app(app: Flask) -> None:
    app.extensions["matchmaker.search"] = None


def current_backend():
    """Return the configured backend (Elasticsearch or the embedded index), creating it once."""
    backend = current_app.extensions.get("matchmaker.search")
    if backend is None:
        with _lock:
            backend = current_app.extensions.get("matchmaker.search")
            if backend is None:
                from matchmaker.search import make_backend

                backend = make_backend(current_app.config)
                current_app.extensions["matchmaker.search"] = backend
    return backend


# Searches that make a worker load what every search needs (the stored segment, the
# delta, FTS5's pages, the in-memory postings for common and short terms), so the first
# reader after a start does not wait for it: one browse, a common term, a rare one, CJK.
WARM_UP_QUERIES = ("", "services", "qzxjv", "服务")


def _warm(backend) -> None:
    from matchmaker.search.base import SearchQuery

    for text in WARM_UP_QUERIES:
        backend.search(SearchQuery(text=text, visibilities=("public", "members", "hidden")))


def warm_up() -> None:
    """Prepare this worker's search backend (call with an app context, in the background)."""
    _warm(current_backend())
