"""Accounts: registration, sign-in, passwords and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from matchmaker.errors import NotFound, ValidationFailed
from matchmaker.profiles.models import Organization
from matchmaker.reference import LANGUAGE_CODES

from . import sessions
from .models import ROLES, ApiToken, User, utcnow

MIN_PASSWORD_LENGTH = 8
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_EMAIL = re.compile(EMAIL_PATTERN)
_PHONE = re.compile(r"^\+?[0-9 ()./-]{3,40}$")
# A real hash to compare against when the e-mail is unknown, so timing does not reveal accounts.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            fields={"password": _l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)}
        )


def create_user(
    db: Session,
    email: str,
    password: str,
    *,
    display_name: str = "",
    role: str = "member",
    organization_id: int | None = None,
    locale: str | None = None,
) -> User:
    """Create an account; the e-mail is unique whatever its case."""
    email = normalize_email(email)
    if not _EMAIL.match(email) or len(email) > 254:
        raise ValidationFailed(fields={"email": _l("Enter a valid e-mail address.")})
    _check_password(password)
    if role not in ROLES:
        raise ValidationFailed(fields={"role": _l("Unknown role.")})
    if organization_id is not None and db.get(Organization, organization_id) is None:
        raise ValidationFailed(fields={"organization": _l("No organization has this id.")})
    user = User(
        email=email,
        password_hash=generate_password_hash(password, method="scrypt"),
        display_name=(display_name or "").strip()[:120],
        role=role,
        organization_id=organization_id,
        locale=locale,
    )
    db.add(user)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        raise ValidationFailed(
            fields={"email": _l("An account with this e-mail already exists.")}
        ) from None
    return user


def valid_email(email: str) -> bool:
    return bool(_EMAIL.match(email)) and len(email) <= 254


def user_by_email(db: Session, email: str) -> User | None:
    return db.exec(select(User).where(User.email == normalize_email(email))).first()


def authenticate(db: Session, email: str, password: str) -> User | None:
    """Return the user whose e-mail and password match, else None."""
    user = user_by_email(db, email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    return user if check_password_hash(user.password_hash, password or "") else None


def change_password(
    db: Session, user: User, current: str, new: str, *, keep_session: str | None = None
) -> int:
    """Set a new password and end every other session and API token; return the new epoch.

    ``keep_session`` is the key of the browser that made the change: it stays signed in.
    """
    if not check_password_hash(user.password_hash, current or ""):
        raise ValidationFailed(fields={"current_password": _l("The current password is wrong.")})
    _check_password(new)
    set_password(db, user, new, keep_session=keep_session)
    db.commit()
    return user.session_epoch


def set_password(db: Session, user: User, new: str, *, keep_session: str | None = None) -> None:
    """Store a new password hash and end the user's sessions and tokens (caller commits)."""
    _check_password(new)
    user.password_hash = generate_password_hash(new, method="scrypt")
    end_sessions(db, user, keep_session=keep_session)


def end_sessions(db: Session, user: User, *, keep_session: str | None = None) -> None:
    """End the user's sessions (but ``keep_session``) and revoke every API token (caller commits).

    The epoch still counts password changes; the session rows are what signs browsers out.
    """
    user.session_epoch = (user.session_epoch or 0) + 1
    db.add(user)
    sessions.end_all(db, user, keep_key=keep_session)
    now = utcnow()
    for token in db.exec(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ):
        token.revoked_at = now
        db.add(token)


def update_contact_details(
    db: Session, user: User, *, title: str, phone: str, spoken_languages: list[str]
) -> None:
    """Save what the organization's contact person shows: job title, phone, languages."""
    title = (title or "").strip()
    phone = (phone or "").strip()
    fields: dict[str, object] = {}
    if len(title) > 120:
        fields["title"] = _l("Use at most %(n)d characters.", n=120)
    if len(phone) > 40:
        fields["phone"] = _l("Use at most %(n)d characters.", n=40)
    elif phone and not _PHONE.match(phone):
        fields["phone"] = _l("Use digits, spaces and + ( ) - only.")
    unknown = [code for code in spoken_languages or [] if code not in LANGUAGE_CODES]
    if unknown:
        fields["spoken_languages"] = _l("Unknown language: %(code)s.", code=unknown[0][:20])
    if fields:
        raise ValidationFailed(fields=fields)
    user.title = title
    user.phone = phone
    user.spoken_languages = list(dict.fromkeys(spoken_languages or []))
    db.add(user)
    db.commit()


def is_verified(user: User | None) -> bool:
    return user is not None and getattr(user, "email_verified_at", None) is not None


def set_locale(db: Session, user: User, locale: str | None) -> None:
    user.locale = locale
    db.add(user)
    db.commit()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


TOKEN_DAYS_DEFAULT = 90
TOKEN_DAYS_MAX = 365
# What the account page offers; the API takes any whole number of days from 1 to 365.
TOKEN_DAYS_CHOICES = (30, 90, 180, 365)
# last_used_at is written at most this often per token, so bearer reads stay cheap.
TOKEN_TOUCH_EVERY = timedelta(minutes=1)


def create_token(
    db: Session, user: User, name: str = "", *, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create an API token that works for ``expires_in_days`` (default 90, at most 365).

    The plain token is returned once and only its hash is kept.
    """
    days = TOKEN_DAYS_DEFAULT if expires_in_days is None else expires_in_days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= TOKEN_DAYS_MAX:
        raise ValidationFailed(
            fields={
                "expires_in_days": _l(
                    "Choose from %(low)d to %(high)d days.", low=1, high=TOKEN_DAYS_MAX
                )
            }
        )
    plain = "mm_" + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=user.id,
        token_hash=_digest(plain),
        name=(name or "")[:80],
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    db.add(token)
    db.commit()
    return token, plain


def token_state(token: ApiToken, now=None) -> str:
    """The token's state: revoked, expired or active (old tokens without expiry never expire)."""
    if token.revoked_at is not None:
        return "revoked"
    expires = sessions.aware(token.expires_at)
    if expires is not None and expires <= (now or utcnow()):
        return "expired"
    return "active"


def user_for_token(db: Session, plain: str) -> User | None:
    """The account of a working token (not revoked, not expired), else None.

    Notes when it was used, at most once a minute: the API calls this before the route runs,
    so the commit carries nothing else.
    """
    if not plain or len(plain) > 200:
        return None
    token = db.exec(select(ApiToken).where(ApiToken.token_hash == _digest(plain))).first()
    now = utcnow()
    if token is None or token_state(token, now) != "active":
        return None
    last = sessions.aware(token.last_used_at)
    if last is None or now - last >= TOKEN_TOUCH_EVERY:
        token.last_used_at = now
        db.add(token)
        db.commit()
    return db.get(User, token.user_id)


def list_tokens(db: Session, user: User) -> list[ApiToken]:
    return list(
        db.exec(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc()))
    )


def revoke_token(db: Session, user: User, token_id: int) -> None:
    token = db.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.add(token)
        db.commit()
