"""A fair's figures for its organizers' report, and the platform's across fairs by year.

Counting is done in SQL (GROUP BY); only outcomes are combined per meeting in Python,
because both sides may record one and the meeting must count once.

Rules the report states:

* Market group of a country, one per country: China, else Belt and Road, else developed,
  else other (a country can be both developed and Belt and Road).
* Registrations count the participants with a place (status ``registered``).
* An outcome's market group is the buyer side's country (where the service is sold); when
  neither or both sides are buyers, the invitee's.
* When both sides record an outcome for one meeting, the meeting counts once: with the more
  advanced outcome (contract > MoU > follow-up > no fit) and the larger intended value
  (compared in US dollars); the service of that value's record, else the other side's.
* Values convert to US dollars at the organizer's rate for the currency (USD: 1); a value in
  a currency without a rate is not converted and reported apart, never dropped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cache

from sqlalchemy import desc, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from matchmaker import reference
from matchmaker.accounts.models import User
from matchmaker.errors import PermissionDenied

from .access import editable_exhibition, require_user
from .exchange_rates import rates_of
from .models import (
    NANOS,
    OUTCOMES,
    Exhibition,
    Meeting,
    MeetingOutcome,
    MeetingTable,
    Registration,
    Slot,
)

MARKET_ORDER = ("china", "belt_and_road", "developed", "other")
FAMILIES = (*reference.FAMILIES, "none")
STAGE = {name: rank for rank, name in enumerate(OUTCOMES)}  # no_fit < ... < contract
ACCEPTED_OR_LATER = ("accepted", "held", "no_show")
TOP = 10


@cache
def primary_market(country: str) -> str:
    """One market group per country: china, else belt_and_road, else developed, else other."""
    groups = reference.market_groups(country)
    return next(group for group in MARKET_ORDER if group in groups)


def _rate(count: int, total: int) -> float | None:
    return count / total if total else None


@dataclass
class RegistrationFigures:
    cells: dict[tuple[str, str], int] = field(default_factory=dict)  # (role, market) → count
    checked_in: int = 0

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    def by_role(self, role: str) -> int:
        return sum(n for (r, _m), n in self.cells.items() if r == role)

    def by_market(self, market: str) -> int:
        return sum(n for (_r, m), n in self.cells.items() if m == market)

    @property
    def check_in_rate(self) -> float | None:
        return _rate(self.checked_in, self.total)


@dataclass
class MeetingFigures:
    requested: int = 0  # every meeting row, whatever became of it
    waiting: int = 0  # still unanswered
    accepted: int = 0  # accepted, held or no-show
    scheduled: int = 0  # accepted, held or no-show, in a slot
    held: int = 0
    no_show: int = 0
    declined: int = 0
    cancelled: int = 0

    @property
    def acceptance_rate(self) -> float | None:
        """Accepted (or later) among the answered requests (cancelled ones left out)."""
        return _rate(self.accepted, self.accepted + self.declined)

    @property
    def show_up_rate(self) -> float | None:
        return _rate(self.held, self.held + self.no_show)


@dataclass(frozen=True)
class SlotUse:
    starts_at: datetime
    ends_at: datetime
    meetings: int


@dataclass(frozen=True)
class TableUse:
    name: str
    meetings: int
    utilisation: float  # meetings / slots


@dataclass
class Unconverted:
    currency: str
    outcomes: int = 0
    cents: int = 0


@dataclass
class OutcomeFigures:
    meetings: int = 0
    by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    counts: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    value_usd: dict[tuple[str, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    unconverted: dict[str, Unconverted] = field(default_factory=dict)

    @property
    def total_usd(self) -> Decimal:
        return sum(self.value_usd.values(), Decimal(0))

    def family_usd(self, family: str) -> Decimal:
        return sum((v for (f, _m), v in self.value_usd.items() if f == family), Decimal(0))

    def market_usd(self, market: str) -> Decimal:
        return sum((v for (_f, m), v in self.value_usd.items() if m == market), Decimal(0))

    def merge(self, other: OutcomeFigures) -> None:
        self.meetings += other.meetings
        for kind, n in other.by_kind.items():
            self.by_kind[kind] += n
        for key, n in other.counts.items():
            self.counts[key] += n
        for key, value in other.value_usd.items():
            self.value_usd[key] += value
        for code, item in other.unconverted.items():
            mine = self.unconverted.setdefault(code, Unconverted(code))
            mine.outcomes += item.outcomes
            mine.cents += item.cents


@dataclass
class FairFigures:
    exhibition: Exhibition
    registrations: RegistrationFigures
    meetings: MeetingFigures
    slot_count: int
    table_count: int
    busiest_slots: list[SlotUse]
    busiest_tables: list[TableUse]
    outcomes: OutcomeFigures
    rates: dict[str, Decimal]  # the organizer's rates used (USD not listed)

    @property
    def table_utilisation(self) -> float | None:
        """Meetings in a slot at a table over every table-slot the fair has."""
        return _rate(self.meetings.scheduled, self.slot_count * self.table_count)


# --- counting ----------------------------------------------------------------------


def registration_figures(db: Session, exhibition_id: int) -> RegistrationFigures:
    from matchmaker.profiles.models import Organization

    rows = db.exec(
        select(
            Registration.role,
            Organization.country,
            func.count(),
            func.count(Registration.checked_in_at),
        )
        .join(Organization, Organization.id == Registration.organization_id)
        .where(Registration.exhibition_id == exhibition_id, Registration.status == "registered")
        .group_by(Registration.role, Organization.country)
    ).all()
    figures = RegistrationFigures()
    for role, country, count, checked_in in rows:
        key = (role, primary_market(country))
        figures.cells[key] = figures.cells.get(key, 0) + count
        figures.checked_in += checked_in
    return figures


def meeting_figures(db: Session, exhibition_id: int) -> MeetingFigures:
    has_slot = Meeting.slot_id.is_not(None).label("has_slot")
    rows = db.exec(
        select(Meeting.status, has_slot, func.count())
        .where(Meeting.exhibition_id == exhibition_id)
        .group_by(Meeting.status, has_slot)
    ).all()
    figures = MeetingFigures()
    for status, in_slot, count in rows:
        figures.requested += count
        if status == "requested":
            figures.waiting += count
        elif status in ACCEPTED_OR_LATER:
            figures.accepted += count
            figures.scheduled += count if in_slot else 0
        if status in ("held", "no_show", "declined", "cancelled"):
            setattr(figures, status, getattr(figures, status) + count)
    return figures


def busiest_slots(db: Session, exhibition_id: int, limit: int = TOP) -> list[SlotUse]:
    meetings = func.count(Meeting.id).label("meetings")
    rows = db.exec(
        select(Slot.starts_at, Slot.ends_at, meetings)
        .join(Meeting, Meeting.slot_id == Slot.id)
        .where(Meeting.exhibition_id == exhibition_id, Meeting.status.in_(ACCEPTED_OR_LATER))
        .group_by(Slot.id, Slot.starts_at, Slot.ends_at)
        .order_by(desc(meetings), Slot.starts_at)
        .limit(limit)
    ).all()
    return [SlotUse(*row) for row in rows]


def busiest_tables(
    db: Session, exhibition_id: int, slot_count: int, limit: int = TOP
) -> list[TableUse]:
    meetings = func.count(Meeting.id).label("meetings")
    rows = db.exec(
        select(MeetingTable.name, meetings)
        .join(Meeting, Meeting.table_id == MeetingTable.id)
        .where(
            Meeting.exhibition_id == exhibition_id,
            Meeting.status.in_(ACCEPTED_OR_LATER),
            Meeting.slot_id.is_not(None),
        )
        .group_by(MeetingTable.id, MeetingTable.name, MeetingTable.position)
        .order_by(desc(meetings), MeetingTable.position, MeetingTable.name)
        .limit(limit)
    ).all()
    return [TableUse(name, n, n / slot_count if slot_count else 0.0) for name, n in rows]


def _count(db: Session, column, *where) -> int:
    return db.exec(select(func.count(column)).where(*where)).one()


# --- outcomes ------------------------------------------------------------------------


def _outcome_rows(db: Session, exhibition_ids: list[int]):
    """One row per recorded outcome: the meeting, what was said, and both sides' kind/country."""
    from matchmaker.profiles.models import Organization

    requester, invitee = aliased(Organization), aliased(Organization)
    # Core rather than the ORM: thousands of plain tuples come back several times faster.
    return (
        db.connection()
        .execute(
            select(
                Meeting.exhibition_id,
                MeetingOutcome.meeting_id,
                MeetingOutcome.outcome,
                MeetingOutcome.service,
                MeetingOutcome.value_cents,
                MeetingOutcome.currency,
                requester.kind,
                requester.country,
                invitee.kind,
                invitee.country,
            )
            .join(Meeting, Meeting.id == MeetingOutcome.meeting_id)
            .join(requester, requester.id == Meeting.requester_id)
            .join(invitee, invitee.id == Meeting.invitee_id)
            .where(Meeting.exhibition_id.in_(exhibition_ids))
            .order_by(MeetingOutcome.meeting_id, MeetingOutcome.id)
        )
        .all()
    )


