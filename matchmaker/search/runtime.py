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
