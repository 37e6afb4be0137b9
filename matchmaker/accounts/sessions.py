"""Server-side sessions: every signed-in browser has a row, so a session can end at once.

The signed session cookie holds a random key; the database keeps only its SHA-256, with the
browser's user agent and when it was last seen. Each request that carries a signed-in
cookie looks the row up (one indexed query, joined with the account); a missing or ended
row signs the browser out. Logout, "sign out other sessions", ending one session from the
account page, and a password change or reset end rows.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, update
from sqlmodel import Session, select

from matchmaker.errors import NotFound

from .models import User, UserSession, utcnow

# The Flask session (cookie) entry that holds the key.
COOKIE_KEY = "sid"
# last_seen_at is written at most this often per session (reads stay read-only).
TOUCH_EVERY = timedelta(minutes=1)
USER_AGENT_LENGTH = 300
# Ended sessions stay listed in the database this long (then a new sign-in prunes them).
KEEP_ENDED = timedelta(days=30)


def idle_limit() -> timedelta:
    """A session unseen for this long is over: Flask refuses older signed cookies anyway."""
    if has_app_context():
        return current_app.permanent_session_lifetime
    return timedelta(days=31)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes for timezone-aware columns: they are UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def start(db: Session, user: User, user_agent: str = "") -> str:
    """Record a new signed-in browser; return the key for its cookie (committed)."""
    now = utcnow()
    # Forget this account's long-ended and long-idle sessions (indexed by user).
    db.exec(
        delete(UserSession).where(
            UserSession.user_id == user.id,
            or_(
                UserSession.ended_at < now - KEEP_ENDED,
                UserSession.last_seen_at < now - idle_limit() - KEEP_ENDED,
            ),
        )
    )
    key = secrets.token_urlsafe(32)
    row = UserSession(
        user_id=user.id,
        key_hash=digest(key),
        user_agent=" ".join((user_agent or "").split())[:USER_AGENT_LENGTH],
    )
    db.add(row)
    db.commit()
    return key


def user_for_key(db: Session, user_id: str | int | None, key: str | None) -> User | None:
    """The account of a live session whose cookie names ``user_id`` and ``key``, else None."""
    if not key or not isinstance(key, str) or len(key) > 200:
        return None
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    found = db.exec(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(
            UserSession.key_hash == digest(key),
            UserSession.user_id == user_id,
            UserSession.ended_at.is_(None),
        )
    ).first()
    if found is None:
        return None
    row, user = found
    now = utcnow()
    idle = now - aware(row.last_seen_at)
    if idle > idle_limit():
        return None
    if idle >= TOUCH_EVERY:
        # Called before the view runs (web._check_session): nothing else is pending.
        row.last_seen_at = now
        db.add(row)
        db.commit()
    return user


def end(db: Session, key: str | None) -> None:
    """End the session a cookie holds (logout); unknown keys are fine (committed)."""
    if not key or not isinstance(key, str):
        return
    db.exec(
        update(UserSession)
        .where(UserSession.key_hash == digest(key), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    db.commit()


def end_all(db: Session, user: User, keep_key: str | None = None) -> int:
    """End the user's sessions, except the one holding ``keep_key`` (caller commits)."""
    statement = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep_key:
        statement = statement.where(UserSession.key_hash != digest(keep_key))
    return db.exec(statement.values(ended_at=utcnow())).rowcount or 0


def end_one(db: Session, user: User, session_id: int) -> None:
    """End one of the user's own sessions (from the account page); NotFound otherwise."""
    row = db.get(UserSession, session_id)
    if row is None or row.user_id != user.id:
        raise NotFound(_l("No such session."))
    if row.ended_at is None:
        row.ended_at = utcnow()
        db.add(row)
        db.commit()


@dataclass
class ActiveSession:
    id: int
    device: str
    user_agent: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


def active(db: Session, user: User, current_key: str | None = None) -> list[ActiveSession]:
    """The user's live sessions, most recently seen first (this browser marked)."""
    current_hash = digest(current_key) if isinstance(current_key, str) and current_key else None
    rows = db.exec(
        select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.last_seen_at >= utcnow() - idle_limit(),
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return [
        ActiveSession(
            id=row.id,
            device=device(row.user_agent),
            user_agent=row.user_agent,
            created_at=aware(row.created_at),
            last_seen_at=aware(row.last_seen_at),
            current=row.key_hash == current_hash,
        )
        for row in rows
    ]


# Most specific first: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = (
    ("Edge", re.compile(r"\bEdg(?:e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/|\bOpera\b")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\b(?:Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"(?:\b|Headless)(?:Chrome|CriOS|Chromium)/")),
    ("Safari", re.compile(r"\bSafari/")),
    ("curl", re.compile(r"^curl/")),
)
_SYSTEMS = (
    ("iPhone", re.compile(r"\biPhone\b")),
    ("iPad", re.compile(r"\biPad\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("Linux", re.compile(r"\bLinux\b")),
)


def device(user_agent: str) -> str:
    """A short description of a browser from its user agent, e.g. "Firefox on Windows"."""
    agent = user_agent or ""
    browser = next((name for name, pattern in _BROWSERS if pattern.search(agent)), None)
    system = next((name for name, pattern in _SYSTEMS if pattern.search(agent)), None)
    if browser and system:
        # Translators: a signed-in device on the account page, e.g. "Firefox on Windows".
        return str(_l("%(browser)s on %(system)s", browser=browser, system=system))
    if browser or system:
        return browser or system
    return str(_l("Unknown browser"))
