"""What the participant pages show, loaded in bulk: the fair's people and one agenda.

A handful of queries per page, none per row: a participant's agenda at a fair with
thousands of meetings renders from the rows it needs and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from math import ceil

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_
from sqlmodel import Session, select

from matchmaker import reference
from matchmaker.accounts.models import User
from matchmaker.i18n import LOCALES
from matchmaker.profiles.models import Organization
from matchmaker.profiles.service import can_view
from matchmaker.reference import labels

from . import service
from .labels import MEETING_LABELS, REGISTRATION_STATUS_LABELS  # noqa: F401  (used by views)
from .models import (
    AgendaChoice,
    AgendaSession,
    Booth,
    CalendarFeed,
    Exhibition,
    Meeting,
    MeetingTable,
    Registration,
    Slot,
    SlotOccupancy,
)
from .times import local

ROLE_LABELS = {
    "exhibitor": _l("Exhibitor"),
    "buyer": _l("Buyer"),
    "visitor": _l("Visitor"),
}
REGISTRATION_LABELS = REGISTRATION_STATUS_LABELS
PER_PAGE = 24
CLOSED_SHOWN = 20
OPEN = ("requested", "accepted")
ON_AGENDA = ("accepted", "held", "no_show")


# --- the fair's participants ----------------------------------------------------


@dataclass
class ParticipantQuery:
    text: str = ""
    role: str = ""
    kind: str = ""
    country: str = ""
    family: str = ""
    page: int = 1

    def active(self) -> bool:
        return any((self.text, self.role, self.kind, self.country, self.family))


@dataclass(frozen=True)
class ParticipantOrg:
    """The columns a participant card shows (no descriptions: a fair lists thousands)."""

    id: int
    name: str
    kind: str
    country: str
    city: str
    services: list[str]
    verified: bool


@dataclass
class ParticipantRow:
    organization: ParticipantOrg
    role: str
    booth: str | None
    meeting_status: str | None


@dataclass
class ParticipantPage:
    query: ParticipantQuery
    items: list[ParticipantRow]
    total: int
    pages: int
    options: dict[str, list[tuple[str, str]]]
    # Every participant by organization id (role, booth) for the suggestions above the list.
    by_org: dict[int, ParticipantRow]


def parse_participant_query(args) -> ParticipantQuery:
    """Filters from the query string; unknown values are dropped, not errors."""
    try:
        page = max(1, min(int(args.get("page", 1)), 10_000))
    except (TypeError, ValueError):
        page = 1
    role = args.get("role", "")
    kind = args.get("kind", "")
    family = args.get("family", "")
    country = args.get("country", "").upper()
    return ParticipantQuery(
        text=" ".join(args.get("q", "").split())[:200],
        role=role if role in ROLE_LABELS else "",
        kind=kind if kind in labels.KIND_LABELS else "",
        country=country if len(country) == 2 and country.isalpha() else "",
        family=family if family in reference.FAMILIES else "",
        page=page,
    )


def _families(org: ParticipantOrg) -> set[str]:
    return {reference.family_of(code) for code in org.services or []}


def _matches(row: ParticipantRow, query: ParticipantQuery) -> bool:
    org = row.organization
    if query.text:
        haystack = f"{org.name}\n{org.city}".casefold()
        if not all(word in haystack for word in query.text.casefold().split()):
            return False
    return (
        (not query.role or row.role == query.role)
        and (not query.kind or org.kind == query.kind)
        and (not query.country or org.country == query.country)
        and (not query.family or query.family in _families(org))
    )


def _options(rows: list[ParticipantRow]) -> dict[str, list[tuple[str, str]]]:
    roles = {row.role for row in rows}
    kinds = {row.organization.kind for row in rows}
    countries = {row.organization.country for row in rows}
    families = set().union(*(_families(row.organization) for row in rows)) if rows else set()
    return {
        "role": [(r, str(ROLE_LABELS[r])) for r in ROLE_LABELS if r in roles],
        "kind": [(k, str(labels.KIND_LABELS[k])) for k in labels.KIND_LABELS if k in kinds],
        "country": sorted(
            ((c, labels.country_name(c)) for c in countries), key=lambda item: item[1]
        ),
        "family": [
            (f, str(labels.FAMILY_SHORT_LABELS[f])) for f in reference.FAMILIES if f in families
        ],
    }


def open_meetings_with(db: Session, exhibition_id: int, org_id: int) -> dict[int, str]:
    """{other organization: status} of the organization's requested and accepted meetings."""
    rows = db.exec(
        select(Meeting.requester_id, Meeting.invitee_id, Meeting.status).where(
            Meeting.exhibition_id == exhibition_id,
            Meeting.status.in_(OPEN),
            or_(Meeting.requester_id == org_id, Meeting.invitee_id == org_id),
        )
    )
    return {(inv if req == org_id else req): status for req, inv, status in rows}


