"""Slow down guessing and flooding, shared by every worker and host through the database.

Each counted attempt is a row in ``throttle_hits`` under a key such as
``login-pair:<hash of account and address>``; a policy allows ``limit`` of them per ``window``
seconds and then answers 429 with the seconds until the oldest counted one expires.

Failed sign-ins count per (account, address) pair and per address, never per account alone: a
stranger guessing from elsewhere cannot lock the owner out. Keys are hashed, so the table
holds neither addresses nor e-mails.

Race: two workers that both read "one below the limit" may each let one more attempt through.
That costs an attacker at most a handful of extra tries per window; it never fails a request.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import format_timedelta
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func
from sqlmodel import Session, select

from matchmaker.errors import TooManyRequests

from .models import ThrottleHit, utcnow

# Rows older than this are deleted by the occasional sweep (every policy's window is shorter).
MAX_WINDOW = 24 * 3600
# One insert in this many also sweeps every key (keys that never come back are pruned too).
SWEEP_EVERY = 500


@dataclass(frozen=True)
class Policy:
    """At most ``limit`` counted attempts per ``window`` seconds under one key."""

    name: str
    limit: int
    window: int
    # Shown with the 429; ``%(when)s`` becomes "in 4 minutes" in the reader's language.
    message: object

    def key(self, *parts: object) -> str:
        raw = "\x1f".join(str(part) for part in parts)
        return f"{self.name}:{hashlib.sha256(raw.encode('utf-8', 'replace')).hexdigest()}"

    def wait(self, db: Session, key: str, *, now: datetime | None = None) -> int:
        """Seconds until one more attempt is allowed under this key (0: allowed now)."""
        return retry_after(db, key, self.limit, self.window, now=now)

    def hit(self, db: Session, key: str, *, now: datetime | None = None) -> None:
        hit(db, key, window=self.window, now=now)


def _client(address: str | None) -> str:
    """The address to count: IPv6 clients by /64 (one subscriber gets a whole /64)."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return (address or "-")[:100]
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def _account(email: str | None) -> str:
    return (email or "").strip().lower()


# --- the store ---------------------------------------------------------------------------


def count(db: Session, key: str, window: int, *, now: datetime | None = None) -> int:
    """Attempts under ``key`` in the last ``window`` seconds."""
    since = (now or utcnow()) - timedelta(seconds=window)
    query = (
        select(func.count())
        .select_from(ThrottleHit)
        .where(ThrottleHit.key == key, ThrottleHit.at > since)
    )
    return int(db.exec(query).one())


def retry_after(
    db: Session, key: str, limit: int, window: int, *, now: datetime | None = None
) -> int:
    """Seconds until the key is below ``limit`` again (0 when it is below now)."""
    now = now or utcnow()
    since = now - timedelta(seconds=window)
    # The limit-th newest attempt: once it leaves the window, one more is allowed.
    row = db.exec(
        select(ThrottleHit.at)
        .where(ThrottleHit.key == key, ThrottleHit.at > since)
        .order_by(ThrottleHit.at.desc())
        .offset(limit - 1)
        .limit(1)
    ).first()
    if row is None:
        return 0
    at = row if row.tzinfo else row.replace(tzinfo=now.tzinfo)  # SQLite drops the zone
    return max(1, int((at + timedelta(seconds=window) - now).total_seconds() + 0.999))


def hit(db: Session, key: str, *, window: int = MAX_WINDOW, now: datetime | None = None) -> None:
    """Count one attempt under ``key``, forget this key's attempts older than ``window``, commit.

    Commits the session: call it before making other changes in the same session.
    """
    now = now or utcnow()
    db.exec(
        delete(ThrottleHit).where(
            ThrottleHit.key == key, ThrottleHit.at <= now - timedelta(seconds=window)
        )
    )
    row = ThrottleHit(key=key, at=now)
    db.add(row)
    db.flush()
    if row.id % SWEEP_EVERY == 0:
        sweep(db, now=now)
    db.commit()


def clear(db: Session, key: str) -> None:
    """Forget every attempt under ``key`` (a successful sign-in clears its pair); commit."""
    db.exec(delete(ThrottleHit).where(ThrottleHit.key == key))
    db.commit()


def sweep(db: Session, *, now: datetime | None = None) -> int:
    """Delete attempts older than any window (caller commits); return how many."""
    cutoff = (now or utcnow()) - timedelta(seconds=MAX_WINDOW)
    return db.exec(delete(ThrottleHit).where(ThrottleHit.at <= cutoff)).rowcount or 0


