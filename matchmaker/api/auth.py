"""Tokens and the signed-in account."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from matchmaker import db
from matchmaker.accounts import recovery, service, throttle
from matchmaker.errors import NotAuthenticated, TooManyRequests
from matchmaker.profiles.models import Organization

from . import bp, require_user
from .errors import domain_error_response
from .schemas.accounts import Account, Credentials, Me, NewToken, Token, Tokens, Verification
from .schemas.organizations import OrganizationSummary
from .spec import operation


def summary(org: Organization) -> OrganizationSummary:
    return OrganizationSummary(
        id=org.id,
        name=org.name,
        kind=org.kind,
        country=org.country,
        url=url_for("profiles.show", org_id=org.id, _external=True),
    )


@operation(
    "post",
    "/v1/auth/tokens",
    operation_id="createToken",
    tag="auth",
    summary="Create an API token",
    description="Exchange an account's e-mail and password for a bearer token that works "
    "for `expires_in_days` (default 90, at most 365); an expired token answers 401 like a "
    "revoked one. Attempts are throttled (429 with Retry-After): failures per account and "
    "address and per address, every attempt per address, every new token per account.",
    auth="public",
    body=Credentials,
    response=NewToken,
    status=201,
    errors=(429,),
    links={
        "revokeToken": {
            "operationId": "revokeToken",
            "parameters": {"token_id": "$response.body#/id"},
        }
    },
)
def create_token(body: Credentials):
    address = request.remote_addr
    pair, from_address = throttle.sign_in_keys(address, body.email)
    attempts = throttle.address_key(throttle.TOKEN_ADDRESS, address)
    minted = throttle.account_key(throttle.TOKEN_ACCOUNT, service.normalize_email(body.email))
    throttle.check(
        db.session(),
        (throttle.LOGIN_PAIR, pair),
        (throttle.LOGIN_ADDRESS, from_address),
        (throttle.TOKEN_ADDRESS, attempts),
        (throttle.TOKEN_ACCOUNT, minted),
    )
    throttle.TOKEN_ADDRESS.hit(db.session(), attempts)
    user = service.authenticate(db.session(), body.email, body.password)
    if user is None:
        throttle.sign_in_failed(db.session(), address, body.email)
        raise NotAuthenticated(_("The e-mail or the password is wrong."))
    throttle.sign_in_succeeded(db.session(), address, body.email)
    # Per account only tokens actually made count: a stranger's guesses cannot lock it.
    throttle.TOKEN_ACCOUNT.hit(db.session(), minted)
    token, plain = service.create_token(
        db.session(), user, body.name or "api", expires_in_days=body.expires_in_days
    )
    return NewToken(**_token_fields(token), token=plain, token_type="Bearer")


def _token_fields(token) -> dict:
    return {
        "id": token.id,
        "name": token.name,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
    }


@operation(
    "get",
    "/v1/auth/tokens",
    operation_id="listTokens",
    tag="auth",
    summary="List my API tokens",
    description="The tokens of the signed-in account that still work (not revoked, not "
    "expired), with when each expires and was last used (never the secrets).",
    auth="user",
    response=Tokens,
)
def list_tokens():
    tokens = service.list_tokens(db.session(), require_user())
    return Tokens(
        items=[Token(**_token_fields(t)) for t in tokens if service.token_state(t) == "active"]
    )


@operation(
    "delete",
    "/v1/auth/tokens/<id:token_id>",
    operation_id="revokeToken",
    tag="auth",
    summary="Revoke an API token",
    description="The token stops working at once. Revoking an already revoked token is fine.",
    auth="user",
    status=204,
    path_params={"token_id": "The token's id (from createToken or listTokens)."},
)
def revoke_token(token_id: int):
    service.revoke_token(db.session(), require_user(), token_id)


@operation(
    "get",
    "/v1/me",
    operation_id="getMe",
    tag="auth",
    summary="The signed-in account",
    description="The account, its role and the organization it acts for.",
    auth="user",
    response=Me,
)
def me():
    user = require_user()
    org = db.session().get(Organization, user.organization_id) if user.organization_id else None
    account = Account(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        locale=user.locale,
        role=user.role,
    )
    return Me(user=account, role=user.role, organization=summary(org) if org else None)


@operation(
    "post",
    "/v1/auth/verification",
    operation_id="resendVerification",
    tag="auth",
    summary="Send the verification link again",
    description="Mails a new link to confirm the account's address (at most 3 an hour: 429). "
    "Nothing is sent when the address is confirmed already.",
    auth="user",
    response=Verification,
    errors=(429,),
)
def resend_verification():
    user = require_user()
    sent = recovery.send_verification(db.session(), user, locale=str(get_locale()))
    return Verification(email=user.email, verified=user.email_verified_at is not None, sent=sent)


@bp.errorhandler(TooManyRequests)
def _too_many_requests(error: TooManyRequests):
    """The usual error body, plus Retry-After: when the throttle lets the next attempt pass."""
    body, status = domain_error_response(error)
    body.headers.update(error.headers)
    return body, status
