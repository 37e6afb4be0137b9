"""Trade fairs: fairs, agenda sessions, registrations, booths, slots and meetings."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from matchmaker.exhibitions import validation as limits
from matchmaker.exhibitions.models import (
    EXHIBITION_STATUSES,
    MEETING_STATUSES,
    REGISTRATION_STATUSES,
    ROLES,
    SESSION_KINDS,
)
from matchmaker.exhibitions.times import known_zones

from .common import Id, Instant, Locale, Out, Paging, Strict, Url, _code_set, whole_number
from .organizations import OrganizationSummary

ExhibitionStatus = _code_set(
    "ExhibitionStatus",
    EXHIBITION_STATUSES,
    "draft (seen by its organizers only), published, or cancelled.",
)
ParticipantRole = _code_set("ParticipantRole", ROLES, "How an organization takes part.")
RegistrationStatus = _code_set(
    "RegistrationStatus",
    REGISTRATION_STATUSES,
    "pending: awaits the organizers' approval; registered: has a place; waitlisted: waits "
    "for a place, promoted in order; declined; withdrawn.",
)
SessionKind = _code_set("SessionKind", SESSION_KINDS, "Kind of agenda session.")
MeetingStatus = _code_set("MeetingStatus", MEETING_STATUSES, "State of a meeting.")
TimeZone = _code_set("TimeZone", sorted(known_zones()), "An IANA time zone name.")

_NO_NUL_BLANK = r"^[^\x00]*[^\s\x00][^\x00]*$"
WallTime = Annotated[
    str,
    Field(
        pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
        description="A local wall time in the fair's zone, HH:MM.",
        examples=["09:00"],
    ),
]


def _texts(limit: int, *, required: bool) -> object:
    value = Annotated[str, Field(max_length=limit, pattern=_NO_NUL_BLANK)]
    if required:
        return Annotated[dict[Locale, value], Field(min_length=1)]
    return dict[Locale, Annotated[str, Field(max_length=limit)] | None]


Names = _texts(limits.MAX_NAME, required=True)
Descriptions = _texts(limits.MAX_DESCRIPTION, required=False)
_LOCALIZED = "Texts keyed by locale; a reader gets theirs, else English, else any."


class Break(Strict):
    starts: WallTime
    ends: WallTime


SlotMinutes = whole_number(ge=1, le=limits.MAX_SLOT_MINUTES, description="Meeting length.")
Tables = whole_number(ge=1, le=limits.MAX_TABLES, description="Meeting tables, named T01….")
RequestCap = whole_number(ge=1, le=10_000, description="Meeting requests a participant may send.")
Capacity = whole_number(ge=0, le=1_000_000, description="Places for this role (none: no limit).")


class ExhibitionChanges(Strict):
    """Fields to change; fields not given stay. Changing days, hours or the slot length
    regenerates the meeting slots (refused with 409 while a removed slot holds a meeting)."""

    name: Names = Field(None, description=_LOCALIZED)  # type: ignore[assignment]
    description: Descriptions | None = Field(None, description=_LOCALIZED)
    city: Annotated[str, Field(max_length=120)] | None = None
    venue: Annotated[str, Field(max_length=200)] | None = None
    timezone: TimeZone = Field(None, description="The fair's IANA time zone.")  # type: ignore[assignment]
    starts_on: date = Field(None, description="First day (local).")  # type: ignore[assignment]
    ends_on: date = Field(None, description="Last day (local), on or after the first.")  # type: ignore[assignment]
    day_start: WallTime = None  # type: ignore[assignment]
    day_end: WallTime = None  # type: ignore[assignment]
    slot_minutes: SlotMinutes = None  # type: ignore[valid-type]
    tables: Tables = None  # type: ignore[valid-type]
    breaks: list[Break] | None = Field(None, max_length=10, description="Daily breaks.")
    buyer_approval: bool = Field(None, description="Buyers need the organizers' approval.")  # type: ignore[assignment]
    capacity_exhibitor: Capacity | None = None  # type: ignore[valid-type]
    capacity_buyer: Capacity | None = None  # type: ignore[valid-type]
    capacity_visitor: Capacity | None = None  # type: ignore[valid-type]
    request_cap: RequestCap | None = None  # type: ignore[valid-type]
    status: ExhibitionStatus = Field(  # type: ignore[assignment]
        None, description="published opens registration; cancelled ends it. Never back to draft."
    )


class NewExhibition(ExhibitionChanges):
    """A new fair; it starts as a draft."""

    name: Names = Field(description=_LOCALIZED)  # type: ignore[assignment]
    timezone: TimeZone = Field(description="The fair's IANA time zone.")  # type: ignore[assignment]
    starts_on: date = Field(description="First day (local).")  # type: ignore[assignment]
    ends_on: date = Field(description="Last day (local).")  # type: ignore[assignment]
    day_start: WallTime  # type: ignore[assignment]
    day_end: WallTime  # type: ignore[assignment]
    slot_minutes: SlotMinutes  # type: ignore[valid-type]

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "name": {"en": "Dalian Digital Delivery Expo", "zh_Hans": "大连数字交付博览会"},
                    "city": "Dalian",
                    "venue": "Dalian World Expo Center",
                    "timezone": "Asia/Shanghai",
                    "starts_on": "2027-06-15",
                    "ends_on": "2027-06-16",
                    "day_start": "09:00",
                    "day_end": "17:00",
                    "slot_minutes": 20,
                    "tables": 30,
                    "breaks": [{"starts": "12:00", "ends": "13:00"}],
                }
            ]
        }
    }


class Exhibition(Out):
    id: Id
    status: ExhibitionStatus
    name: dict[Locale, str]
    description: dict[Locale, str]
    title: str = Field(description="The name in the reader's language (with fallback).")
    city: str
    venue: str
    timezone: TimeZone
    starts_on: date
    ends_on: date
    day_start: WallTime
    day_end: WallTime
    slot_minutes: int
    tables: int = Field(description="Number of meeting tables.")
    breaks: list[Break]
    buyer_approval: bool
    capacity_exhibitor: int | None
    capacity_buyer: int | None
    capacity_visitor: int | None
    request_cap: int | None
    url: Url = Field(description="The fair's page.")
    created_at: Instant
    updated_at: Instant


class ExhibitionPage(Paging):
    items: list[Exhibition]


class Listing(Strict):
    model_config = {"extra": "ignore"}

    page: int = Field(1, ge=1, le=10000, description="Page number, from 1.")
    per_page: int = Field(20, ge=1, le=100, description="Items per page.")


# --- agenda -------------------------------------------------------------------------


class SessionChanges(Strict):
    kind: SessionKind = None  # type: ignore[assignment]
    hall: Annotated[str, Field(min_length=1, max_length=80, pattern=_NO_NUL_BLANK)] = None  # type: ignore[assignment]
    starts_at: AwareDatetime = Field(None, description="With its offset.")  # type: ignore[assignment]
    ends_at: AwareDatetime = Field(None, description="After starts_at.")  # type: ignore[assignment]
    title: _texts(300, required=True) = Field(None, description=_LOCALIZED)  # type: ignore[valid-type]
    speakers: _texts(500, required=False) | None = Field(None, description="Free text per locale.")  # type: ignore[valid-type]


class NewSession(SessionChanges):
    """A talk, forum or matchmaking session: within the fair's days, its hall free then."""

    hall: Annotated[str, Field(min_length=1, max_length=80, pattern=_NO_NUL_BLANK)]  # type: ignore[assignment]
    starts_at: AwareDatetime = Field(description="With its offset.")  # type: ignore[assignment]
    ends_at: AwareDatetime = Field(description="After starts_at.")  # type: ignore[assignment]
    title: _texts(300, required=True) = Field(description=_LOCALIZED)  # type: ignore[valid-type]