def to_usd(cents: int, nanos: int) -> Decimal:
    """Hundredths of a currency unit at ``nanos`` US dollars × 10⁹ per unit, exactly."""
    return Decimal(cents) * nanos / (100 * NANOS)


def outcome_market(req_kind: str, req_country: str, inv_kind: str, inv_country: str) -> str:
    """The buyer side's market group; when neither or both are buyers, the invitee's."""
    if req_kind == "buyer" and inv_kind != "buyer":
        return primary_market(req_country)
    return primary_market(inv_country)


def _family(service: str | None) -> str:
    if not service:
        return "none"
    family = reference.family_of(service)
    return family if family in reference.FAMILIES else "none"


def _worth(row, fair_rates: dict[str, int]) -> tuple:
    """Which side's record carries the meeting's value: a converted value, the larger."""
    nanos = fair_rates.get(row[5]) if row[4] is not None else None
    usd = to_usd(row[4], nanos) if nanos else Decimal(-1)
    return (row[4] is not None, nanos is not None, usd, row[4] or 0, STAGE[row[2]])


def combine_outcomes(rows, rates: dict[int, dict[str, int]]) -> OutcomeFigures:
    """Outcome figures from ``_outcome_rows``, each meeting once (see the module's rules)."""
    figures = OutcomeFigures()
    by_meeting: dict[int, list] = defaultdict(list)
    for row in rows:
        by_meeting[row[1]].append(tuple(row))
    for records in by_meeting.values():
        fair_rates = rates.get(records[0][0], {})
        if len(records) == 1:
            lead = records[0]
            kind, service = lead[2], lead[3]
        else:
            kind = max((r[2] for r in records), key=STAGE.__getitem__)
            lead = max(records, key=lambda r: _worth(r, fair_rates))
            service = lead[3] or next((r[3] for r in records if r[3]), None)
        key = (_family(service), outcome_market(*lead[6:10]))
        figures.meetings += 1
        figures.by_kind[kind] += 1
        figures.counts[key] += 1
        if lead[4] is None:
            continue
        nanos = fair_rates.get(lead[5])
        if nanos:
            figures.value_usd[key] += to_usd(lead[4], nanos)
        else:
            item = figures.unconverted.setdefault(lead[5], Unconverted(lead[5]))
            item.outcomes += 1
            item.cents += lead[4]
    return figures


