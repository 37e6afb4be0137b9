"""Signed links mailed to people: verify an address, reset a password, join a team.

Each link is signed with the SECRET_KEY and a salt of its own (one kind of link never
passes for another), expires, and carries a value that changes once the link has been
used, so a used link no longer works.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from matchmaker.errors import DomainError

VERIFY_SALT = "matchmaker.accounts.verify-email"
RESET_SALT = "matchmaker.accounts.reset-password"
INVITE_SALT = "matchmaker.accounts.team-invitation"
VERIFY_MAX_AGE = 3 * 24 * 3600
RESET_MAX_AGE = 3600
INVITE_MAX_AGE = 7 * 24 * 3600
# Longer than any token we sign: refuse before doing any work.
MAX_TOKEN_LENGTH = 500


class BadLink(DomainError):
    """A link that is forged, expired or used up; ``reason`` says which."""

    status = 400
    code = "bad_link"
    default_message = _l("This link is not valid.")

    def __init__(self, reason: str, message: object = None):
        self.reason = reason  # "invalid", "expired" or "used"
        super().__init__(message)


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def sign(salt: str, payload: dict) -> str:
    return _serializer(salt).dumps(payload)


def unsign(salt: str, token: str, max_age: int) -> dict:
    """The payload of a genuine, unexpired token, else BadLink("invalid" | "expired")."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise BadLink("invalid")
    try:
        payload = _serializer(salt).loads(token, max_age=max_age)
    except SignatureExpired:
        raise BadLink("expired") from None
    except (BadSignature, UnicodeError, ValueError):
        raise BadLink("invalid") from None
    if not isinstance(payload, dict):
        raise BadLink("invalid")
    return payload


def stamp(value: datetime | None) -> str:
    """A short fingerprint of a moment (or of nothing), bound into single-use links."""
    return value.isoformat() if value is not None else ""


def fingerprint(secret_material: str) -> str:
    """A short digest of a password hash: the link dies when the password changes."""
    return hashlib.sha256(secret_material.encode()).hexdigest()[:20]


def public_url(path: str) -> str:
    """An absolute address for mails, built from PUBLIC_URL (never from the request's Host)."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + path