def _fair_people(db: Session, exhibition_id: int) -> list[tuple[ParticipantOrg, str]]:
    """Registered participants with their role, by name; hidden profiles stay hidden.

    Signed-in readers only (the page requires it), who see public and members profiles:
    the same rule as ``service.participants``, in one query of plain columns.
    """
    rows = db.exec(
        select(
            Organization.id,
            Organization.name,
            Organization.kind,
            Organization.country,
            Organization.city,
            Organization.services,
            Organization.verified,
            Registration.role,
        )
        .join(Registration, Registration.organization_id == Organization.id)
        .where(
            Registration.exhibition_id == exhibition_id,
            Registration.status == "registered",
            Organization.visibility.in_(("public", "members")),
        )
        .order_by(Organization.name, Organization.id)
    )
    return [(ParticipantOrg(*row[:6], bool(row[6])), row[7]) for row in rows]


def participant_page(
    db: Session,
    viewer: User | None,
    exhibition_id: int,
    org_id: int | None,
    query: ParticipantQuery,
) -> ParticipantPage:
    """The fair's registered participants, filtered and cut into pages."""
    service.get_exhibition(db, exhibition_id, viewer)
    booths = dict(
        db.exec(
            select(Booth.organization_id, Booth.code).where(
                Booth.exhibition_id == exhibition_id, Booth.organization_id.is_not(None)
            )
        ).all()
    )
    meetings = open_meetings_with(db, exhibition_id, org_id) if org_id else {}
    rows = [
        ParticipantRow(org, role, booths.get(org.id), meetings.get(org.id))
        for org, role in _fair_people(db, exhibition_id)
    ]
    found = [row for row in rows if _matches(row, query)]
    pages = max(1, ceil(len(found) / PER_PAGE))
    start = (query.page - 1) * PER_PAGE
    shown = found[start : start + PER_PAGE]
    by_org = {row.organization.id: row for row in rows}
    return ParticipantPage(query, shown, len(found), pages, _options(rows), by_org)


def registration_status(db: Session, exhibition_id: int, org_id: int | None) -> str | None:
    if org_id is None:
        return None
    return db.exec(
        select(Registration.status).where(
            Registration.exhibition_id == exhibition_id, Registration.organization_id == org_id
        )
    ).first()


# --- slots ------------------------------------------------------------------------


def busy_slots(db: Session, exhibition_id: int, org_ids: list[int]) -> set[int]:
    """Slots in which any of the organizations is busy (in a meeting or unavailable).

    Only the fact, not why: enough to offer the other side's free times.
    """
    return set(
        db.exec(
            select(SlotOccupancy.slot_id)
            .join(Slot, Slot.id == SlotOccupancy.slot_id)
            .where(Slot.exhibition_id == exhibition_id, SlotOccupancy.organization_id.in_(org_ids))
        )
    )


def by_day(slots: list[Slot], tz: str) -> list[tuple[date, list[Slot]]]:
    """Slots grouped by the fair's local day, in time order."""
    days: dict[date, list[Slot]] = {}
    for slot in slots:
        days.setdefault(local(slot.starts_at, tz).date(), []).append(slot)
    return list(days.items())


def requests_sent(db: Session, exhibition_id: int, org_id: int) -> int:
    """Open requests the organization sent (what the request cap counts)."""
    return db.exec(
        select(func.count(Meeting.id)).where(
            Meeting.exhibition_id == exhibition_id,
            Meeting.requester_id == org_id,
            Meeting.status.in_(OPEN),
        )
    ).one()


# --- one participant's agenda -------------------------------------------------------


@dataclass(frozen=True)
class OrgBrief:
    """What an agenda shows of an organization (no descriptions, no lists)."""

    id: int
    name: str
    kind: str
    country: str
    visibility: str


def org_briefs(db: Session, ids: set[int]) -> dict[int, OrgBrief]:
    if not ids:
        return {}
    rows = db.exec(
        select(
            Organization.id,
            Organization.name,
            Organization.kind,
            Organization.country,
            Organization.visibility,
        ).where(Organization.id.in_(ids))
    )
    return {row[0]: OrgBrief(*row) for row in rows}


@dataclass
class AgendaMeeting:
    meeting: Meeting
    other: OrgBrief | None
    other_visible: bool
    slot: Slot | None
    proposed: Slot | None
    table: str | None
    # Who answers next (a request, or a proposed time): this organization or the other.
    my_turn: bool
    their_turn: bool
    outgoing: bool


@dataclass
class AgendaEntry:
    starts_at: datetime
    ends_at: datetime
    meeting: AgendaMeeting | None = None
    session: AgendaSession | None = None


@dataclass
class Agenda:
    days: list[tuple[date, list[AgendaEntry]]] = field(default_factory=list)
    waiting_for_us: list[AgendaMeeting] = field(default_factory=list)
    waiting_for_them: list[AgendaMeeting] = field(default_factory=list)
    closed: list[AgendaMeeting] = field(default_factory=list)
    own: OrgBrief | None = None

    def is_empty(self) -> bool:
        return not (self.days or self.waiting_for_us or self.waiting_for_them or self.closed)


