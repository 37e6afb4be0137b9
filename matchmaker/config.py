"""Settings: every one read from a MATCHMAKER_* environment variable, with embedded defaults.

The README lists them all; keep the two in step.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# name -> (environment variable, default, parser). Defaults that depend on the
# instance folder are filled in by `load_config`.
_SETTINGS: dict[str, tuple[str, object, type]] = {
    "DATABASE_URL": ("MATCHMAKER_DATABASE_URL", None, str),
    "SECRET_KEY": ("MATCHMAKER_SECRET_KEY", None, str),
    "ELASTICSEARCH_URL": ("MATCHMAKER_ELASTICSEARCH_URL", "", str),
    "ELASTICSEARCH_INDEX": ("MATCHMAKER_ELASTICSEARCH_INDEX", "matchmaker-organizations", str),
    "SEARCH_INDEX_PATH": ("MATCHMAKER_SEARCH_INDEX_PATH", None, str),
    # How the embedded index merges its pending log: process | thread | inline.
    "SEARCH_MERGE": ("MATCHMAKER_SEARCH_MERGE", "process", str),
    "DEFAULT_LOCALE": ("MATCHMAKER_DEFAULT_LOCALE", "en", str),
    "PER_PAGE": ("MATCHMAKER_PER_PAGE", 20, int),
    "CONVERSATIONS_PER_DAY": ("MATCHMAKER_CONVERSATIONS_PER_DAY", 20, int),
    "SESSION_COOKIE_SECURE": ("MATCHMAKER_SECURE_COOKIES", False, bool),
    "SQL_ECHO": ("MATCHMAKER_SQL_ECHO", False, bool),
    "PROXY_COUNT": ("MATCHMAKER_PROXY_COUNT", 0, int),
    # Where people reach the site (scheme, host, optional path): every absolute URL the site
    # writes (API `url` fields, mails, check-in and calendar links, the API document's
    # server) starts with it, never with the request's Host header. MATCHMAKER_PUBLIC_URL is
    # the older name, still read when MATCHMAKER_BASE_URL is unset.
    "PUBLIC_URL": ("MATCHMAKER_BASE_URL", "http://127.0.0.1:5000", str),
    # Host names the site answers to, comma-separated ("example.com,.example.com" also takes
    # subdomains); any other Host header gets 400. Empty: every host (URLs still come from
    # the base URL).
    "TRUSTED_HOSTS": ("MATCHMAKER_TRUSTED_HOSTS", "", str),
    # Outgoing mail: smtp://user:pass@host:587?starttls=1 or smtps://…; empty writes to the log.
    "SMTP_URL": ("MATCHMAKER_SMTP_URL", "", str),
    "MAIL_FROM": ("MATCHMAKER_MAIL_FROM", "matchmaker <no-reply@matchmaker.example>", str),
    # A background thread in each worker delivers the outbox; 0 leaves it to `send-mail`.
    "MAIL_SENDER": ("MATCHMAKER_MAIL_SENDER", True, bool),
    "MAIL_INTERVAL": ("MATCHMAKER_MAIL_INTERVAL", 10, int),
    # Checked participant CSV files wait here (≤ 1 hour) for the organizer's "Import";
    # every worker must see the same folder. Empty: <instance>/imports.
    "IMPORT_UPLOAD_DIR": ("MATCHMAKER_IMPORT_UPLOAD_DIR", None, str),
    # Seconds at least between background refits of the recommendations' factor model
    # (longer when a fit is slow: at most a tenth of a worker's time); 0 fits inline.
    "FACTORS_REFIT": ("MATCHMAKER_FACTORS_REFIT", 60, int),
}

# Older names still read when the current one is unset.
_OLD_NAMES = {"MATCHMAKER_BASE_URL": "MATCHMAKER_PUBLIC_URL"}


def _parse(value: str, kind: type) -> object:
    if kind is bool:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return kind(value)


def _secret_key(instance: Path) -> str:
    """Generate the secret key once and keep it in the instance folder."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    # O_EXCL: two workers starting together must not write two different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def load_config(
    instance_path: str,
    overrides: dict[str, object] | None = None,
    environ: dict[str, str] | None = None,
) -> dict[str, object]:
    """Return settings: overrides, then the environment, then defaults in the instance folder."""
    environ = os.environ if environ is None else environ
    instance = Path(instance_path)
    config: dict[str, object] = {}
    for name, (variable, default, kind) in _SETTINGS.items():
        raw = environ.get(variable)
        if raw in (None, "") and variable in _OLD_NAMES:
            raw = environ.get(_OLD_NAMES[variable])
        config[name] = _parse(raw, kind) if raw not in (None, "") else default
    config.update(overrides or {})
    if not config["DATABASE_URL"]:
        config["DATABASE_URL"] = f"sqlite:///{instance / 'matchmaker.sqlite3'}"
    if not config["SEARCH_INDEX_PATH"]:
        config["SEARCH_INDEX_PATH"] = str(instance / "search.sqlite3")
    if not config["SECRET_KEY"]:
        instance.mkdir(parents=True, exist_ok=True)
        config["SECRET_KEY"] = _secret_key(instance)
    return config
