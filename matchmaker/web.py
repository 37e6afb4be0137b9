"""Blueprints, template helpers and error pages, bound in `create_app`."""

from __future__ import annotations

from urllib.parse import urlencode

from babel.lists import format_list
from flask import Flask, abort, current_app, render_template, request, session, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from matchmaker import db, i18n
from matchmaker.accounts.models import User
from matchmaker.extensions import login_manager
from matchmaker.reference import labels
from matchmaker.requestlog import request_id


class IdConverter(IntegerConverter):
    """A database id: 1 to 2³¹ − 1, so huge numbers are a 404, not a 500.

    The range is in the pattern itself: a value the pattern takes but the converter then
    refuses would make Werkzeug answer 405 for some methods instead of 404.
    """

    regex = (
        r"(?:[1-9]\d{0,8}|1\d{9}|20\d{8}|21[0-3]\d{7}|214[0-6]\d{6}|2147[0-3]\d{5}"
        r"|21474[0-7]\d{4}|214748[0-2]\d{3}|2147483[0-5]\d{2}|21474836[0-3]\d|214748364[0-7])"
    )

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2**31 - 1)


def _refuse_nul_bytes():
    """NUL characters are never meaningful here and PostgreSQL refuses them: stop them early."""
    values = [request.path, *(part for pair in request.args.items(multi=True) for part in pair)]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [part for pair in request.form.items(multi=True) for part in pair]
    elif request.method in ("POST", "PUT", "PATCH", "DELETE"):  # also chunked bodies
        raw = request.get_data(cache=True)
        if b"\x00" in raw or b"\\u0000" in raw:
            abort(400)
    if any("\x00" in value for value in values):
        abort(400)


def register_web(app: Flask) -> None:
    from matchmaker.accounts.views import bp as accounts_bp
    from matchmaker.api import bp as api_bp
    from matchmaker.conversations.views import bp as conversations_bp
    from matchmaker.exhibitions.blueprint import bp as exhibitions_bp
    from matchmaker.exhibitions.blueprint import register_template_helpers
    from matchmaker.extensions import csrf
    from matchmaker.home import bp as home_bp
    from matchmaker.matching.views import bp as matching_bp
    from matchmaker.notifications.views import bp as notifications_bp
    from matchmaker.notifications.views import unread_for_header
    from matchmaker.profiles.views import bp as profiles_bp

    app.url_map.converters["id"] = IdConverter
    app.before_request(_refuse_nul_bytes)
    app.before_request(i18n.remember_requested_locale)
    app.before_request(_check_session)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.user_loader(_load_user)
    login_manager.request_loader(_load_user_from_bearer)

    app.register_blueprint(home_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(profiles_bp)
    app.register_blueprint(matching_bp)
    app.register_blueprint(exhibitions_bp)
    app.register_blueprint(conversations_bp)
    app.register_blueprint(notifications_bp)
    # Called by the header only when it renders, so pages without it pay nothing.
    app.jinja_env.globals["unread_notifications"] = unread_for_header
    register_template_helpers(app)
    # The API authenticates by bearer token or session and only takes JSON bodies, which a
    # cross-site form cannot send without a CORS preflight; so CSRF tokens are not needed there.
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)

    app.context_processor(_template_globals)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.jinja_env.filters["number"] = lambda value: format_decimal(value)
    # "a, b and c" in the reader's language (CLDR list patterns: 、 in Chinese, و in Arabic).
    app.jinja_env.filters["language_name"] = labels.language_name
    app.jinja_env.filters["target_market"] = labels.target_market_label
    app.jinja_env.filters["certification"] = lambda code: labels.CERTIFICATION_LABELS.get(
        code, code
    )
    app.jinja_env.filters["industry"] = lambda code: labels.INDUSTRY_LABELS.get(code, code)
    app.jinja_env.filters["join_list"] = lambda items: format_list(
        [str(item) for item in items], locale=get_locale() or "en"
    )
    app.jinja_env.add_extension("jinja2.ext.do")


def _load_user(user_id: str) -> User | None:
    """The account of this browser's session row, if it still lives (accounts/sessions.py).

    Logout, "sign out other sessions" and a password change end rows: a cookie copied
    before that opens nothing. A remember-me cookie also comes through here, so it cannot
    revive an ended session either.
    """
    from matchmaker.accounts import sessions

    user = sessions.user_for_key(db.session(), user_id, session.get(sessions.COOKIE_KEY))
    if user is None:
        # Treat the browser as signed out from now on.
        for key in ("_user_id", "_fresh", "_id", sessions.COOKIE_KEY, "epoch"):
            session.pop(key, None)
    return user


def _check_session() -> None:
    """Look the session row up before the view runs (so its last-seen write commits alone)."""
    if "_user_id" in session and request.endpoint != "static":
        from flask_login import current_user

        current_user._get_current_object()