def _answering_side(meeting: Meeting) -> int:
    if meeting.proposed_by_id is not None:
        sides = {meeting.requester_id, meeting.invitee_id} - {meeting.proposed_by_id}
        return sides.pop()
    return meeting.invitee_id


def _by_id(db: Session, model, ids: set[int]) -> dict:
    ids.discard(None)
    if not ids:
        return {}
    return {row.id: row for row in db.exec(select(model).where(model.id.in_(ids)))}


def _other_side(meeting: Meeting, org_id: int) -> int:
    return meeting.invitee_id if meeting.requester_id == org_id else meeting.requester_id


def meeting_items(
    db: Session,
    viewer: User | None,
    meetings: list[Meeting],
    org_id: int,
    others: dict[int, OrgBrief] | None = None,
) -> list[AgendaMeeting]:
    """Meetings seen from one side, with their slots, tables and the other side: 3 queries."""
    slots = _by_id(db, Slot, {m.slot_id for m in meetings} | {m.proposed_slot_id for m in meetings})
    tables = _by_id(db, MeetingTable, {m.table_id for m in meetings})
    if others is None:
        others = org_briefs(db, {_other_side(m, org_id) for m in meetings})
    items = []
    for meeting in meetings:
        other = others.get(_other_side(meeting, org_id))
        table = tables.get(meeting.table_id)
        asks = meeting.status == "requested" or (
            meeting.status == "accepted" and meeting.proposed_slot_id is not None
        )
        items.append(
            AgendaMeeting(
                meeting=meeting,
                other=other,
                other_visible=other is not None and can_view(viewer, other),
                slot=slots.get(meeting.slot_id),
                proposed=slots.get(meeting.proposed_slot_id),
                table=table.name if table else None,
                my_turn=asks and _answering_side(meeting) == org_id,
                their_turn=asks and _answering_side(meeting) != org_id,
                outgoing=meeting.requester_id == org_id,
            )
        )
    return items


def load_agenda(db: Session, viewer: User | None, exhibition: Exhibition, org_id: int) -> Agenda:
    """An organization's meetings, requests and chosen sessions at one fair, by day."""
    meetings = list(
        db.exec(
            select(Meeting)
            .where(
                Meeting.exhibition_id == exhibition.id,
                or_(Meeting.requester_id == org_id, Meeting.invitee_id == org_id),
            )
            .order_by(Meeting.id)
        )
    )
    closed = sorted(
        (m for m in meetings if m.status in ("declined", "cancelled")),
        key=lambda m: m.updated_at,
        reverse=True,
    )[:CLOSED_SHOWN]
    shown = [m for m in meetings if m.status not in ("declined", "cancelled")] + closed
    # The other sides and this organization itself, in one query.
    briefs = org_briefs(db, {_other_side(m, org_id) for m in shown} | {org_id})
    agenda = Agenda(own=briefs.get(org_id))
    entries: list[AgendaEntry] = []
    for item in meeting_items(db, viewer, shown, org_id, briefs):
        if item.meeting.status in ("declined", "cancelled"):
            agenda.closed.append(item)
            continue
        if item.meeting.status in ON_AGENDA and item.slot is not None:
            entries.append(AgendaEntry(item.slot.starts_at, item.slot.ends_at, meeting=item))
        if item.my_turn:
            agenda.waiting_for_us.append(item)
        elif item.their_turn:
            agenda.waiting_for_them.append(item)
    for chosen in _chosen_sessions(db, exhibition.id, org_id):
        entries.append(AgendaEntry(chosen.starts_at, chosen.ends_at, session=chosen))
    entries.sort(key=lambda e: (e.starts_at, e.session is not None))
    days: dict[date, list[AgendaEntry]] = {}
    for entry in entries:
        days.setdefault(local(entry.starts_at, exhibition.timezone).date(), []).append(entry)
    agenda.days = list(days.items())
    return agenda


def slot(db: Session, slot_id: int | None) -> Slot | None:
    return db.get(Slot, slot_id) if slot_id else None


def table_name(db: Session, table_id: int | None) -> str:
    table = db.get(MeetingTable, table_id) if table_id else None
    return table.name if table else ""


def _chosen_sessions(db: Session, exhibition_id: int, org_id: int) -> list[AgendaSession]:
    return list(
        db.exec(
            select(AgendaSession)
            .join(AgendaChoice, AgendaChoice.session_id == AgendaSession.id)
            .where(
                AgendaSession.exhibition_id == exhibition_id,
                AgendaChoice.organization_id == org_id,
            )
            .order_by(AgendaSession.starts_at, AgendaSession.id)
        )
    )


def feed_owner_locale(db: Session, secret: str) -> str:
    """The language a feed speaks: its owner's, else English."""
    chosen = db.exec(
        select(User.locale)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.secret == secret)
    ).first()
    return chosen if chosen in LOCALES else "en"
