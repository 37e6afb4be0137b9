"""JSON API v1: thin routes over the service layer, each declared once (spec.py)."""

from __future__ import annotations

from flask import Blueprint, g, request
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker import db
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


@bp.before_request
def _refuse_bad_credentials():
    """A token that does not work is an error on every route, never a silent anonymous read."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    from matchmaker.accounts.service import user_for_token

    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or user_for_token(db.session(), token.strip()) is None:
        g.invalid_token = True
        raise NotAuthenticated(_("The API token is not valid, has expired or was revoked."))
    return None


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
def _headers(response):
    response.headers.setdefault("Cache-Control", "no-store")
    if response.status_code == 401:
        challenge = 'Bearer realm="matchmaker"'
        if g.get("invalid_token"):
            challenge += ', error="invalid_token"'
        response.headers["WWW-Authenticate"] = challenge
    return response


# Routes register on bp as these modules load.
from . import (  # noqa: E402,F401
    auth,
    conversations,
    exhibitions,
    meetings,
    notifications,
    openapi,
    organizations,
    outcomes,
    reference,
    scheduling,
    shortlist,
    statistics,
    team,
)