def _load_user_from_bearer(req) -> User | None:
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not req.path.startswith("/api/"):
        return None
    from matchmaker.accounts.service import user_for_token

    return user_for_token(db.session(), header[7:].strip())


def url_with_args(path: str | None = None, **changes: list[str] | str | None) -> str:
    """This page's (or ``path``'s) address with some query arguments replaced or removed.

    Built from the raw arguments rather than through url_for, so that a crafted query
    (``_anchor``, ``_scheme`` or a key that clashes with a path parameter) stays plain data.
    """
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value in (None, [], ""):
            args.pop(key, None)
        else:
            args[key] = [value] if isinstance(value, str | int) else list(value)
    query = urlencode([(key, v) for key, values in args.items() for v in values])
    if path is None:
        # Relative to this page: the raw path never reaches the link (a crafted one such as
        # "/%5Cevil.com" would otherwise become a link to another site).
        return f"?{query}"
    return path + (f"?{query}" if query else "")


def _switch_url(locale: str) -> str:
    return url_with_args(lang=locale)


def _template_globals() -> dict:
    locale = str(get_locale() or "en")
    return {
        "current_locale": locale,
        "html_lang": i18n.html_lang(locale),
        "text_dir": i18n.text_direction(locale),
        "locales": [(code, i18n.locale_autonym(code)) for code in i18n.LOCALES],
        "switch_url": _switch_url,
        "url_with_args": url_with_args,
        "labels": labels,
        "toggle_url": toggle_url,
        "is_active": is_active,
        "page_window": page_window,
        "lang_attr": lambda loc: Markup(f' lang="{i18n.html_lang(loc)}"') if loc else "",
    }


def _http_error(error: HTTPException):
    if (error.code or 500) >= 500:
        # Whatever failed may have left the request's transaction unusable.
        db.session().rollback()
    if request.path.startswith("/api/"):
        from matchmaker.api.errors import error_response

        message = _http_message(error.code)
        if (error.code or 500) >= 500:
            # Translators: an API error message followed by the id to quote to support.
            message = _(
                "%(message)s Reference: %(reference)s", message=message, reference=request_id()
            )
        response, status = error_response(error.code or 500, _http_code(error.code), message)
        # 405 names the methods the path takes (Allow), as HTTP asks.
        for name, value in error.get_headers():
            if name.lower() == "allow":
                response.headers["Allow"] = value
        return response, status
    if error.code in (301, 302, 303, 307, 308) or error.code is None:
        return error
    if error.code >= 500:
        return _server_error_page(error.code)
    return (
        render_template("error.html", status=error.code, message=_http_message(error.code)),
        error.code,
    )


def _server_error_page(status: int):
    """The 500 page, with the request id to quote; plain if the site's layout cannot render
    (the database behind the header may be what failed)."""
    reference = request_id()
    try:
        page = render_template(
            "errors/500.html", status=status, message=_http_message(status), reference=reference
        )
    except Exception:
        current_app.logger.exception("the error page failed; answering the plain one")
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f"<title>Error {status}</title></head><body><h1>Error {status}</h1>"
            "<p>Something went wrong on our side. Try again later.</p>"
            "<p>If you contact us about this, quote this reference: "
            f"<code>{escape(reference)}</code></p></body></html>"
        )
    return page, status


def _csrf_error(_error: CSRFError):
    message = _("This form expired or came from another site. Reload the page and send it again.")
    return render_template("error.html", status=400, message=message), 400


def _http_code(status: int | None) -> str:
    return {
        400: "bad_request",
        401: "not_authenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "too_large",
        415: "unsupported_media_type",
        429: "too_many_requests",
    }.get(status or 500, "error")


def _http_message(status: int | None) -> str:
    messages = {
        400: _("The request could not be understood. Check the form and try again."),
        401: _("Sign in first."),
        403: _("You may not do this."),
        404: _("This page does not exist."),
        405: _("This address does not accept that kind of request."),
        413: _("The request is too large."),
        415: _("Send JSON with the header Content-Type: application/json."),
        429: _("Too many requests. Wait a moment and try again."),
    }
    return messages.get(status or 500, _("Something went wrong on our side. Try again later."))


def toggle_url(key: str, value: str) -> str:
    """The directory address with one filter value switched on or off (back to page 1)."""
    values = [v for raw in request.args.getlist(key) for v in raw.split(",") if v]
    values = [v for v in values if v != value] if value in values else [*values, value]
    return url_with_args(url_for("profiles.index"), **{key: values, "page": None})


def page_window(current: int, pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to link: the first, the last and a few around the current one (None = gap)."""
    shown = sorted({1, pages, *range(max(1, current - around), min(pages, current + around) + 1)})
    window: list[int | None] = []
    for number in shown:
        if window and number - window[-1] > 1:
            window.append(None)
        window.append(number)
    return window


def is_active(key: str, value: str) -> bool:
    return value in [v for raw in request.args.getlist(key) for v in raw.split(",")]
