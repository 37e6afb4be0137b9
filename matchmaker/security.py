"""Security headers, absolute URLs from the configured base URL, and caching of private pages.

Bound once in `create_app` (after the blueprints, so every view exists):

- **Headers** on every response — pages, API, static files, error pages — through
  Flask-Talisman: a Content-Security-Policy without 'unsafe-inline' (no inline script or
  style attribute anywhere: JavaScript lives in static/js, CSS in static/css, server-drawn
  SVG uses presentation attributes and classes), X-Frame-Options, X-Content-Type-Options,
  Referrer-Policy, Permissions-Policy; HSTS and the redirect to HTTPS only when
  MATCHMAKER_SECURE_COOKIES is on. Talisman has no Cross-Origin-Opener-Policy: added here.
- **Host**: ``url_for(..., _external=True)`` builds on MATCHMAKER_BASE_URL, never on the
  request's Host header; MATCHMAKER_TRUSTED_HOSTS, when set, refuses other hosts with 400.
- **Caching**: every response to a signed-in browser (and any that sets a cookie, and the
  secret calendar feed) gets ``Cache-Control: private, no-store``, so a shared computer's
  back button or a proxy never shows someone's private pages. Static files keep theirs.
- **CSP reports**: ``POST /csp-report`` logs what browsers report and answers 204.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    session,
)
from flask_talisman import Talisman
from werkzeug.exceptions import SecurityError

log = logging.getLogger(__name__)

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
_NO_FEATURES = (
    "accelerometer",
    "browsing-topics",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "payment",
    "usb",
)
PERMISSIONS_POLICY = dict.fromkeys(_NO_FEATURES, "()")
REPORT_PATH = "/csp-report"
PRIVATE = "private, no-store"
# Responses private whoever asks: the calendar feed is opened by its secret address alone.
PRIVATE_ENDPOINTS = frozenset({"exhibitions.feed"})
# Load balancers probe these over plain HTTP: never redirect them.
_PROBE_PATHS = ("/healthz", "/readyz")
_REPORT_LIMIT = 16 * 1024


class _Talisman(Talisman):
    """Flask-Talisman, except that a Referrer-Policy a view set itself stays: a page with a
    secret in its address (a password-reset link) sends ``no-referrer``."""

    def _set_referrer_policy_headers(self, headers):
        headers.setdefault("Referrer-Policy", self.referrer_policy)


def init_app(app: Flask) -> None:
    secure = bool(app.config.get("SESSION_COOKIE_SECURE"))
    base_url(app)  # a wrong MATCHMAKER_BASE_URL stops the start, not the first mail
    _register_report_endpoint(app)
    # One Talisman per app: it keeps its options on itself, and tests build many apps.
    app.extensions["talisman"] = _Talisman(
        app,
        force_https=False,  # _https_only below: the base URL's host, probes left alone
        strict_transport_security=secure,
        strict_transport_security_include_subdomains=False,
        session_cookie_secure=secure,
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_report_uri=REPORT_PATH,
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy=PERMISSIONS_POLICY,
        x_content_type_options=True,
    )
    if secure:
        app.before_request(_https_only)
    app.after_request(_more_headers)

    hosts = app.config.get("TRUSTED_HOSTS") or []
    if isinstance(hosts, str):
        hosts = [name.strip() for name in hosts.split(",")]
    # Flask 3.1 checks the Host header against this list (None: any host).
    app.config["TRUSTED_HOSTS"] = [name for name in hosts if name] or None
    app.register_error_handler(SecurityError, _untrusted_host)

    _build_external_urls_on_base(app)


def base_url(app: Flask | None = None) -> str:
    """MATCHMAKER_BASE_URL without its trailing slash ("https://matchmaker.example")."""
    value = str((app or current_app).config["PUBLIC_URL"]).strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(
            f"MATCHMAKER_BASE_URL must be an http(s) address such as "
            f"https://matchmaker.example, not {value!r}"
        )
    return value


def external_url(path: str) -> str:
    """An absolute address for a path on this site ("/organizations/3")."""
    return base_url() + "/" + path.lstrip("/")


def _build_external_urls_on_base(app: Flask) -> None:
    """Make ``url_for(..., _external=True)`` start with the base URL in requests.

    Flask would take the scheme and host from the request, i.e. from a header the client
    chose. The path is built by Flask as usual (blueprint-relative names, defaults, build
    errors); only its beginning is replaced.
    """
    build = app.url_for

    def url_for(endpoint, *, _anchor=None, _method=None, _scheme=None, _external=None, **values):
        if not _external or not has_request_context():
            return build(
                endpoint,
                _anchor=_anchor,
                _method=_method,
                _scheme=_scheme,
                _external=_external,
                **values,
            )
        path = build(endpoint, _anchor=_anchor, _method=_method, _external=False, **values)
        root = request.script_root
        if root and path.startswith(root):
            path = path[len(root) :]
        base = base_url(app)
        if _scheme:
            base = _scheme + base[base.index(":") :]
        return base + path

    app.url_for = url_for
    app.jinja_env.globals["url_for"] = url_for  # Jinja kept the method it was created with


def _https_only() -> Response | None:
    """With secure cookies, plain HTTP is redirected to the base URL (never to the Host
    header's name). Load balancers' health probes and the debug server are left alone."""
    if request.is_secure or current_app.debug or request.path in _PROBE_PATHS:
        # Behind a proxy without MATCHMAKER_PROXY_COUNT, the usual header still counts
        # (as Flask-Talisman does), so a TLS proxy never gets a redirect loop.
        return None
    if request.headers.get("X-Forwarded-Proto", "").lower() == "https":
        return None
    base = base_url()
    if not base.startswith("https://"):
        base = "https://" + base.split("://", 1)[1]
    target = base + request.full_path.removesuffix("?")
    return redirect(target, 301 if request.method in ("GET", "HEAD") else 308)


def _signed_in() -> bool:
    user = g.get("_login_user")
    if user is None:
        if "_user_id" not in session:
            return False
        from flask_login import current_user

        user = current_user._get_current_object()
    return bool(getattr(user, "is_authenticated", False))


def _more_headers(response: Response) -> Response:
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint == "static":
        return response
    if "no-store" in (response.headers.get("Cache-Control") or ""):
        return response
    if (
        request.endpoint in PRIVATE_ENDPOINTS
        or "Set-Cookie" in response.headers
        or getattr(session, "modified", False)  # its cookie is written after this hook
        or request.authorization is not None
        or _signed_in()
    ):
        response.headers["Cache-Control"] = PRIVATE
        response.headers.pop("Expires", None)
    return response


def _untrusted_host(error: SecurityError) -> Response:
    """A Host header outside MATCHMAKER_TRUSTED_HOSTS: a plain 400 (the page templates would
    build links on that host, so they are not used)."""
    from flask_babel import gettext as _

    # Translators: the answer to a request addressed to a host name this site does not serve.
    text = _("Bad request: this site does not answer to that host name.")
    return Response(text + "\n", 400, mimetype="text/plain")


def _register_report_endpoint(app: Flask) -> None:
    from matchmaker.extensions import csrf

    def csp_report() -> Response:
        """Browsers post what the Content-Security-Policy blocked; log it, never fail."""
        if (request.content_length or 0) > _REPORT_LIMIT:
            return Response(status=413)
        raw = request.get_data(cache=True)  # the NUL-byte check may have read it already
        if len(raw) > _REPORT_LIMIT:
            return Response(status=413)
        try:
            report = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return Response(status=400)
        if isinstance(report, dict):
            report = report.get("csp-report", report)
        if isinstance(report, list):  # the Reporting API sends a list of reports
            report = [item.get("body", item) for item in report if isinstance(item, dict)]
        log.warning("CSP violation: %s", json.dumps(report, ensure_ascii=False)[:2000])
        return Response(status=204)

    app.add_url_rule(REPORT_PATH, "csp_report", csp_report, methods=["POST"])
    csrf.exempt(csp_report)