# --- one fair -----------------------------------------------------------------------


def fair_figures(db: Session, actor: User | None, exhibition_id: int) -> FairFigures:
    """Everything on a fair's report (its organizers and administrators only)."""
    fair = editable_exhibition(db, actor, exhibition_id)
    slot_count = _count(db, Slot.id, Slot.exhibition_id == fair.id)
    table_count = _count(db, MeetingTable.id, MeetingTable.exhibition_id == fair.id)
    rates = rates_of(db, fair.id)
    return FairFigures(
        exhibition=fair,
        registrations=registration_figures(db, fair.id),
        meetings=meeting_figures(db, fair.id),
        slot_count=slot_count,
        table_count=table_count,
        busiest_slots=busiest_slots(db, fair.id),
        busiest_tables=busiest_tables(db, fair.id, slot_count),
        outcomes=combine_outcomes(_outcome_rows(db, [fair.id]), {fair.id: rates}),
        rates={c: Decimal(n) / NANOS for c, n in sorted(rates.items()) if c != "USD"},
    )


# --- the platform, by year ------------------------------------------------------------


@dataclass
class YearFigures:
    year: int
    fairs: int = 0
    participants: int = 0
    meetings_held: int = 0
    outcomes: OutcomeFigures = field(default_factory=OutcomeFigures)


def require_admin(actor: User | None) -> User:
    actor = require_user(actor)
    if not actor.is_admin:
        raise PermissionDenied()
    return actor


def platform_figures(db: Session, actor: User | None, year: int | None = None) -> list[YearFigures]:
    """Outcome figures of every published fair by its first day's year, newest first."""
    require_admin(actor)
    query = select(Exhibition.id, Exhibition.starts_on).where(Exhibition.status == "published")
    fairs = {fair_id: starts.year for fair_id, starts in db.exec(query).all()}
    if year is not None:
        fairs = {fair_id: y for fair_id, y in fairs.items() if y == year}
    years: dict[int, YearFigures] = {}
    for fair_year in fairs.values():
        years.setdefault(fair_year, YearFigures(fair_year)).fairs += 1
    if not fairs:
        return []
    ids = list(fairs)
    registered = db.exec(
        select(Registration.exhibition_id, func.count())
        .where(Registration.exhibition_id.in_(ids), Registration.status == "registered")
        .group_by(Registration.exhibition_id)
    ).all()
    for fair_id, n in registered:
        years[fairs[fair_id]].participants += n
    held = db.exec(
        select(Meeting.exhibition_id, func.count())
        .where(Meeting.exhibition_id.in_(ids), Meeting.status == "held")
        .group_by(Meeting.exhibition_id)
    ).all()
    for fair_id, n in held:
        years[fairs[fair_id]].meetings_held += n
    rates = {fair_id: rates_of(db, fair_id) for fair_id in ids}
    rows_by_year: dict[int, list] = defaultdict(list)
    for row in _outcome_rows(db, ids):
        rows_by_year[fairs[row[0]]].append(row)
    for fair_year, rows in rows_by_year.items():
        years[fair_year].outcomes = combine_outcomes(rows, rates)
    return sorted(years.values(), key=lambda y: y.year, reverse=True)
