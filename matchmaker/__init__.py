"""matchmaker: partner matching and B2B trade fairs for the service-outsourcing trade."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

_HERE = Path(__file__).resolve().parent
# Top-level static/ in a checkout; inside the package when installed from a wheel.
STATIC_DIR = _HERE.parent / "static" if (_HERE.parent / "static").is_dir() else _HERE / "static"


def create_app(config: dict | None = None) -> Flask:
    """Build the application; ``config`` overrides settings (tests use it)."""
    from matchmaker import db, i18n
    from matchmaker.config import load_config
    from matchmaker.extensions import babel, csrf, login_manager
    from matchmaker.matching import runtime as matching_runtime
    from matchmaker.search import runtime as search_runtime
    from matchmaker.web import register_web

    app = Flask(
        __name__,
        static_folder=str(STATIC_DIR),
        instance_path=os.environ.get("MATCHMAKER_INSTANCE_PATH") or None,
    )
    app.config.update(load_config(app.instance_path, config))
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config.setdefault("MAX_CONTENT_LENGTH", 1024 * 1024)  # profiles are text: 1 MB is plenty
    app.json.ensure_ascii = False

    if app.config["PROXY_COUNT"]:
        # Behind a load balancer: trust its X-Forwarded-* headers (client address, scheme)
        # so the sign-in throttle counts clients, not the proxy.
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    # 0. request ids and the request log: first in, last out of every request
    from matchmaker import requestlog

    requestlog.init_app(app)
    # 1. the database: every later part reads it
    db.init_app(app)
    # 2. languages, before anything renders
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(i18n.TRANSLATIONS_DIR),
    )
    # 3. security: CSRF on every form, sessions and bearer tokens
    csrf.init_app(app)
    login_manager.init_app(app)
    # 4. search index and matching graph, both created lazily on first use
    search_runtime.init_app(app)
    matching_runtime.init_app(app)
    # 5. pages, JSON API, health checks (/healthz, /readyz), command line
    register_web(app)
    from matchmaker import health

    health.init_app(app)
    # 5b. security headers, absolute URLs from the base URL, no-store on private pages
    from matchmaker import security

    security.init_app(app)
    # 6. the outbox sender: a thread per worker, started by its first request (after any fork)
    if app.config["MAIL_SENDER"] and not app.config.get("TESTING"):
        from matchmaker.notifications.mail import ensure_sender

        app.before_request(lambda: ensure_sender(app))

    from matchmaker.cli import register_cli

    register_cli(app)
    return app
