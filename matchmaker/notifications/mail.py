"""The outbox sender: claims due mails atomically, sends them over SMTP, retries with back-off.

A row is claimed with a conditional UPDATE (and its rowcount checked), so two workers or
threads never send the same mail; a claim is a lease, so a worker that died mid-send leaves
the row to another after ``LEASE``. A sent row is never sent again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import smtplib
import socket
import ssl
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from flask import Flask, current_app, has_app_context
from sqlalchemy import or_, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from .models import OutboxMail

logger = logging.getLogger("matchmaker.mail")

LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
# After this many failures a mail stays in the outbox with its last error, for a person to read.
MAX_ATTEMPTS = 20
SMTP_TIMEOUT = 15


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: str  # "ssl", "starttls" or ""
    username: str | None
    password: str | None

    @classmethod
    def parse(cls, url: str) -> SmtpSettings:
        """Read smtp://user:pass@host:587?starttls=1 or smtps://user:pass@host:465."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("MATCHMAKER_SMTP_URL must look like smtp://host:587 or smtps://host")
        query = parse_qs(parts.query)
        starttls = query.get("starttls", ["0"])[0].lower() in ("1", "true", "yes", "on")
        tls = "ssl" if parts.scheme == "smtps" else ("starttls" if starttls else "")
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if tls == "ssl" else 25),
            tls=tls,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: 1 min × 2^(attempts − 1), ≤ 1 h."""
    return min(FIRST_RETRY * (2 ** max(0, attempts - 1)), LONGEST_RETRY)


def _naive_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; compare everything as naive UTC.
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def deliver_due(
    engine_or_db: Engine | Session,
    now: datetime | None = None,
    batch: int = 20,
    *,
    smtp_url: str | None = None,
    mail_from: str | None = None,
) -> int:
    """Send up to ``batch`` due mails from the outbox; return how many were sent."""
    if has_app_context():
        smtp_url = current_app.config.get("SMTP_URL", "") if smtp_url is None else smtp_url
        mail_from = mail_from or current_app.config.get("MAIL_FROM")
    mail_from = mail_from or "matchmaker <no-reply@matchmaker.example>"
    now = now or datetime.now(UTC)
    if isinstance(engine_or_db, Session):
        return _deliver(engine_or_db, now, batch, smtp_url or "", mail_from)
    with Session(engine_or_db, expire_on_commit=False) as db:
        return _deliver(db, now, batch, smtp_url or "", mail_from)


def _deliver(db: Session, now: datetime, batch: int, smtp_url: str, mail_from: str) -> int:
    worker = f"{socket.gethostname()[:40]}:{uuid.uuid4().hex[:16]}"
    mails = _claim(db, worker, now, batch)
    if not mails:
        return 0
    if not smtp_url:
        for mail in mails:
            logger.info("mail to %s: %s\n%s", mail.to, mail.subject, mail.text)
            _mark_sent(db, mail, worker, now)
        return len(mails)
    sent = 0
    try:
        connection = _connect(SmtpSettings.parse(smtp_url))
    except (OSError, smtplib.SMTPException, ValueError) as error:
        logger.warning("mail server unavailable: %s", error)
        for mail in mails:
            _mark_failed(db, mail, worker, now, f"connect: {error}")
        return 0
    try:
        for mail in mails:
            try:
                connection.send_message(_message(mail, mail_from))
            except smtplib.SMTPServerDisconnected as error:
                _mark_failed(db, mail, worker, now, str(error))
                connection = _reconnect(smtp_url)
                if connection is None:
                    break
            except (OSError, smtplib.SMTPException) as error:
                _mark_failed(db, mail, worker, now, _describe(error))
                _reset(connection)
            else:
                _mark_sent(db, mail, worker, now)
                sent += 1
    finally:
        _release_unsent(db, [mail.id for mail in mails], worker)
        if connection is not None:
            _quit(connection)
    return sent


def _claim(db: Session, worker: str, now: datetime, batch: int) -> list[OutboxMail]:
    free = or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now)
    due = db.execute(
        select(OutboxMail.id)
        .where(
            OutboxMail.sent_at.is_(None),
            OutboxMail.next_attempt_at <= now,
            OutboxMail.attempts < MAX_ATTEMPTS,
            free,
        )
        .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(batch)
    ).scalars()
    claimed = []
    for mail_id in list(due):
        result = db.execute(
            update(OutboxMail)
            .where(OutboxMail.id == mail_id, OutboxMail.sent_at.is_(None), free)
            .values(claimed_by=worker, claimed_until=now + LEASE)
        )
        db.commit()
        if result.rowcount == 1:  # another worker may have claimed it in between
            claimed.append(mail_id)
    if not claimed:
        return []
    rows = db.execute(select(OutboxMail).where(OutboxMail.id.in_(claimed))).scalars().all()
    return sorted(rows, key=lambda mail: claimed.index(mail.id))


def _mark_sent(db: Session, mail: OutboxMail, worker: str, now: datetime) -> None:
    db.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail.id, OutboxMail.claimed_by == worker)
        .values(sent_at=now, claimed_by=None, claimed_until=None, last_error=None)
    )
    db.commit()


def _mark_failed(db: Session, mail: OutboxMail, worker: str, now: datetime, error: str) -> None:
    attempts = mail.attempts + 1
    db.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail.id, OutboxMail.claimed_by == worker)
        .values(
            attempts=attempts,
            next_attempt_at=now + retry_delay(attempts),
            last_error=error[:2000],
            claimed_by=None,
            claimed_until=None,
        )
    )
    db.commit()
    logger.warning("mail %s to %s failed (attempt %s): %s", mail.id, mail.to, attempts, error)


def _release_unsent(db: Session, ids: list[int], worker: str) -> None:
    """Give back claims this run did not finish (e.g. the connection broke mid-batch)."""
    db.execute(
        update(OutboxMail)
        .where(OutboxMail.id.in_(ids), OutboxMail.claimed_by == worker)
        .values(claimed_by=None, claimed_until=None)
    )
    db.commit()


def _message(mail: OutboxMail, mail_from: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "matchmaker.example"
    # Stable per row: should a mail ever go out twice, readers' programs show it once.
    message["Message-ID"] = f"<outbox-{mail.id}@{domain}>"
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    return message


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.tls == "ssl":
        connection: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host,
            settings.port,
            timeout=SMTP_TIMEOUT,
            context=ssl.create_default_context(),
        )
    else:
        connection = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT)
        if settings.tls == "starttls":
            connection.starttls(context=ssl.create_default_context())
    if settings.username:
        connection.login(settings.username, settings.password or "")
    return connection


def _reconnect(smtp_url: str) -> smtplib.SMTP | None:
    try:
        return _connect(SmtpSettings.parse(smtp_url))
    except (OSError, smtplib.SMTPException):
        return None


def _reset(connection: smtplib.SMTP) -> None:
    with contextlib.suppress(OSError, smtplib.SMTPException):
        connection.rset()


def _quit(connection: smtplib.SMTP) -> None:
    try:
        connection.quit()
    except (OSError, smtplib.SMTPException):
        connection.close()


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{to}: {code} {reply.decode('utf-8', 'replace')}"
            for to, (code, reply) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {error.smtp_error.decode('utf-8', 'replace')}"
    return str(error) or type(error).__name__


# --- the background sender ----------------------------------------------------------

_started: dict[int, threading.Thread] = {}
_start_lock = threading.Lock()


def ensure_sender(app: Flask) -> None:
    """Start this process's sender thread once (after a fork, the child starts its own)."""
    pid = os.getpid()
    if pid in _started:
        return
    with _start_lock:
        if pid in _started:
            return
        thread = threading.Thread(
            target=_run_sender, args=(app,), name="matchmaker-mail", daemon=True
        )
        _started[pid] = thread
        thread.start()


def _run_sender(app: Flask) -> None:
    interval = max(1, int(app.config.get("MAIL_INTERVAL", 10)))
    stop = threading.Event()
    while not stop.wait(interval):
        send_pending(app)


def send_pending(app: Flask, batch: int = 20) -> int:
    """Queue the meeting reminders now due, then deliver every due mail in batches.

    Return how many mails were sent. The reminders ride on this loop (the sender thread and
    ``matchmaker send-mail``), so a deployment needs no other process for them.
    """
    total = 0
    with app.app_context():
        engine = app.extensions["matchmaker.engine"]
        queue_reminders(engine)
        while True:
            try:
                sent = deliver_due(engine, batch=batch)
            except Exception:  # the thread must survive a database hiccup
                logger.exception("delivering the outbox failed")
                break
            total += sent
            if sent < batch:
                break
    return total


def queue_reminders(engine: Engine) -> int:
    """Notify both sides of the fairs' meetings starting within 15 minutes (once each)."""
    from matchmaker.exhibitions.fair_notices import send_reminders

    try:
        with Session(engine, expire_on_commit=False) as db:
            return send_reminders(db)
    except Exception:  # the thread must survive a database hiccup; the next run retries
        logger.exception("queueing meeting reminders failed")
        return 0
