"""One log line per request, each with a request id that is also sent back to the client.

The id comes from the client's (or load balancer's) ``X-Request-ID`` when it is sane (1–64
characters of ``A-Za-z0-9._-``), otherwise it is generated. It is returned in the
``X-Request-ID`` response header and shown on the 500 page, so a user can quote it and an
operator can find the log line (and, with a proxy that sets the header, the proxy's line).

The line goes to the logger ``matchmaker.request``: method, path, status, duration and id.
Query strings are left out except the values of a few harmless keys (search words, page,
sort, language); path segments that are secrets (sign-in links, calendar addresses) are
replaced by ``…``. Health checks are logged at DEBUG so load balancers do not flood the log.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from urllib.parse import urlencode

from flask import Flask, g, has_request_context, request

logger = logging.getLogger("matchmaker.request")

HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Query keys whose values are never secret and help reading the log.
SAFE_QUERY_KEYS = frozenset({"q", "page", "sort", "lang", "kind", "per_page", "format"})
# URL parameters that carry a secret (signed links, calendar subscription addresses).
SECRET_VIEW_ARGS = frozenset({"token", "secret", "key", "signature"})
QUIET_PATHS = frozenset({"/healthz", "/readyz"})


def init_app(app: Flask) -> None:
    """Run first before every request and last after it (other hooks may answer early)."""
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request_funcs.setdefault(None, []).insert(0, _finish)
    logger.setLevel(logging.DEBUG if app.debug else logging.INFO)
    if not app.testing and not logger.handlers and not logging.getLogger().handlers:
        # Nobody configured logging (plain `matchmaker serve`): write the lines to stderr,
        # where gunicorn writes its own.
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False


def request_id() -> str | None:
    """This request's id (made on first use, so error pages always have one)."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        g.request_id = _incoming_or_new()
    return g.request_id


def _incoming_or_new() -> str:
    incoming = request.headers.get(HEADER, "")
    if _SANE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def _start() -> None:
    g.request_started = time.perf_counter()
    request_id()


def _finish(response):
    rid = request_id()
    response.headers[HEADER] = rid
    if g.pop("request_logged", False):  # an error handler's second pass
        return response
    g.request_logged = True
    started = g.get("request_started")
    duration_ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    path = loggable_path()
    level = logging.DEBUG if request.path in QUIET_PATHS else logging.INFO
    logger.log(
        level,
        "%s %s %s %.1fms id=%s",
        request.method,
        path,
        response.status_code,
        duration_ms,
        rid,
        extra={
            "method": request.method,
            "path": path,
            "status": response.status_code,
            "duration_ms": round(duration_ms, 1),
            "request_id": rid,
        },
    )
    return response


def loggable_path() -> str:
    """The path with secret segments masked, plus only the harmless query arguments."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if name in SECRET_VIEW_ARGS and value:
            path = path.replace(str(value), "…")
    kept = [(key, value) for key, value in request.args.items(multi=True) if key in SAFE_QUERY_KEYS]
    if kept:
        path += "?" + urlencode(kept)
    return path
