"""Health checks for load balancers and orchestrators (outside /api, not in the OpenAPI document).

* ``GET /healthz``: the process answers (touches nothing else): 200 ``{"status": "ok"}``.
* ``GET /readyz``: this worker can serve: the database answers ``SELECT 1``, its schema is at
  the newest migration, and the search backend answers (the embedded index file opens, or
  Elasticsearch answers a ping). 200 ``{"status": "ready", "checks": {...}}``, otherwise 503
  ``{"status": "unavailable", "checks": {...}}`` naming what is wrong. A positive migration
  check is remembered for a few seconds, so frequent probes cost one ``SELECT 1`` and a ping.

Neither reads the session, needs a CSRF token or counts against a throttle; other request
hooks (sessions, throttles) skip them with :func:`is_health_check`.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Blueprint, Flask, current_app, jsonify, request
from sqlalchemy import text

logger = logging.getLogger("matchmaker.health")

bp = Blueprint("health", __name__)
PATHS = frozenset({"/healthz", "/readyz"})
# How long a "migrations are current" answer is trusted before alembic is asked again.
MIGRATIONS_CACHE_SECONDS = 10.0


def is_health_check() -> bool:
    """Whether this request is a health probe (for hooks that should leave it alone)."""
    return request.path in PATHS


def init_app(app: Flask) -> None:
    from matchmaker.extensions import csrf

    app.extensions["matchmaker.health"] = {
        "lock": threading.Lock(),
        "heads": None,
        "migrations_ok_until": 0.0,
    }
    csrf.exempt(bp)
    app.register_blueprint(bp)


def _answer(body: dict, status: int):
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz():
    return _answer({"status": "ok"}, 200)


@bp.get("/readyz")
def readyz():
    checks = {
        "database": _check_database(),
        "migrations": "skipped",
        "search": _check_search(),
    }
    if checks["database"] == "ok":
        checks["migrations"] = _check_migrations()
    ready = all(value == "ok" for value in checks.values())
    body = {"status": "ready" if ready else "unavailable", "checks": checks}
    return _answer(body, 200 if ready else 503)


def _engine():
    return current_app.extensions["matchmaker.engine"]


def _check_database() -> str:
    try:
        with _engine().connect() as connection:
            connection.execute(text("SELECT 1")).scalar_one()
    except Exception as error:  # any failure means "not ready"; the details go to the log
        logger.warning("readiness: the database does not answer: %s", error)
        return "unreachable"
    return "ok"


def _head_revisions(state: dict) -> set[str]:
    """The newest revisions shipped with this code (read once: they do not change)."""
    if state["heads"] is None:
        from alembic.script import ScriptDirectory

        from matchmaker.migrate import alembic_config

        script = ScriptDirectory.from_config(alembic_config(str(_engine().url)))
        state["heads"] = set(script.get_heads())
    return state["heads"]


def _check_migrations() -> str:
    state = current_app.extensions["matchmaker.health"]
    if time.monotonic() < state["migrations_ok_until"]:
        return "ok"
    from alembic.runtime.migration import MigrationContext

    try:
        with state["lock"]:
            heads = _head_revisions(state)
        with _engine().connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as error:
        logger.warning("readiness: cannot read the migration state: %s", error)
        return "unknown"
    if current != heads:
        shown = ", ".join(sorted(current)) or "none"
        return f"behind: database at {shown}, code expects {', '.join(sorted(heads))}"
    state["migrations_ok_until"] = time.monotonic() + MIGRATIONS_CACHE_SECONDS
    return "ok"


def _check_search() -> str:
    from matchmaker.search.runtime import current_backend

    try:
        answered = current_backend().ping()
    except Exception as error:
        logger.warning("readiness: the search backend failed: %s", error)
        answered = False
    return "ok" if answered else "unreachable"