class AgendaSession(Out):
    id: Id
    exhibition_id: Id
    kind: SessionKind
    hall: str
    starts_at: Instant
    ends_at: Instant
    title: dict[Locale, str]
    speakers: dict[Locale, str]
    sequence: int = Field(description="Raised on each change (iCalendar SEQUENCE).")


class AgendaSessions(Out):
    items: list[AgendaSession]


class OrganizationRef(Strict):
    organization_id: Id = Field(description="The organization acting (yours).")


class Choice(Out):
    session_id: Id
    organization_id: Id


# --- registrations and booths ---------------------------------------------------


class NewRegistration(Strict):
    organization_id: Id = Field(description="Your organization.")
    role: ParticipantRole


class RegistrationChange(Strict):
    status: Literal["approved", "declined", "withdrawn"] = Field(
        description="approved / declined: organizers; withdrawn: the organization or organizers."
    )
    reason: Annotated[str, Field(max_length=1000)] | None = Field(
        None, description="Why (shown to the organization when declined)."
    )


class Registration(Out):
    id: Id
    exhibition_id: Id
    organization: OrganizationSummary
    role: ParticipantRole
    status: RegistrationStatus
    reason: str
    budget: str | None = Field(description="The organization's budget band (buyers).")
    verified: bool = Field(description="Whether matchmaker verified the organization.")
    created_at: Instant
    decided_at: Instant | None


