"""A fair's figures for its organizers, its exchange rates, and the platform's figures by year."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from matchmaker.exhibitions.models import OUTCOMES, ROLES
from matchmaker.exhibitions.statistics import FAMILIES

from .common import Instant, MarketGroup, Out, Strict, _code_set, whole_number

OutcomeFamily = _code_set(
    "OutcomeFamily", FAMILIES, "Service family of an outcome: ITO, BPO, KPO, or none given."
)
OutcomeKind = _code_set(
    "OutcomeKind", OUTCOMES, "What came of a meeting: no_fit, follow_up, mou or contract."
)
StatisticsRole = _code_set("StatisticsRole", ROLES, "How an organization takes part.")
Amount = Annotated[
    str,
    Field(
        pattern=r"^\d+(\.\d+)?$",
        description="An exact decimal amount as text.",
        examples=["12500.00"],
    ),
]
Rate = Annotated[float | None, Field(ge=0, le=1, description="A share from 0 to 1; null if 0/0.")]
Count = whole_number(ge=0, description="A count.")
_MARKET_RULE = (
    "One market group per country: china, else belt_and_road, else developed, else other."
)


class RegistrationCell(Out):
    role: StatisticsRole
    market: MarketGroup = Field(description=_MARKET_RULE)
    count: Count


class RegistrationStatistics(Out):
    total: Count = Field(description="Registered participants (with a place).")
    checked_in: Count
    items: list[RegistrationCell] = Field(description="Non-zero cells of role × market group.")


class MeetingStatistics(Out):
    requested: Count = Field(description="Every meeting request ever made.")
    waiting: Count = Field(description="Requests not answered yet.")
    accepted: Count = Field(description="Accepted, held or no-show.")
    scheduled: Count = Field(description="Accepted, held or no-show, in a slot.")
    held: Count
    no_show: Count
    declined: Count
    cancelled: Count
    acceptance_rate: Rate = Field(description="Accepted among accepted + declined.")
    show_up_rate: Rate = Field(description="Held among held + no-show.")


class SlotUse(Out):
    starts_at: Instant
    ends_at: Instant
    meetings: Count


class TableUse(Out):
    name: str
    meetings: Count
    utilisation: float = Field(ge=0, description="Meetings over the fair's slots.")


class OutcomeCell(Out):
    family: OutcomeFamily
    market: MarketGroup = Field(description="The buyer side's market group (else the invitee's).")
    meetings: Count
    value_usd: Amount


class Unconverted(Out):
    currency: str = Field(description="ISO 4217 code without a rate at the fair.")
    outcomes: Count
    value: Amount = Field(description="Their sum in that currency.")


class OutcomeStatistics(Out):
    meetings: Count = Field(description="Meetings with an outcome, each counted once.")
    by_kind: dict[OutcomeKind, int]
    items: list[OutcomeCell] = Field(description="Non-zero cells of family × market group.")
    total_usd: Amount
    unconverted: list[Unconverted] = Field(
        description="Values in currencies without a rate: not in the US dollar sums."
    )


class ExchangeRate(Out):
    currency: str = Field(description="ISO 4217 code.", examples=["CNY"])
    usd_per_unit: Amount = Field(description="US dollars per unit of the currency.")


class FairStatistics(Out):
    exhibition_id: int
    registrations: RegistrationStatistics
    meetings: MeetingStatistics
    slots: Count
    tables: Count
    busiest_slots: list[SlotUse] = Field(description="Top 10, most meetings first.")
    busiest_tables: list[TableUse] = Field(description="Top 10, most meetings first.")
    outcomes: OutcomeStatistics
    rates: list[ExchangeRate] = Field(description="The rates used (US dollars: 1, not listed).")


class ExchangeRates(Out):
    items: list[ExchangeRate]


class RateChange(Strict):
    usd_per_unit: str = Field(
        max_length=40,
        description="US dollars per unit as a decimal string: above 0, at most 1000000, "
        "at most 9 decimal places.",
        examples=["0.1389"],
    )


class ExchangeRateOut(ExchangeRate):
    updated_at: Instant


class YearStatistics(Out):
    year: int
    fairs: Count
    participants: Count
    meetings_held: Count
    outcomes: OutcomeStatistics


class PlatformStatistics(Out):
    items: list[YearStatistics] = Field(description="Newest year first.")


class YearQuery(Strict):
    year: int | None = Field(None, ge=1900, le=9999, description="Only this year's fairs.")
