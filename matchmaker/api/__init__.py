"""JSON API v1: thin routes over the service layer."""

from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.errors import DomainError, NotAuthenticated
from matchmaker.search.base import SearchQueryError, SearchUnavailable

from .errors import domain_error_response, error_response

bp = Blueprint("api", __name__, url_prefix="/api")


def viewer():
    return current_user if current_user.is_authenticated else None


def require_user():
    if not current_user.is_authenticated:
        raise NotAuthenticated(_("Sign in or send an Authorization: Bearer token."))
    return current_user


def json_body() -> dict:
    """The request's JSON object, or a 4xx explaining what is wrong with it."""
    if not request.is_json:
        raise _UnsupportedMedia()
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # absurdly deep nesting
        raise _BadBody() from None
    if not isinstance(data, dict):
        raise _BadBody()
    return data


class _UnsupportedMedia(DomainError):
    status = 415
    code = "unsupported_media_type"

    def __init__(self):
        super().__init__(_("Send JSON with the header Content-Type: application/json."))


class _BadBody(DomainError):
    status = 400
    code = "bad_request"

    def __init__(self):
        super().__init__(_("The body must be a JSON object."))


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError):
    return domain_error_response(error)


@bp.errorhandler(SearchUnavailable)
def _search_down(_error):
    return error_response(
        503, "search_unavailable", _("Search is unavailable right now. Try again shortly.")
    )


@bp.errorhandler(SearchQueryError)
def _bad_search(error):
    # The directory validates first; this only catches what a backend refuses on its own.
    return error_response(
        422,
        "validation_failed",
        _("The search could not be run with these settings."),
        {error.field: _("Not valid.")},
    )


@bp.after_request
def _no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    return response


from . import auth, openapi, organizations  # noqa: E402,F401  (routes register on bp)
