"""The organizer's exchange rates per fair: US dollars per unit of a currency, for the report."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from matchmaker.accounts.models import User, utcnow
from matchmaker.errors import NotFound, ValidationFailed

from .access import editable_exhibition
from .models import NANOS, ExchangeRate
from .outcomes import active_currencies

MAX_USD_PER_UNIT = Decimal(10**6)
MAX_DECIMALS = 9


@cache
def current_currencies() -> tuple[str, ...]:
    """The currencies an outcome may be in (legal tender somewhere today), sorted."""
    return tuple(sorted(active_currencies()))


def parse_usd_per_unit(raw: object) -> Decimal:
    """A rate as typed ("7.1", "0.0067"): a decimal > 0, at most 10⁶, at most 9 decimals."""
    text = str(raw if raw is not None else "").strip().replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationFailed(
            fields={"usd_per_unit": _l("Enter a number such as 0.1389.")}
        ) from None
    if not value.is_finite() or value <= 0:
        raise ValidationFailed(fields={"usd_per_unit": _l("Enter a rate above zero.")})
    if value > MAX_USD_PER_UNIT:
        raise ValidationFailed(
            fields={"usd_per_unit": _l("Enter at most 1,000,000 US dollars per unit.")}
        )
    if value.normalize().as_tuple().exponent < -MAX_DECIMALS:
        raise ValidationFailed(fields={"usd_per_unit": _l("Use at most 9 decimal places.")})
    return value


def _check_currency(currency: str) -> str:
    code = (currency or "").strip().upper()
    if code == "USD":
        raise ValidationFailed(
            fields={"currency": _l("US dollars need no rate: one dollar is one dollar.")}
        )
    if code not in current_currencies():
        raise ValidationFailed(fields={"currency": _l("Choose a currency from the list.")})
    return code


def rates_of(db: Session, exhibition_id: int) -> dict[str, int]:
    """The fair's rates as {currency: US dollar nanos per unit}; USD is 1 implied."""
    found = db.exec(
        select(ExchangeRate.currency, ExchangeRate.usd_nanos_per_unit).where(
            ExchangeRate.exhibition_id == exhibition_id
        )
    ).all()
    return {"USD": NANOS, **dict(found)}


def list_rates(db: Session, actor: User | None, exhibition_id: int) -> list[ExchangeRate]:
    """The rates the fair's organizers entered, by currency code."""
    editable_exhibition(db, actor, exhibition_id)
    return list(
        db.exec(
            select(ExchangeRate)
            .where(ExchangeRate.exhibition_id == exhibition_id)
            .order_by(ExchangeRate.currency)
        )
    )


def set_rate(
    db: Session, actor: User | None, exhibition_id: int, currency: str, usd_per_unit: object
) -> ExchangeRate:
    """Enter or change the rate of one currency at a fair."""
    editable_exhibition(db, actor, exhibition_id)
    errors: dict[str, object] = {}
    code = value = None
    try:
        code = _check_currency(currency)
    except ValidationFailed as error:
        errors.update(error.fields)
    try:
        value = parse_usd_per_unit(usd_per_unit)
    except ValidationFailed as error:
        errors.update(error.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    nanos = int(value * NANOS)
    rate = db.exec(
        select(ExchangeRate).where(
            ExchangeRate.exhibition_id == exhibition_id, ExchangeRate.currency == code
        )
    ).first()
    if rate is None:
        rate = ExchangeRate(exhibition_id=exhibition_id, currency=code, usd_nanos_per_unit=nanos)
    else:
        rate.usd_nanos_per_unit, rate.updated_at = nanos, utcnow()
    db.add(rate)
    db.commit()
    return rate


def delete_rate(db: Session, actor: User | None, exhibition_id: int, currency: str) -> None:
    """Remove a currency's rate; its outcomes show as not converted again."""
    editable_exhibition(db, actor, exhibition_id)
    rate = db.exec(
        select(ExchangeRate).where(
            ExchangeRate.exhibition_id == exhibition_id,
            ExchangeRate.currency == (currency or "").upper(),
        )
    ).first()
    if rate is None:
        raise NotFound(_l("No rate for this currency at this fair."))
    db.delete(rate)
    db.commit()
