"""CSV exports of a fair for its organizers, and of the platform's figures for administrators.

Files are UTF-8 with a byte order mark (so Excel reads Chinese and Arabic right), one header
row of stable column names (scripts rely on them), codes rather than labels, and every cell
that a spreadsheet would run as a formula (= + - @, tab, carriage return) prefixed with '.
Rows are produced one at a time, so the view can stream them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from matchmaker.accounts.models import User

from .access import editable_exhibition
from .exchange_rates import rates_of
from .models import Meeting, MeetingOutcome, MeetingTable, Registration, Slot
from .statistics import (
    FAMILIES,
    MARKET_ORDER,
    OUTCOMES,
    platform_figures,
    primary_market,
    to_usd,
)
from .times import local

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORTS = ("participants", "meetings", "outcomes")


def safe_cell(value: object) -> str:
    """A cell as text, defused when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(header: list[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The CSV text line by line: BOM and header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(header)
    yield BOM + take()
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        yield take()


def _money(cents: int | None) -> str:
    return "" if cents is None else str((Decimal(cents) / 100).quantize(Decimal("0.01")))


def _participants(db: Session, fair) -> Iterator[list]:
    from matchmaker.profiles.models import Organization

    query = (
        select(Registration, Organization)
        .join(Organization, Organization.id == Registration.organization_id)
        .where(Registration.exhibition_id == fair.id)
        .order_by(Registration.role, Organization.name, Registration.id)
    )
    for registration, org in db.exec(query):
        checked = registration.checked_in_at
        yield [
            org.name,
            org.country,
            registration.role,
            registration.status,
            primary_market(org.country),
            local(checked, fair.timezone).isoformat() if checked else "",
            registration.contact_email,
            " ".join(org.services or []),
        ]


def _meetings(db: Session, fair) -> Iterator[list]:
    from matchmaker.profiles.models import Organization

    requester, invitee = aliased(Organization), aliased(Organization)
    query = (
        select(Meeting, requester.name, invitee.name, Slot.starts_at, MeetingTable.name)
        .join(requester, requester.id == Meeting.requester_id)
        .join(invitee, invitee.id == Meeting.invitee_id)
        .outerjoin(Slot, Slot.id == Meeting.slot_id)
        .outerjoin(MeetingTable, MeetingTable.id == Meeting.table_id)
        .where(Meeting.exhibition_id == fair.id)
        .order_by(Meeting.id)
    )
    for meeting, requester_name, invitee_name, starts_at, table in db.exec(query):
        yield [
            meeting.id,
            requester_name,
            invitee_name,
            meeting.status,
            local(starts_at, fair.timezone).isoformat() if starts_at else "",
            table or "",
            meeting.placed_by or "",
        ]


def _outcomes(db: Session, fair) -> Iterator[list]:
    from matchmaker.profiles.models import Organization

    rates = rates_of(db, fair.id)
    query = (
        select(MeetingOutcome, Organization.name)
        .join(Meeting, Meeting.id == MeetingOutcome.meeting_id)
        .join(Organization, Organization.id == MeetingOutcome.organization_id)
        .where(Meeting.exhibition_id == fair.id)
        .order_by(MeetingOutcome.meeting_id, MeetingOutcome.id)
    )
    for outcome, org_name in db.exec(query):
        nanos = rates.get(outcome.currency or "")
        usd = ""
        if outcome.value_cents is not None and nanos:
            usd = str(to_usd(outcome.value_cents, nanos).quantize(Decimal("0.01")))
        yield [
            outcome.meeting_id,
            org_name,
            outcome.outcome,
            outcome.service or "",
            _money(outcome.value_cents),
            outcome.currency or "",
            usd,
        ]


HEADERS = {
    "participants": [
        "organization",
        "country",
        "role",
        "status",
        "market_group",
        "checked_in_at",
        "contact_email",
        "services",
    ],
    "meetings": ["id", "requester", "invitee", "status", "slot_start", "table", "placed_by"],
    "outcomes": ["meeting", "organization", "outcome", "service", "value", "currency", "value_usd"],
}
_ROWS = {"participants": _participants, "meetings": _meetings, "outcomes": _outcomes}


def fair_export(db: Session, actor: User | None, exhibition_id: int, what: str) -> Iterator[str]:
    """A fair's participants, meetings or outcomes as CSV lines (organizers only).

    Permission is checked here, before the first line, so a refusal is an error page.
    """
    fair = editable_exhibition(db, actor, exhibition_id)
    return csv_lines(HEADERS[what], _ROWS[what](db, fair))


PLATFORM_HEADER = [
    "year",
    "fairs",
    "participants",
    "meetings_held",
    *(f"outcomes_{kind}" for kind in OUTCOMES),
    *(f"value_usd_{f}_{m}" for f in FAMILIES for m in MARKET_ORDER),
    "not_converted",
]


def platform_export(db: Session, actor: User | None) -> Iterator[str]:
    """The platform's figures by year as CSV lines (administrators only)."""
    years = platform_figures(db, actor)

    def rows():
        for y in years:
            o = y.outcomes
            missing = " ".join(
                f"{code}:{o.unconverted[code].outcomes}" for code in sorted(o.unconverted)
            )
            yield [
                y.year,
                y.fairs,
                y.participants,
                y.meetings_held,
                *(o.by_kind[kind] for kind in OUTCOMES),
                *(
                    str(o.value_usd.get((f, m), Decimal(0)).quantize(Decimal("0.01")))
                    for f in FAMILIES
                    for m in MARKET_ORDER
                ),
                missing,
            ]

    return csv_lines(PLATFORM_HEADER, rows())
