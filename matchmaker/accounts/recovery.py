"""E-mail verification and password reset by signed, single-use, expiring links."""

from __future__ import annotations

from sqlmodel import Session

from . import links, throttle
from .mail import mail_locale, queue_reset_mail, queue_verification_mail
from .models import User, utcnow
from .service import is_verified, normalize_email, set_password, user_by_email, valid_email

# --- e-mail verification -------------------------------------------------------------


def verification_token(user: User) -> str:
    # Bound to the address and to "not verified yet": once used, the token stops matching.
    return links.sign(
        links.VERIFY_SALT,
        {"u": user.id, "e": user.email, "v": links.stamp(user.email_verified_at)},
    )


def send_verification(db: Session, user: User, *, locale: str | None = None) -> bool:
    """Mail a verification link (at most 3 an hour); False when already verified."""
    if is_verified(user):
        return False
    # At most 3 an hour, counted by every worker (TooManyRequests beyond).
    key = throttle.account_key(throttle.VERIFICATION_MAIL, user.id)
    throttle.check(db, (throttle.VERIFICATION_MAIL, key))
    throttle.VERIFICATION_MAIL.hit(db, key)
    token = verification_token(user)
    queue_verification_mail(
        db,
        user.email,
        mail_locale(user.locale, locale),
        name=user.display_name or user.email,
        link=links.public_url(f"/account/verify/{token}"),
        days=links.VERIFY_MAX_AGE // 86400,
    )
    db.commit()
    return True


def verify_email(db: Session, token: str) -> User:
    """Mark the address in the token verified; BadLink when forged, expired or used."""
    payload = links.unsign(links.VERIFY_SALT, token, links.VERIFY_MAX_AGE)
    user = db.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
    if user is None or payload.get("e") != user.email:
        # The account is gone or its address changed: this link is no longer for anything.
        raise links.BadLink("invalid")
    if payload.get("v") != links.stamp(user.email_verified_at):
        raise links.BadLink("used")
    user.email_verified_at = utcnow()
    db.add(user)
    db.commit()
    return user


# --- password reset ------------------------------------------------------------------


def reset_token(user: User) -> str:
    # Bound to the current password hash: once the password changes, the link is dead.
    return links.sign(links.RESET_SALT, {"u": user.id, "h": links.fingerprint(user.password_hash)})


def request_password_reset(
    db: Session, email: str, *, client: str | None = None, locale: str | None = None
) -> None:
    """Mail a reset link if an account has this address; say nothing either way.

    The same answer whether or not the account exists: a capped address is silently skipped
    (counted for unknown addresses too), only a flood from one client gets a 429.
    """
    # Per client address: asking for many different addresses is refused openly (429).
    client_key = throttle.address_key(throttle.RESET_CLIENT, client)
    throttle.check(db, (throttle.RESET_CLIENT, client_key))
    throttle.RESET_CLIENT.hit(db, client_key)
    address = normalize_email(email)
    if not valid_email(address):
        return
    key = throttle.account_key(throttle.RESET_MAIL, address)
    if throttle.RESET_MAIL.wait(db, key):
        return
    throttle.RESET_MAIL.hit(db, key)
    user = user_by_email(db, address)
    if user is None:
        return
    token = reset_token(user)
    queue_reset_mail(
        db,
        user.email,
        mail_locale(user.locale, locale),
        name=user.display_name or user.email,
        link=links.public_url(f"/account/reset/{token}"),
        minutes=links.RESET_MAX_AGE // 60,
    )
    db.commit()


def user_for_reset(db: Session, token: str) -> User:
    """The account a reset link is for; BadLink when forged, expired or used."""
    payload = links.unsign(links.RESET_SALT, token, links.RESET_MAX_AGE)
    user = db.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
    if user is None:
        raise links.BadLink("invalid")
    if payload.get("h") != links.fingerprint(user.password_hash):
        raise links.BadLink("used")
    return user


def reset_password(db: Session, token: str, new_password: str) -> User:
    """Set a new password from a reset link; every session and API token of the user ends."""
    user = user_for_reset(db, token)
    set_password(db, user, new_password)
    # Following the mailed link proves the address, too.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    db.commit()
    return user
