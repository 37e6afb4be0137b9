"""The fair's agenda: sessions (talks, forums...) per hall, and each organization's choices."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete as sql_delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from matchmaker.accounts.models import User, utcnow
from matchmaker.errors import NotFound, ValidationFailed

from . import validation as check
from .access import editable_exhibition, get_exhibition, lock_exhibition, require_member
from .models import SESSION_KINDS, AgendaChoice, AgendaSession, Exhibition, SessionText
from .registrations import require_registered
from .times import as_utc, local

FIELDS = ("kind", "hall", "starts_at", "ends_at", "title", "speakers")


def validate_session(
    db: Session,
    exhibition: Exhibition,
    data: dict[str, Any],
    *,
    current: AgendaSession | None = None,
) -> dict[str, Any]:
    """Check a session: ends after it starts, within the fair's days, its hall free then."""
    if not isinstance(data, dict):
        raise ValidationFailed(_l("Send a JSON object."))
    errors: dict[str, Any] = {key: _l("Unknown field.") for key in sorted(set(data) - set(FIELDS))}
    if current is None:
        data = {"kind": "talk", **data}
    given = set(data) if current is not None else set(FIELDS)
    checks = {
        "kind": lambda v: v if v in SESSION_KINDS else _bad(errors, "kind", v),
        "hall": lambda v: check.text(v, "hall", errors, required=True, limit=80),
        "starts_at": lambda v: check.instant(v, "starts_at", errors),
        "ends_at": lambda v: check.instant(v, "ends_at", errors),
        "title": lambda v: check.localized(v, "title", errors, limit=300),
        "speakers": lambda v: check.localized(v, "speakers", errors, limit=500),
    }
    clean = {f: checks[f](data.get(f)) for f in FIELDS if f in given}
    if current is None and "title" not in errors and not any(clean["title"].values()):
        errors["title"] = _l("This field is required.")
    starts = clean.get("starts_at") or (current and as_utc(current.starts_at))
    ends = clean.get("ends_at") or (current and as_utc(current.ends_at))
    hall = clean.get("hall", current.hall if current else "")
    if starts and ends and not {"starts_at", "ends_at"} & set(errors):
        _check_times(db, exhibition, starts, ends, hall, current, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    for field in ("starts_at", "ends_at"):
        if clean.get(field):
            clean[field] = as_utc(clean[field])
    return clean


def _bad(errors: dict, field: str, value: Any) -> None:
    errors[field] = _l("Unknown value: %(value)s.", value=str(value)[:40])


def _check_times(db, exhibition, starts, ends, hall, current, errors) -> None:
    if ends <= starts:
        errors["ends_at"] = _l("A session must end after it starts.")
        return
    first = local(starts, exhibition.timezone).date()
    last = local(ends - timedelta(microseconds=1), exhibition.timezone).date()
    if first < exhibition.starts_on or last > exhibition.ends_on:
        field = "starts_at" if first < exhibition.starts_on else "ends_at"
        errors[field] = _l("A session must take place during the exhibition's days.")
        return
    query = select(AgendaSession.id).where(
        AgendaSession.exhibition_id == exhibition.id,
        AgendaSession.hall == hall,
        AgendaSession.starts_at < as_utc(ends),
        AgendaSession.ends_at > as_utc(starts),
    )
    if current is not None:
        query = query.where(AgendaSession.id != current.id)
    if db.exec(query.limit(1)).first() is not None:
        errors["hall"] = _l("Another session takes place in this hall at that time.")


def _apply(agenda_session: AgendaSession, clean: dict[str, Any]) -> None:
    for field in ("kind", "hall", "starts_at", "ends_at"):
        if field in clean:
            setattr(agenda_session, field, clean[field])
    texts = {t.locale: t for t in agenda_session.texts}
    for field in ("title", "speakers"):
        for locale, value in clean.get(field, {}).items():
            row = texts.get(locale)
            if row is None:
                row = texts[locale] = SessionText(locale=locale)
                agenda_session.texts.append(row)
            setattr(row, field, value)
    for row in texts.values():
        if not row.title and not row.speakers:
            agenda_session.texts.remove(row)


def _bump(db: Session, exhibition: Exhibition) -> None:
    exhibition.sequence += 1
    exhibition.updated_at = utcnow()
    db.add(exhibition)


def list_sessions(db: Session, viewer: User | None, exhibition_id: int) -> list[AgendaSession]:
    """The fair's agenda in time order, then by hall."""
    get_exhibition(db, exhibition_id, viewer)
    return list(
        db.exec(
            select(AgendaSession)
            .where(AgendaSession.exhibition_id == exhibition_id)
            .order_by(AgendaSession.starts_at, AgendaSession.hall, AgendaSession.id)
        )
    )


def get_session(db: Session, viewer: User | None, session_id: int) -> AgendaSession:
    """One agenda session of a fair the viewer may see."""
    found = db.get(AgendaSession, session_id)
    if found is None:
        raise NotFound(_l("No session with this id."))
    get_exhibition(db, found.exhibition_id, viewer)
    return found


def create_session(
    db: Session, actor: User | None, exhibition_id: int, data: dict[str, Any]
) -> AgendaSession:
    """Add a session to the agenda (organizers)."""
    exhibition = editable_exhibition(db, actor, exhibition_id)
    lock_exhibition(db, exhibition_id)  # two organizers must not fill one hall at once
    try:
        clean = validate_session(db, exhibition, data)
    except ValidationFailed:
        db.rollback()
        raise
    agenda_session = AgendaSession(exhibition_id=exhibition_id)
    _apply(agenda_session, clean)
    db.add(agenda_session)
    _bump(db, exhibition)
    db.commit()
    return agenda_session


def update_session(
    db: Session, actor: User | None, session_id: int, data: dict[str, Any]
) -> AgendaSession:
    """Change a session (organizers); calendars see a raised SEQUENCE."""
    agenda_session = get_session(db, actor, session_id)
    exhibition = editable_exhibition(db, actor, agenda_session.exhibition_id)
    lock_exhibition(db, exhibition.id)
    try:
        clean = validate_session(db, exhibition, data, current=agenda_session)
    except ValidationFailed:
        db.rollback()
        raise
    _apply(agenda_session, clean)
    agenda_session.sequence += 1
    db.add(agenda_session)
    _bump(db, exhibition)
    db.commit()
    return agenda_session


def delete_session(db: Session, actor: User | None, session_id: int) -> None:
    """Remove a session from the agenda (organizers)."""
    agenda_session = get_session(db, actor, session_id)
    exhibition = editable_exhibition(db, actor, agenda_session.exhibition_id)
    db.delete(agenda_session)
    _bump(db, exhibition)
    db.commit()


def choose_session(db: Session, actor: User | None, session_id: int, org_id: int) -> None:
    """Put a session on an organization's own agenda (choosing twice changes nothing)."""
    require_member(actor, org_id)
    agenda_session = get_session(db, actor, session_id)
    require_registered(db, agenda_session.exhibition_id, org_id, "organization_id")
    db.add(AgendaChoice(session_id=session_id, organization_id=org_id))
    try:
        db.commit()
    except IntegrityError:
        db.rollback()  # chosen already


def unchoose_session(db: Session, actor: User | None, session_id: int, org_id: int) -> None:
    """Take a session off an organization's agenda."""
    require_member(actor, org_id)
    db.exec(
        sql_delete(AgendaChoice).where(
            AgendaChoice.session_id == session_id, AgendaChoice.organization_id == org_id
        )
    )
    db.commit()


def chosen_session_ids(
    db: Session, viewer: User | None, exhibition_id: int, org_id: int
) -> set[int]:
    """Ids of the fair's sessions on the organization's agenda."""
    require_member(viewer, org_id)
    return set(
        db.exec(
            select(AgendaChoice.session_id)
            .join(AgendaSession, AgendaSession.id == AgendaChoice.session_id)
            .where(
                AgendaSession.exhibition_id == exhibition_id,
                AgendaChoice.organization_id == org_id,
            )
        )
    )
