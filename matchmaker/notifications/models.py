"""In-app notifications, per-user e-mail switches and the outbox of mails to send."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
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

KINDS = (
    "inquiry",
    "reply",
    "interest",
    "team_invitation",
    "verification_granted",
    # A fair's meetings.
    "meeting_requested",
    "meeting_accepted",
    "meeting_declined",
    "meeting_moved",
    "meeting_cancelled",
    "schedule_published",
    "meeting_reminder",
)
_KIND_CHECK = "kind IN (" + ", ".join(f"'{kind}'" for kind in KINDS) + ")"


class Notification(SQLModel, table=True):
    """Something that happened for a user; its text is rendered when read, in their language."""

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(_KIND_CHECK, name="ck_notification_kind"),
        # The list (newest first) and the unread count both start from the user.
        Index("ix_notification_user_created", "user_id", "created_at"),
        Index("ix_notification_user_unread", "user_id", "read_at"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str = Field(sa_column=Column(String(32), nullable=False))
    params: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    link: str = Field(default="", sa_column=Column(String(500), nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    read_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class NotificationSetting(SQLModel, table=True):
    """A user's e-mail switch for one kind; no row means e-mail is on."""

    __tablename__ = "notification_settings"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", name="uq_notification_setting"),
        CheckConstraint(_KIND_CHECK, name="ck_notification_setting_kind"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str = Field(sa_column=Column(String(32), nullable=False))
    email: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))


class OutboxMail(SQLModel, table=True):
    """A mail waiting for the sender; claimed with a lease so no two workers send it."""

    __tablename__ = "outbox_mails"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="ck_outbox_attempts"),
        # The sender's query: unsent rows that are due.
        Index("ix_outbox_due", "sent_at", "next_attempt_at"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    to: str = Field(sa_column=Column("to", String(254), nullable=False))
    subject: str = Field(sa_column=Column(String(300), nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    html: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    next_attempt_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    sent_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    claimed_by: str | None = Field(default=None, sa_column=Column(String(80), nullable=True))
    claimed_until: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
