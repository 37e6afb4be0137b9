"""Meeting preferences, meeting caps and the organizer's scheduler."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from matchmaker.exhibitions.models import PREFERENCE_LEVELS
from matchmaker.scheduler.problem import REASONS

from .common import Id, Instant, Out, Strict, _code_set, whole_number
from .organizations import OrganizationSummary

PreferenceLevel = _code_set(
    "PreferenceLevel",
    PREFERENCE_LEVELS,
    "must: must meet; would_like: would like to meet; no_thanks: never schedule with them.",
)
UnplacedReason = _code_set(
    "UnplacedReason",
    REASONS,
    "declined: one side said no thanks; no_common_slot: never free at the same time; "
    "tables_full: every table was taken when both were free; cap_reached: one side has "
    "as many meetings as it wants.",
)
_ORG = "Your organization (default: the account's)."


class PreferenceChange(Strict):
    organization_id: Id | None = Field(None, description=_ORG)
    level: PreferenceLevel = Field(description="How much you want to meet them.")


class Preference(Out):
    exhibition_id: Id
    organization_id: Id
    target: OrganizationSummary
    level: PreferenceLevel
    updated_at: Instant


class Preferences(Out):
    items: list[Preference]
    meeting_cap: int | None = Field(
        description="The most meetings this organization wants at the fair (null: no cap)."
    )


class MeetingCapChange(Strict):
    organization_id: Id | None = Field(None, description=_ORG)
    cap: whole_number(ge=1, le=10_000) | None = Field(  # type: ignore[valid-type]
        description="At most this many meetings (1 to the number of slots); null: no cap."
    )


class MeetingCap(Out):
    exhibition_id: Id
    organization_id: Id
    cap: int | None


class ScheduleRun(Strict):
    dry_run: bool = Field(False, description="true: preview only, nothing is written.")
    token: Annotated[str, Field(max_length=4_000_000)] | None = Field(
        None,
        description="The token of a dry run: commit exactly that preview, or 409 when the "
        "meetings changed since.",
    )


class ScheduledMeeting(Out):
    meeting_id: int | None = Field(description="null: a new meeting from two preferences.")
    requester_id: Id
    invitee_id: Id
    slot_id: Id
    starts_at: Instant
    table: str = Field(description="The table's name.")
    weight: int = Field(description="What it is worth to the two sides (see preference).")
    levels: list[PreferenceLevel | None] = Field(
        description="The requester's and the invitee's level; a request counts as would_like."
    )


class Unscheduled(Out):
    meeting_id: int | None = Field(description="null: a pair of preferences without a request.")
    requester_id: Id
    invitee_id: Id
    reason: UnplacedReason


class Schedule(Out):
    committed: bool = Field(description="false for a dry run.")
    scheduled: list[ScheduledMeeting]
    unscheduled: list[Unscheduled]
    preference: int = Field(
        description="Total worth placed: 300 per must, 100 per would_like per side, plus "
        "under 100 from the matching engine's score as tie-break."
    )
    upper_bound: int = Field(description="No schedule can reach more preference than this.")
    gaps: int = Field(description="Idle slots between participants' meetings in a day, summed.")
    seconds: float = Field(description="Time the solver took.")
    candidates: int = Field(description="Requests and preference pairs considered.")
    token: str = Field(description="Send it back to commit this preview.")
    published_at: Instant | None = Field(description="When a schedule was last committed.")
