"""After a meeting: held or no-show, and what each side says came of it.

An outcome belongs to one side of a held meeting (one row per side; recording again
updates it). The value is what they intend to contract, kept exactly in hundredths of
the currency's major unit.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache

from babel.core import get_global
from babel.numbers import get_currency_precision
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from matchmaker import reference
from matchmaker.accounts.models import User, utcnow
from matchmaker.errors import Conflict, NotFound, PermissionDenied, ValidationFailed

from . import meetings
from .access import acts_for, require_user
from .models import OUTCOMES, Meeting, MeetingOutcome, Slot
from .times import as_utc

MAX_VALUE = Decimal(10) ** 12
# Offered first in forms; the rest follow in the reader's alphabetical order.
COMMON_CURRENCIES = (
    "USD", "EUR", "CNY", "JPY", "GBP", "HKD", "SGD", "AED", "SAR", "RUB",
    "KRW", "INR", "CHF", "AUD", "CAD", "MYR", "THB", "VND", "IDR", "KZT",
)  # fmt: skip


@cache
def active_currencies() -> frozenset[str]:
    """ISO 4217 codes that are legal tender somewhere today (CLDR's territory data)."""
    return frozenset(
        code
        for spans in get_global("territory_currencies").values()
        for code, _start, end, tender in spans
        if tender and end is None
    )


# --- held / no-show -----------------------------------------------------------------


def require_started(db: Session, meeting: Meeting, now: datetime | None = None) -> None:
    """Refuse to close a meeting before its slot starts (422)."""
    slot = db.get(Slot, meeting.slot_id) if meeting.slot_id else None
    if slot is not None and as_utc(now or utcnow()) < as_utc(slot.starts_at):
        raise ValidationFailed(
            _l("This meeting has not started yet."),
            fields={"status": _l("This meeting has not started yet.")},
        )


def mark_meeting(
    db: Session, actor: User | None, meeting_id: int, status: str, now: datetime | None = None
) -> Meeting:
    """Mark an accepted meeting held or no-show (either side or an organizer), once started.

    A meeting with outcomes recorded stays held: they would lose their meaning.
    """
    meeting = meetings.get_meeting(db, actor, meeting_id)  # either side or an organizer
    if status in ("held", "no_show") and meeting.status in ("accepted", "held", "no_show"):
        require_started(db, meeting, now)
    if status == "no_show" and meeting.status == "held" and _has_outcomes(db, meeting.id):
        raise Conflict(_l("Outcomes are recorded for this meeting: it stays held."))
    return meetings.mark_meeting(db, actor, meeting_id, status)


def _has_outcomes(db: Session, meeting_id: int) -> bool:
    found = db.exec(select(MeetingOutcome.id).where(MeetingOutcome.meeting_id == meeting_id))
    return found.first() is not None


# --- outcomes -------------------------------------------------------------------------


def _cents(value, currency: str | None, errors: dict) -> int | None:
    """The value in hundredths, or None with a message in ``errors``."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str | float):
        errors["value"] = _l("Enter an amount such as 25000 or 25000.50.")
        return None
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else str(value))
    except InvalidOperation:
        errors["value"] = _l("Enter an amount such as 25000 or 25000.50.")
        return None
    if not amount.is_finite():
        errors["value"] = _l("Enter an amount such as 25000 or 25000.50.")
        return None
    if amount < 0:
        errors["value"] = _l("The value cannot be negative.")
        return None
    if amount > MAX_VALUE:
        errors["value"] = _l("The value is too large: at most one trillion.")
        return None
    places = min(2, get_currency_precision(currency)) if currency else 2
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        errors["value"] = (
            _l("Use at most %(n)d decimals.", n=places)
            if places
            else _l("This currency has no decimals: enter a whole amount.")
        )
        return None
    return int(amount * 100)


def clean_outcome(outcome, service, value, currency) -> dict:
    """Check the fields of an outcome; every problem at once, per field (422)."""
    errors: dict[str, object] = {}
    if outcome not in OUTCOMES:
        errors["outcome"] = _l("Choose no fit, follow-up, MoU signed or contract signed.")
    if service in ("", None):
        service = None
    elif not isinstance(service, str) or service not in {s.code for s in reference.services()}:
        errors["service"] = _l("Choose a service category from the list.")
    if value in ("", None):
        value = None
    if currency in ("", None):
        currency = None
    elif not isinstance(currency, str) or currency.upper() not in active_currencies():
        errors["currency"] = _l("Choose a currency from the list (ISO 4217 code).")
        currency = None
    else:
        currency = currency.upper()
    cents = None
    if value is not None:
        cents = _cents(value, currency, errors)
        if currency is None and "currency" not in errors:
            errors["currency"] = _l("Choose the currency of the value.")
    elif currency is not None:
        errors["value"] = _l("Enter the value in this currency, or leave the currency empty.")
    if errors:
        raise ValidationFailed(fields=errors)
    return {"outcome": outcome, "service": service, "value_cents": cents, "currency": currency}


def _side_meeting(db: Session, actor: User | None, meeting_id: int, org_id) -> Meeting:
    actor = require_user(actor)
    meeting = db.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(_l("No meeting with this id."))
    if org_id not in (meeting.requester_id, meeting.invitee_id) or not acts_for(actor, org_id):
        raise PermissionDenied(
            _l("Only the two organizations that met may record what came of it.")
        )
    return meeting


def record_outcome(
    db: Session,
    actor: User | None,
    meeting_id: int,
    org_id: int,
    outcome: str,
    service: str | None = None,
    value: Decimal | int | str | None = None,
    currency: str | None = None,
) -> tuple[MeetingOutcome, bool]:
    """Record (or replace) one side's outcome of a held meeting; True when it is new."""
    meeting = _side_meeting(db, actor, meeting_id, org_id)
    if meeting.status != "held":
        raise ValidationFailed(
            _l("Record an outcome after the meeting was held."),
            fields={"meeting": _l("Record an outcome after the meeting was held.")},
        )
    clean = clean_outcome(outcome, service, value, currency)
    for _attempt in range(2):
        row = outcome_of(db, meeting.id, org_id)
        created = row is None
        if created:
            row = MeetingOutcome(meeting_id=meeting.id, organization_id=org_id, **clean)
        else:
            for key, item in clean.items():
                setattr(row, key, item)
            row.updated_at = utcnow()
        db.add(row)
        try:
            db.commit()
        except IntegrityError:  # the other tab of the same side was first: update that row
            db.rollback()
            continue
        return row, created
    raise Conflict(_l("This outcome changed meanwhile; reload the page."))


def outcome_of(db: Session, meeting_id: int, org_id: int) -> MeetingOutcome | None:
    return db.exec(
        select(MeetingOutcome).where(
            MeetingOutcome.meeting_id == meeting_id, MeetingOutcome.organization_id == org_id
        )
    ).first()


def list_outcomes(db: Session, viewer: User | None, meeting_id: int) -> list[MeetingOutcome]:
    """Both sides' outcomes of a meeting (its two organizations and the fair's organizers)."""
    meeting = meetings.get_meeting(db, viewer, meeting_id)
    return list(
        db.exec(
            select(MeetingOutcome)
            .where(MeetingOutcome.meeting_id == meeting.id)
            .order_by(MeetingOutcome.id)
        )
    )


def amount(row: MeetingOutcome) -> Decimal | None:
    """The intended value in the currency's major unit."""
    return None if row.value_cents is None else Decimal(row.value_cents) / 100
