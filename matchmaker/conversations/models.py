"""Conversations between two organizations, their messages, blocks and abuse reports."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from matchmaker.accounts.models import NEVER_REUSE_IDS, utcnow

MAX_MESSAGE = 10_000
MAX_SUBJECT = 200
MAX_TIMELINE = 200
MAX_REASON = 2_000


def _org_fk(nullable: bool = False, index: bool = False) -> Column:
    return Column(
        Integer,
        ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=nullable,
        index=index,
    )


def _when(nullable: bool = False) -> Column:
    return Column(DateTime(timezone=True), nullable=nullable)


class Conversation(SQLModel, table=True):
    """An inquiry and the talk that follows, between exactly two organizations."""

    __tablename__ = "conversations"
    __table_args__ = (
        CheckConstraint("length(subject) > 0", name="ck_conversation_subject"),
        # The daily limit counts what an organization started.
        Index("ix_conversation_started", "started_by_org_id", "created_at"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(sa_column=Column(String(MAX_SUBJECT), nullable=False))
    started_by_org_id: int = Field(sa_column=_org_fk())
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    last_message_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    # The inquiry: services of interest (codes), a buyer's budget band and timeline.
    services: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, default=list)
    )
    budget: str | None = Field(default=None, sa_column=Column(String(16)))
    timeline: str = Field(default="", sa_column=Column(String(MAX_TIMELINE), nullable=False))


class ConversationMember(SQLModel, table=True):
    """One side of a conversation: read state and archive are the whole team's."""

    __tablename__ = "conversation_members"
    __table_args__ = (
        UniqueConstraint("conversation_id", "organization_id", name="uq_conversation_member"),
        CheckConstraint("organization_id <> partner_id", name="ck_conversation_member_not_self"),
        CheckConstraint("unread >= 0", name="ck_conversation_member_unread"),
        # The inbox: an organization's conversations, newest first.
        Index("ix_conversation_member_inbox", "organization_id", "last_message_at"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False
        )
    )
    organization_id: int = Field(sa_column=_org_fk())
    # The other side, kept here so the inbox needs no second join to find it.
    partner_id: int = Field(sa_column=_org_fk(index=True))
    # Copied from the conversation so the inbox index covers the order.
    last_message_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    last_read_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
    # Messages from the other side since last_read_at (kept with every message and read).
    unread: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    archived_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))


class Message(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint(
            f"length(body) > 0 AND length(body) <= {MAX_MESSAGE}", name="ck_message_body"
        ),
        Index("ix_message_thread", "conversation_id", "sent_at"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False
        )
    )
    author_user_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), index=True),
    )
    organization_id: int = Field(sa_column=_org_fk())
    body: str = Field(sa_column=Column(Text, nullable=False))
    # ISO 639-1 code: chosen by the author or detected from the script.
    language: str = Field(sa_column=Column(String(8), nullable=False))
    sent_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class Block(SQLModel, table=True):
    """An organization that may no longer contact another one."""

    __tablename__ = "conversation_blocks"
    __table_args__ = (
        UniqueConstraint("organization_id", "blocked_organization_id", name="uq_block"),
        CheckConstraint("organization_id <> blocked_organization_id", name="ck_block_not_self"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(sa_column=_org_fk())
    blocked_organization_id: int = Field(sa_column=_org_fk(index=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())


class AbuseReport(SQLModel, table=True):
    """A report to the administrators about an organization (and the conversation it was in)."""

    __tablename__ = "abuse_reports"
    __table_args__ = (
        CheckConstraint("length(reason) > 0", name="ck_abuse_report_reason"),
        Index("ix_abuse_report_open", "resolved_at", "created_at"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    reporter_user_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), index=True),
    )
    organization_id: int = Field(sa_column=_org_fk(index=True))
    conversation_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("conversations.id", ondelete="SET NULL")),
    )
    reason: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_when())
    resolved_at: datetime | None = Field(default=None, sa_column=_when(nullable=True))
