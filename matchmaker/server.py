"""Run the app under gunicorn from the command line (`matchmaker serve` / `demo`)."""

from __future__ import annotations

import threading

from flask import Flask
from gunicorn.app.base import BaseApplication


class _Server(BaseApplication):
    def __init__(self, app: Flask, options: dict):
        self._app = app
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self._app


def _warm_up(app: Flask) -> None:
    """Load this worker's search index and build its matching graph in the background, so no
    request waits for them (readers search first)."""
    from matchmaker import db
    from matchmaker.matching.runtime import current_recommender
    from matchmaker.search.runtime import warm_up as warm_up_search

    with app.app_context():
        try:
            warm_up_search()
        except Exception:  # a failed warm-up only means the first search loads the index
            app.logger.exception("warming up the search index failed")
        try:
            current_recommender(db.session())
        except Exception:  # a failed warm-up only means the first request builds it
            app.logger.exception("warming up the matching graph failed")


def _post_worker_init(worker) -> None:
    threading.Thread(target=_warm_up, args=(worker.app.load(),), daemon=True).start()


def run(app: Flask, host: str, port: int, workers: int) -> None:
    # Threads let one worker answer while another request waits on the database.
    options = {
        "bind": f"{host}:{port}",
        "workers": max(1, workers),
        "threads": 4,
        "worker_class": "gthread",
        "accesslog": None,
        "timeout": 60,
        "post_worker_init": _post_worker_init,
    }
    # Each worker opens its own connections and search index after the fork.
    app.extensions["matchmaker.engine"].dispose()
    app.extensions["matchmaker.search"] = None
    _Server(app, options).run()
