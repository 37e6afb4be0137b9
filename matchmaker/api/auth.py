"""Tokens and the signed-in account."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from matchmaker import db
from matchmaker.accounts import recovery, service
from matchmaker.accounts.throttle import sign_in_keys, sign_in_throttle
from matchmaker.errors import NotAuthenticated, TooManyRequests
from matchmaker.profiles.models import Organization

from . import require_user
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
    description="Exchange an account's e-mail and password for a bearer token. Failed "
    "attempts are throttled per address and account (429).",
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
    keys = sign_in_keys(request.remote_addr, body.email)
    if sign_in_throttle.blocked(*keys):
        raise TooManyRequests(_("Too many failed attempts. Wait a few minutes and try again."))
    user = service.authenticate(db.session(), body.email, body.password)
    if user is None:
        sign_in_throttle.fail(*keys)
        raise NotAuthenticated(_("The e-mail or the password is wrong."))
    sign_in_throttle.clear(keys[1])
    token, plain = service.create_token(db.session(), user, body.name or "api")
    return NewToken(
        id=token.id, name=token.name, created_at=token.created_at, token=plain, token_type="Bearer"
    )


@operation(
    "get",
    "/v1/auth/tokens",
    operation_id="listTokens",
    tag="auth",
    summary="List my API tokens",
    description="The tokens of the signed-in account that still work (never the secrets).",
    auth="user",
    response=Tokens,
)
def list_tokens():
    tokens = service.list_tokens(db.session(), require_user())
    return Tokens(
        items=[
            Token(id=t.id, name=t.name, created_at=t.created_at)
            for t in tokens
            if t.revoked_at is None
        ]
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