class Registrations(Out):
    items: list[Registration]


class RegistrationFilters(Strict):
    model_config = {"extra": "ignore"}

    role: ParticipantRole | None = Field(None, description="Only this role.")
    status: RegistrationStatus | None = Field(None, description="Only this status.")


class Participant(Out):
    organization: OrganizationSummary
    role: ParticipantRole
    booth: str | None = Field(description="Code of the booth it holds, if any.")


class Participants(Out):
    items: list[Participant]


class RoleFilter(Strict):
    model_config = {"extra": "ignore"}

    role: ParticipantRole | None = Field(None, description="Only this role.")


Grid = whole_number(ge=0, le=1000, description="Grid position (row and col come together).")
Span = whole_number(ge=1, le=100, description="Grid cells.")


class BoothChanges(Strict):
    code: Annotated[str, Field(min_length=1, max_length=20, pattern=_NO_NUL_BLANK)] = None  # type: ignore[assignment]
    hall: Annotated[str, Field(max_length=80)] | None = None
    size: Annotated[str, Field(max_length=40, description="e.g. 3×3 m")] | None = None
    row: Grid | None = None  # type: ignore[valid-type]
    col: Grid | None = None  # type: ignore[valid-type]
    width: Span = None  # type: ignore[valid-type]
    height: Span = None  # type: ignore[valid-type]


class NewBooth(BoothChanges):
    code: Annotated[str, Field(min_length=1, max_length=20, pattern=_NO_NUL_BLANK)]  # type: ignore[assignment]


class Booth(Out):
    id: Id
    exhibition_id: Id
    code: str
    hall: str
    size: str
    row: int | None
    col: int | None
    width: int
    height: int
    organization: OrganizationSummary | None = Field(description="Who holds it (none: free).")


class Booths(Out):
    items: list[Booth]


# --- slots and meetings ------------------------------------------------------------


class Slot(Out):
    id: Id
    starts_at: Instant
    ends_at: Instant


class Slots(Out):
    items: list[Slot]


class Unavailability(Strict):
    organization_id: Id
    slot_ids: list[Id] = Field(max_length=5000, description="Slots of this fair; replaces the set.")  # type: ignore[valid-type]


class UnavailableSlots(Out):
    organization_id: Id
    slot_ids: list[int]


class ForOrganization(Strict):
    model_config = {"extra": "ignore"}

    organization_id: int | None = Field(
        None, ge=1, le=2**31 - 1, description="Your organization (default: the account's)."
    )


class PeopleQuery(ForOrganization):
    limit: int = Field(10, ge=1, le=100, description="How many (1–100).")


class NewMeeting(Strict):
    requester_id: Id = Field(description="Your organization.")
    invitee_id: Id = Field(description="The organization you want to meet.")
    slot_id: Id | None = Field(None, description="A slot of the fair, or none for any slot.")
    message: Annotated[str, Field(max_length=2000)] | None = None


class MeetingChange(Strict):
    status: Literal["accepted", "declined", "cancelled", "held", "no_show", "proposed"] = Field(
        description="accepted (the invitee, or the requester accepting a proposal), declined, "
        "cancelled (either side), held / no_show (after it), proposed (another slot: slot_id)."
    )
    slot_id: Id | None = Field(None, description="For accepted or proposed: the slot.")
    reason: Annotated[str, Field(max_length=1000)] | None = None


class Meeting(Out):
    id: Id
    exhibition_id: Id
    requester: OrganizationSummary
    invitee: OrganizationSummary
    status: MeetingStatus
    slot: Slot | None
    table: str | None = Field(description="Meeting table name, e.g. T03, once accepted.")
    proposed_slot: Slot | None
    proposed_by_id: int | None
    message: str
    reason: str
    sequence: int
    created_at: Instant
    updated_at: Instant


class Meetings(Out):
    items: list[Meeting]


class CalendarFeed(Out):
    url: Url = Field(description="Secret address of the .ics feed: keep it private.")
    webcal_url: str = Field(description="The same for calendar apps (webcal://).")
    created_at: Instant
