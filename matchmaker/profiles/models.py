"""Organizations (providers and buyers), their texts per language, and interactions."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, Relationship, SQLModel

from matchmaker.accounts.models import NEVER_REUSE_IDS, utcnow


def _json_list() -> Column:
    return Column(JSON, nullable=False, default=list)


class Organization(SQLModel, table=True):
    __tablename__ = "organizations"
    __table_args__ = (
        CheckConstraint("kind IN ('provider', 'buyer')", name="ck_org_kind"),
        CheckConstraint("visibility IN ('public', 'members', 'hidden')", name="ck_org_visibility"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    # Stable key for loaded data (demo, imports), so loading twice changes nothing.
    key: str | None = Field(default=None, sa_column=Column(String(80), unique=True))
    kind: str = Field(max_length=16, index=True)
    name: str = Field(max_length=200, index=True)
    country: str = Field(max_length=2, index=True)
    city: str = Field(default="", max_length=120)
    website: str = Field(default="", max_length=300)
    founded: int | None = Field(default=None)
    size: str | None = Field(default=None, max_length=16)
    budget: str | None = Field(default=None, max_length=16)
    services: list[str] = Field(default_factory=list, sa_column=_json_list())
    target_markets: list[str] = Field(default_factory=list, sa_column=_json_list())
    languages: list[str] = Field(default_factory=list, sa_column=_json_list())
    certifications: list[str] = Field(default_factory=list, sa_column=_json_list())
    industries: list[str] = Field(default_factory=list, sa_column=_json_list())
    visibility: str = Field(default="public", max_length=16)
    verified: bool = Field(default=False)
    # Who verified the profile and when: a badge means more with a date and a name behind it.
    verified_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    verified_by_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer,
            # use_alter: users and organizations point at each other.
            ForeignKey("users.id", ondelete="SET NULL", use_alter=True, name="fk_org_verified_by"),
        ),
    )
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )

    texts: list["OrganizationText"] = Relationship(
        back_populates="organization",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"},
    )

    def text_map(self) -> dict[str, str]:
        return {text.locale: text.description for text in self.texts if text.description}


class OrganizationText(SQLModel, table=True):
    __tablename__ = "organization_texts"
    __table_args__ = (
        UniqueConstraint("organization_id", "locale", name="uq_org_text_locale"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    locale: str = Field(max_length=16)
    description: str = Field(sa_column=Column(Text, nullable=False))

    organization: "Organization" = Relationship(back_populates="texts")


INTERACTION_KINDS = ("saved", "dismissed", "meeting_request", "meeting", "partner")


class Interaction(SQLModel, table=True):
    """An edge between two organizations that feeds matching (saved, dismissed, met...)."""

    __tablename__ = "interactions"
    __table_args__ = (
        UniqueConstraint("source_id", "target_id", "kind", name="uq_interaction"),
        CheckConstraint("source_id <> target_id", name="ck_interaction_not_self"),
        CheckConstraint(
            "kind IN ('saved', 'dismissed', 'meeting_request', 'meeting', 'partner')",
            name="ck_interaction_kind",
        ),
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
            Integer, ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    kind: str = Field(max_length=20)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class GraphChange(SQLModel, table=True):
    """Append-only log of changes the in-process matching graphs must apply.

    Every worker keeps the id it has applied up to, so several gunicorn workers
    converge on the same graph without a full rebuild.
    """

    __tablename__ = "graph_changes"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(index=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )


class SearchBacklog(SQLModel, table=True):
    """Organizations whose change the search index has not taken yet (it was down).

    The database stays the truth; the next successful index write or `matchmaker
    reindex` catches up, so nothing a user saved is lost from search.
    """

    __tablename__ = "search_backlog"

    organization_id: int = Field(primary_key=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False)
    )
