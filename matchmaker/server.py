"""Run the app under gunicorn from the command line (`matchmaker serve` / `demo`)."""

from __future__ import annotations

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


def run(app: Flask, host: str, port: int, workers: int) -> None:
    # Threads let one worker answer while another request waits on the database.
    options = {
        "bind": f"{host}:{port}",
        "workers": max(1, workers),
        "threads": 4,
        "worker_class": "gthread",
        "accesslog": "-",
        "timeout": 60,
    }
    # Each worker opens its own connections and search index after the fork.
    app.extensions["matchmaker.engine"].dispose()
    app.extensions["matchmaker.search"] = None
    _Server(app, options).run()
