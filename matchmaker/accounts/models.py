"""Users and API tokens."""

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    text,
)
from sqlmodel import Field, Relationship, SQLModel

ROLES = ("member", "organizer", "admin")
# Ids leave the database (links, bookmarks, calendar UIDs, API clients): SQLite must not hand
# a deleted row's id to the next one. PostgreSQL sequences never do.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


def utcnow() -> datetime:
    return datetime.now(UTC)


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('member', 'organizer', 'admin')", name="ck_user_role"),
        CheckConstraint("session_epoch >= 0", name="ck_user_session_epoch"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    # Stored lower-cased, so the unique index makes e-mail case-insensitive.
    email: str = Field(sa_column=Column(String(254), unique=True, nullable=False, index=True))
    password_hash: str = Field(sa_column=Column(String(255), nullable=False))
    display_name: str = Field(default="", max_length=120)
    locale: str | None = Field(default=None, max_length=16)
    timezone: str | None = Field(default=None, max_length=64)
    role: str = Field(default="member", max_length=16)
    organization_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("organizations.id", ondelete="SET NULL"), index=True),
    )
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    # Set when the owner followed the link mailed to the address; contacting needs it.
    email_verified_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    title: str = Field(default="", sa_column=Column(String(120), nullable=False, server_default=""))
    phone: str = Field(default="", sa_column=Column(String(40), nullable=False, server_default=""))
    # ISO 639-1 codes of the languages this person speaks (shown as a contact person).
    spoken_languages: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False, default=list, server_default=text("'[]'")),
    )
    # Raised when the password changes: a session signed in under an older epoch ends.
    session_epoch: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )

    tokens: list["ApiToken"] = Relationship(
        back_populates="user", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )

    # flask-login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_tokens"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    # SHA-256 of the token: the token itself is shown once and never stored.
    token_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    name: str = Field(default="", max_length=80)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    revoked_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    # None: a token made before expiry existed (it never expires until revoked).
    expires_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    last_used_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))

    user: "User" = Relationship(back_populates="tokens")


class UserSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds its random key; ending the row ends the session."""

    __tablename__ = "user_sessions"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    # SHA-256 of the key in the cookie: a copied database does not open sessions.
    key_hash: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    user_agent: str = Field(default="", max_length=300)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    last_seen_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    ended_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class ThrottleHit(SQLModel, table=True):
    """One counted attempt (a failed sign-in, a registration...) under a key, shared by every
    worker and host through the database; old rows are pruned as new ones come."""

    __tablename__ = "throttle_hits"
    __table_args__ = (Index("ix_throttle_key_at", "key", "at"), NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    # e.g. "login-pair:<sha256 of email|address>", "login-ip:<address>", "register-ip:<address>"
    key: str = Field(sa_column=Column(String(200), nullable=False))
    at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class TeamInvitation(SQLModel, table=True):
    """An invitation to join an organization, sent to an e-mail address."""

    __tablename__ = "team_invitations"
    __table_args__ = (
        CheckConstraint(
            "accepted_at IS NULL OR revoked_at IS NULL", name="ck_team_invitation_state"
        ),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    # Stored lower-cased, like users.email.
    email: str = Field(sa_column=Column(String(254), nullable=False, index=True))
    invited_by: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    )
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    accepted_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    accepted_by: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    )
    revoked_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
