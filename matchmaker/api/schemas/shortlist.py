"""The shortlist's notes and "Let them know": what a client sends and gets back."""

from __future__ import annotations

from pydantic import Field

from matchmaker.matching.models import NOTE_MAX_LENGTH

from .common import Id, Instant, Out, Strict


class NoteChange(Strict):
    note: str = Field(
        max_length=NOTE_MAX_LENGTH,
        description="The team's private note on a saved partner; empty clears it.",
    )


class PartnerNote(Out):
    organization_id: Id
    note: str
    updated_at: Instant


class InterestSent(Out):
    organization_id: Id
    sent: bool = Field(description="False when the partner was told before (sent once per pair).")