def refuse(policy: Policy, seconds: int) -> TooManyRequests:
    """The 429 error for a policy, saying when to try again in the reader's language."""
    when = format_timedelta(timedelta(seconds=seconds), add_direction=True)
    return TooManyRequests(str(policy.message) % {"when": when}, retry_after=seconds)


def check(db: Session, *pairs: tuple[Policy, str], now: datetime | None = None) -> None:
    """Raise TooManyRequests when any (policy, key) is at its limit, with the longest wait."""
    waits = [(policy.wait(db, key, now=now), policy) for policy, key in pairs]
    blocked = [(seconds, policy) for seconds, policy in waits if seconds > 0]
    if blocked:
        seconds, policy = max(blocked, key=lambda item: item[0])
        raise refuse(policy, seconds)


def record(db: Session, *pairs: tuple[Policy, str], now: datetime | None = None) -> None:
    """Count one attempt under each (policy, key)."""
    for policy, key in pairs:
        policy.hit(db, key, now=now)


# --- policies ----------------------------------------------------------------------------

# Translators: %(when)s is a relative time such as "in 5 minutes".
_TRY_LATER = _l("Too many attempts. Try again %(when)s.")

# Failed sign-ins (web and API) for one account from one address.
LOGIN_PAIR = Policy(
    "login-pair",
    10,
    15 * 60,
    # Translators: %(when)s is a relative time such as "in 5 minutes".
    _l("Too many failed sign-ins. Try again %(when)s, or reset your password."),
)
# Failed sign-ins from one address, whatever the account (an office behind one address has room).
LOGIN_ADDRESS = Policy(
    "login-ip",
    50,
    15 * 60,
    # Translators: %(when)s is a relative time such as "in 5 minutes".
    _l("Too many failed sign-ins from your network. Try again %(when)s."),
)
# Registration attempts from one address (a fair's Wi-Fi registers many firms: not too tight).
REGISTER_ADDRESS = Policy("register-ip", 20, 3600, _TRY_LATER)
# API token creation, every attempt (failed or not) per address and every token per account.
TOKEN_ADDRESS = Policy("token-ip", 30, 15 * 60, _TRY_LATER)
TOKEN_ACCOUNT = Policy("token-account", 20, 3600, _TRY_LATER)
# Password changes of one account, wrong current passwords included (only its sessions can try).
PASSWORD_CHANGE = Policy("password-change", 10, 3600, _TRY_LATER)
# Mails: a few per address and hour, enough for a lost mail, too few to flood an inbox.
VERIFICATION_MAIL = Policy(
    "verify-mail",
    3,
    3600,
    _l("A link was sent several times already. Check your mail or try again in an hour."),
)
RESET_MAIL = Policy("reset-mail", 3, 3600, _TRY_LATER)  # skipped silently (no enumeration)
RESET_CLIENT = Policy("reset-ip", 20, 3600, _TRY_LATER)
# Invitations an organization may send per hour (stops a member from spamming strangers).
INVITATIONS = Policy(
    "invite-org", 20, 3600, _l("Too many invitations in an hour. Try again later.")
)


def sign_in_keys(address: str | None, email: str | None) -> tuple[str, str]:
    """The pair key (account from this address) and the address key for failed sign-ins."""
    client = _client(address)
    return LOGIN_PAIR.key(_account(email), client), LOGIN_ADDRESS.key(client)


def check_sign_in(db: Session, address: str | None, email: str | None) -> None:
    """Raise TooManyRequests when this account from here, or this address, is at its limit."""
    pair, by_address = sign_in_keys(address, email)
    check(db, (LOGIN_PAIR, pair), (LOGIN_ADDRESS, by_address))


def sign_in_failed(db: Session, address: str | None, email: str | None) -> None:
    pair, by_address = sign_in_keys(address, email)
    record(db, (LOGIN_PAIR, pair), (LOGIN_ADDRESS, by_address))


def sign_in_succeeded(db: Session, address: str | None, email: str | None) -> None:
    """The owner got in from here: this pair's failures are forgotten (the address's stay)."""
    clear(db, sign_in_keys(address, email)[0])


def address_key(policy: Policy, address: str | None) -> str:
    return policy.key(_client(address))


def account_key(policy: Policy, account: object) -> str:
    return policy.key(account)
