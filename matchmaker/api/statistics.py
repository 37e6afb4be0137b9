"""Fair statistics and exchange rates (organizers), platform statistics by year (admins)."""

from __future__ import annotations

from decimal import Decimal

from matchmaker import db
from matchmaker.exhibitions import exchange_rates, statistics
from matchmaker.exhibitions.models import OUTCOMES

from . import require_user
from .exhibitions import FAIR_ID
from .schemas import statistics as s
from .spec import operation

CENT = Decimal("0.01")
RATE_PATH = {**FAIR_ID, "currency": "ISO 4217 code of the currency, e.g. CNY."}


def _amount(value: Decimal) -> str:
    return str(value.quantize(CENT))


def _rate_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def outcome_body(figures: statistics.OutcomeFigures) -> s.OutcomeStatistics:
    return s.OutcomeStatistics(
        meetings=figures.meetings,
        by_kind={kind: figures.by_kind[kind] for kind in OUTCOMES},
        items=[
            s.OutcomeCell(
                family=family,
                market=market,
                meetings=n,
                value_usd=_amount(figures.value_usd.get((family, market), Decimal(0))),
            )
            for (family, market), n in sorted(figures.counts.items())
            if n
        ],
        total_usd=_amount(figures.total_usd),
        unconverted=[
            s.Unconverted(currency=code, outcomes=u.outcomes, value=_amount(Decimal(u.cents) / 100))
            for code, u in sorted(figures.unconverted.items())
        ],
    )


@operation(
    "get",
    "/v1/exhibitions/<id:exhibition_id>/statistics",
    operation_id="getFairStatistics",
    tag="exhibitions",
    summary="A fair's figures (organizers)",
    description="Registrations by role × market group, meetings from request to show-up, "
    "busiest slots and tables, outcomes by kind and intended value in US dollars by "
    "service family × market group. When both sides record an outcome, the meeting counts "
    "once (the more advanced outcome, the larger value). Values in a currency without a rate "
    "are listed under `unconverted`, not dropped.",
    auth="user",
    response=s.FairStatistics,
    path_params=FAIR_ID,
)
def fair_statistics(exhibition_id: int):
    f = statistics.fair_figures(db.session(), require_user(), exhibition_id)
    reg, meet = f.registrations, f.meetings
    return s.FairStatistics(
        exhibition_id=f.exhibition.id,
        registrations=s.RegistrationStatistics(
            total=reg.total,
            checked_in=reg.checked_in,
            items=[
                s.RegistrationCell(role=role, market=market, count=n)
                for (role, market), n in sorted(reg.cells.items())
                if n
            ],
        ),
        meetings=s.MeetingStatistics(
            requested=meet.requested,
            waiting=meet.waiting,
            accepted=meet.accepted,
            scheduled=meet.scheduled,
            held=meet.held,
            no_show=meet.no_show,
            declined=meet.declined,
            cancelled=meet.cancelled,
            acceptance_rate=meet.acceptance_rate,
            show_up_rate=meet.show_up_rate,
        ),
        slots=f.slot_count,
        tables=f.table_count,
        busiest_slots=[
            s.SlotUse(starts_at=x.starts_at, ends_at=x.ends_at, meetings=x.meetings)
            for x in f.busiest_slots
        ],
        busiest_tables=[
            s.TableUse(name=t.name, meetings=t.meetings, utilisation=t.utilisation)
            for t in f.busiest_tables
        ],
        outcomes=outcome_body(f.outcomes),
        rates=[
            s.ExchangeRate(currency=code, usd_per_unit=_rate_text(value))
            for code, value in f.rates.items()
        ],
    )


@operation(
    "get",
    "/v1/exhibitions/<id:exhibition_id>/exchange-rates",
    operation_id="listExchangeRates",
    tag="exhibitions",
    summary="The fair's exchange rates (organizers)",
    description="US dollars per unit of each currency, as the organizers entered them; the "
    "statistics convert intended values with them. US dollars need no rate.",
    auth="user",
    response=s.ExchangeRates,
    path_params=FAIR_ID,
)
def list_exchange_rates(exhibition_id: int):
    rates = exchange_rates.list_rates(db.session(), require_user(), exhibition_id)
    return s.ExchangeRates(
        items=[
            s.ExchangeRate(currency=r.currency, usd_per_unit=_rate_text(r.usd_per_unit))
            for r in rates
        ]
    )


@operation(
    "put",
    "/v1/exhibitions/<id:exhibition_id>/exchange-rates/<currency>",
    operation_id="setExchangeRate",
    tag="exhibitions",
    summary="Enter or change a currency's rate (organizers)",
    description="Sets US dollars per unit for one currency at this fair. The currency must be "
    "legal tender somewhere today and not USD; the rate a decimal string above 0, at most "
    "1000000, with at most 9 decimal places (422 otherwise).",
    auth="user",
    body=s.RateChange,
    response=s.ExchangeRateOut,
    path_params=RATE_PATH,
)
def set_exchange_rate(exhibition_id: int, currency: str, body: s.RateChange):
    rate = exchange_rates.set_rate(
        db.session(), require_user(), exhibition_id, currency, body.usd_per_unit
    )
    return s.ExchangeRateOut(
        currency=rate.currency,
        usd_per_unit=_rate_text(rate.usd_per_unit),
        updated_at=rate.updated_at,
    )


@operation(
    "delete",
    "/v1/exhibitions/<id:exhibition_id>/exchange-rates/<currency>",
    operation_id="deleteExchangeRate",
    tag="exhibitions",
    summary="Remove a currency's rate (organizers)",
    description="Values in this currency show as not converted again. 404 when the fair "
    "has no rate for it.",
    auth="user",
    status=204,
    path_params=RATE_PATH,
)
def delete_exchange_rate(exhibition_id: int, currency: str):
    exchange_rates.delete_rate(db.session(), require_user(), exhibition_id, currency)


@operation(
    "get",
    "/v1/statistics",
    operation_id="getPlatformStatistics",
    tag="exhibitions",
    summary="The platform's fair figures by year (administrators)",
    description="For published fairs by the year of their first day: fairs, registered "
    "participants, meetings held, outcomes by kind and intended value in US dollars by "
    "service family × market group, each fair's values at its own rates.",
    auth="user",
    query=s.YearQuery,
    response=s.PlatformStatistics,
)
def platform_statistics(query: s.YearQuery):
    years = statistics.platform_figures(db.session(), require_user(), query.year)
    return s.PlatformStatistics(
        items=[
            s.YearStatistics(
                year=y.year,
                fairs=y.fairs,
                participants=y.participants,
                meetings_held=y.meetings_held,
                outcomes=outcome_body(y.outcomes),
            )
            for y in years
        ]
    )
