"""What an organization keeps about a partner it saved: a private note, and whether it said so."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from matchmaker.accounts.models import NEVER_REUSE_IDS, utcnow

NOTE_MAX_LENGTH = 2000


class PartnerNote(SQLModel, table=True):
    """One row per (organization, partner): the team's private note and the interest sent."""

    __tablename__ = "partner_notes"
    __table_args__ = (
        UniqueConstraint("source_id", "target_id", name="uq_partner_note"),
        CheckConstraint("source_id <> target_id", name="ck_partner_note_not_self"),
        # SQLite does not enforce VARCHAR lengths.
        CheckConstraint(f"length(note) <= {NOTE_MAX_LENGTH}", name="ck_partner_note_length"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    target_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False
        )
    )
    note: str = Field(
        default="", sa_column=Column(String(NOTE_MAX_LENGTH), nullable=False, server_default="")
    )
    # Set once: "Let them know" is sent at most once per pair.
    interest_sent_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
