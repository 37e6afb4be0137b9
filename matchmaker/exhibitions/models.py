"""Trade fairs: the fair, its agenda, booths, registrations, meeting slots and meetings."""

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, Relationship, SQLModel

from matchmaker.accounts.models import utcnow

# Ids leave the database (links, calendar UIDs): SQLite must never hand them out twice.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}

EXHIBITION_STATUSES = ("draft", "published", "cancelled")
ROLES = ("exhibitor", "buyer", "visitor")
REGISTRATION_STATUSES = ("pending", "registered", "waitlisted", "declined", "withdrawn")
SESSION_KINDS = ("talk", "forum", "matchmaking", "ceremony")
MEETING_STATUSES = ("requested", "accepted", "declined", "cancelled", "held", "no_show")
OCCUPANCY_KINDS = ("meeting", "unavailable")
PREFERENCE_LEVELS = ("must", "would_like", "no_thanks")
# Who put an accepted meeting in its slot: the two sides, or the organizer's scheduler.
PLACED_BY = ("people", "scheduler")
OUTCOMES = ("no_fit", "follow_up", "mou", "contract")
NANOS = 10**9


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _fk(target: str, *, ondelete: str = "CASCADE", nullable: bool = False, index=True) -> Column:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index)


def _stamp(nullable: bool = False) -> Column:
    return Column(DateTime(timezone=True), nullable=nullable)


def _pick(texts: dict[str, str], locale: str) -> str:
    """The text in ``locale``, else English, else any: a name is better than nothing."""
    for candidate in (locale, "en"):
        if texts.get(candidate):
            return texts[candidate]
    return next((value for value in texts.values() if value), "")


class Exhibition(SQLModel, table=True):
    __tablename__ = "exhibitions"
    __table_args__ = (
        CheckConstraint("slot_minutes > 0", name="ck_exhibition_slot_minutes"),
        CheckConstraint(_in("status", EXHIBITION_STATUSES), name="ck_exhibition_status"),
        CheckConstraint("ends_on >= starts_on", name="ck_exhibition_dates"),
        CheckConstraint("day_end > day_start", name="ck_exhibition_day"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    # Stable key for loaded data (demo), so loading twice changes nothing.
    key: str | None = Field(default=None, sa_column=Column(String(80), unique=True))
    city: str = Field(default="", max_length=120)
    venue: str = Field(default="", max_length=200)
    timezone: str = Field(max_length=64)
    starts_on: date = Field(sa_column=Column(Date, nullable=False))
    ends_on: date = Field(sa_column=Column(Date, nullable=False))
    day_start: time = Field(sa_column=Column(Time, nullable=False))
    day_end: time = Field(sa_column=Column(Time, nullable=False))
    slot_minutes: int = Field(default=30)
    status: str = Field(default="draft", max_length=16, index=True)
    buyer_approval: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    capacity_exhibitor: int | None = Field(default=None)
    capacity_buyer: int | None = Field(default=None)
    capacity_visitor: int | None = Field(default=None)
    request_cap: int | None = Field(default=None)
    sequence: int = Field(default=0)
    # When the organizer last committed the meeting schedule (None: never).
    schedule_published_at: datetime | None = Field(default=None, sa_column=_stamp(nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_stamp())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_stamp())

    texts: list["ExhibitionText"] = Relationship(
        back_populates="exhibition",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"},
    )
    breaks: list["ExhibitionBreak"] = Relationship(
        back_populates="exhibition",
        sa_relationship_kwargs={
            "cascade": "all, delete-orphan",
            "lazy": "selectin",
            "order_by": "ExhibitionBreak.starts",
        },
    )

    def name_in(self, locale: str) -> str:
        return _pick({t.locale: t.name for t in self.texts}, locale)

    def description_in(self, locale: str) -> str:
        return _pick({t.locale: t.description for t in self.texts}, locale)

    def name_map(self) -> dict[str, str]:
        return {t.locale: t.name for t in self.texts if t.name}

    def description_map(self) -> dict[str, str]:
        return {t.locale: t.description for t in self.texts if t.description}

    def capacity_for(self, role: str) -> int | None:
        return getattr(self, f"capacity_{role}")


class ExhibitionText(SQLModel, table=True):
    __tablename__ = "exhibition_texts"
    __table_args__ = (
        UniqueConstraint("exhibition_id", "locale", name="uq_exhibition_text_locale"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    exhibition_id: int = Field(sa_column=_fk("exhibitions.id"))
    locale: str = Field(max_length=16)
    name: str = Field(default="", max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))

    exhibition: Exhibition = Relationship(back_populates="texts")


class ExhibitionBreak(SQLModel, table=True):
    """A daily pause (lunch) in the fair's local time: no meeting slot overlaps it."""

    __tablename__ = "exhibition_breaks"
    __table_args__ = (CheckConstraint("ends > starts", name="ck_break_order"), NEVER_REUSE_IDS)

    id: int | None = Field(default=None, primary_key=True)
    exhibition_id: int = Field(sa_column=_fk("exhibitions.id"))
    starts: time = Field(sa_column=Column(Time, nullable=False))
    ends: time = Field(sa_column=Column(Time, nullable=False))

    exhibition: Exhibition = Relationship(back_populates="breaks")


class ExhibitionOrganizer(SQLModel, table=True):
    __tablename__ = "exhibition_organizers"
    __table_args__ = (
        UniqueConstraint("exhibition_id", "user_id", name="uq_exhibition_organizer"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    exhibition_id: int = Field(sa_column=_fk("exhibitions.id"))
    user_id: int = Field(sa_column=_fk("users.id"))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_stamp())


class MeetingTable(SQLModel, table=True):
    __tablename__ = "meeting_tables"
    __table_args__ = (
        UniqueConstraint("exhibition_id", "name", name="uq_meeting_table_name"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    exhibition_id: int = Field(sa_column=_fk("exhibitions.id"))
    name: str = Field(max_length=20)
    position: int = Field(default=0)


class AgendaSession(SQLModel, table=True):
    """An agenda item (talk, forum...) in one hall; named so to stay clear of database sessions."""

    __tablename__ = "agenda_sessions"
    __table_args__ = (
        CheckConstraint(_in("kind", SESSION_KINDS), name="ck_agenda_session_kind"),
        CheckConstraint("ends_at > starts_at", name="ck_agenda_session_order"),
        Index("ix_agenda_session_hall", "exhibition_id", "hall", "starts_at"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    exhibition_id: int = Field(sa_column=_fk("exhibitions.id", index=False))
    kind: str = Field(default="talk", max_length=16)
    hall: str = Field(default="", max_length=80)
    starts_at: datetime = Field(sa_column=_stamp())
    ends_at: datetime = Field(sa_column=_stamp())
    sequence: int = Field(default=0)

    texts: list["SessionText"] = Relationship(
        back_populates="agenda_session",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"},
    )

    def title_in(self, locale: str) -> str:
        return _pick({t.locale: t.title for t in self.texts}, locale)

    def speakers_in(self, locale: str) -> str:
        return _pick({t.locale: t.speakers for t in self.texts}, locale)


class SessionText(SQLModel, table=True):
    __tablename__ = "session_texts"
    __table_args__ = (
        UniqueConstraint("session_id", "locale", name="uq_session_text_locale"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(sa_column=_fk("agenda_sessions.id"))
    locale: str = Field(max_length=16)
    title: str = Field(default="", max_length=300)
    speakers: str = Field(default="", max_length=500)

    agenda_session: AgendaSession = Relationship(back_populates="texts")


class AgendaChoice(SQLModel, table=True):
    """A session an organization put on its own agenda."""

    __tablename__ = "agenda_choices"
    __table_args__ = (
        UniqueConstraint("session_id", "organization_id", name="uq_agenda_choice"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(sa_column=_fk("agenda_sessions.id"))
    organization_id: int = Field(sa_column=_fk("organizations.id"))


class Registration(SQLModel, table=True):
    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("exhibition_id", "organization_id", name="uq_registration"),
        CheckConstraint(_in("role", ROLES), name="ck_registration_role"),
        CheckConstraint(_in("status", REGISTRATION_STATUSES), name="ck_registration_status"),
        Index("ix_registration_role_status", "exhibition_id", "role", "status"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    exhibition_id: int = Field(sa_column=_fk("exhibitions.id", index=False))
    organization_id: int = Field(sa_column=_fk("organizations.id"))
    role: str = Field(max_length=16)
    status: str = Field(max_length=16)
    reason: str = Field(default="", max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_stamp())
    decided_at: datetime | None = Field(default=None, sa_column=_stamp(nullable=True))
    decided_by_id: int | None = Field(
        default=None, sa_column=_fk("users.id", ondelete="SET NULL", nullable=True, index=False)
    )
    # Whom the organizer writes to about this participation (CSV import; "" = the members).
    contact_email: str = Field(default="", max_length=254)
    # The most meetings this participant wants at the fair (None: no cap of their own).
    meeting_cap: int | None = Field(default=None)
    checked_in_at: datetime | None = Field(default=None, sa_column=_stamp(nullable=True))
    checked_in_by_id: int | None = Field(
        default=None, sa_column=_fk("users.id", ondelete="SET NULL", nullable=True, index=False)
    )


class Booth(SQLModel, table=True):
    """A stand on a hall's grid; at most one organization holds it, and one booth per org."""

    __tablename__ = "booths"
    __table_args__ = (
        UniqueConstraint("exhibition_id", "code", name="uq_booth_code"),
        UniqueConstraint("exhibition_id", "organization_id", name="uq_booth_organization"),
        CheckConstraint("width > 0 AND height > 0", name="ck_booth_extent"),
        CheckConstraint("row >= 0 AND col >= 0", name="ck_booth_position"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    exhibition_id: int = Field(sa_column=_fk("exhibitions.id", index=False))
    code: str = Field(max_length=20)
    hall: str = Field(default="", max_length=80)
    # Free text shown to people ("3×3 m", "18 m²"); the grid extent is width × height.
    size: str = Field(default="", max_length=40)
    # Grid position on the hall's plan; None = not placed yet (not drawn, not checked).
    row: int | None = Field(default=None)
    col: int | None = Field(default=None)
    width: int = Field(default=1)
    height: int = Field(default=1)
    organization_id: int | None = Field(
        default=None, sa_column=_fk("organizations.id", ondelete="SET NULL", nullable=True)
    )


class Slot(SQLModel, table=True):
    __tablename__ = "slots"
    __table_args__ = (
        UniqueConstraint("exhibition_id", "starts_at", name="uq_slot_start"),
        CheckConstraint("ends_at > starts_at", name="ck_slot_order"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    exhibition_id: int = Field(sa_column=_fk("exhibitions.id", index=False))
    starts_at: datetime = Field(sa_column=_stamp())
    ends_at: datetime = Field(sa_column=_stamp())


class Meeting(SQLModel, table=True):
    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("requester_id <> invitee_id", name="ck_meeting_not_self"),
        CheckConstraint(_in("status", MEETING_STATUSES), name="ck_meeting_status"),
        # The database itself forbids two accepted meetings at one table in one slot.
        Index(
            "uq_meeting_slot_table",
            "slot_id",
            "table_id",
            unique=True,
            sqlite_where=text("status = 'accepted'"),
            postgresql_where=text("status = 'accepted'"),
        ),
        # One open request from one organization to another per fair.
        Index(
            "uq_meeting_open_request",
            "exhibition_id",
            "requester_id",
            "invitee_id",
            unique=True,
            sqlite_where=text("status = 'requested'"),
            postgresql_where=text("status = 'requested'"),
        ),
        Index("ix_meeting_requester", "requester_id", "exhibition_id"),
        Index("ix_meeting_invitee", "invitee_id", "exhibition_id"),
        Index("ix_meeting_slot_status", "slot_id", "status"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    exhibition_id: int = Field(sa_column=_fk("exhibitions.id"))
    requester_id: int = Field(sa_column=_fk("organizations.id", index=False))
    invitee_id: int = Field(sa_column=_fk("organizations.id", index=False))
    slot_id: int | None = Field(
        default=None, sa_column=_fk("slots.id", ondelete="SET NULL", nullable=True)
    )
    table_id: int | None = Field(
        default=None,
        sa_column=_fk("meeting_tables.id", ondelete="SET NULL", nullable=True, index=False),
    )
    status: str = Field(default="requested", max_length=16)
    message: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    reason: str = Field(default="", max_length=1000)
    proposed_slot_id: int | None = Field(
        default=None,
        sa_column=_fk("slots.id", ondelete="SET NULL", nullable=True, index=False),
    )
    proposed_by_id: int | None = Field(
        default=None,
        sa_column=_fk("organizations.id", ondelete="SET NULL", nullable=True, index=False),
    )
    # An organizer's lock: the scheduler never moves or drops this meeting.
    locked: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, default=False))
    placed_by: str | None = Field(default=None, max_length=16)
    # When the reminder before the meeting was sent (so it goes once).
    reminded_at: datetime | None = Field(default=None, sa_column=_stamp(nullable=True))
    sequence: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_stamp())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_stamp())


class SlotOccupancy(SQLModel, table=True):
    """An organization is busy in a slot: in a meeting, or marked unavailable.

    One row per (slot, organization), so the database forbids double booking.
    """

    __tablename__ = "slot_occupancy"
    __table_args__ = (
        UniqueConstraint("slot_id", "organization_id", name="uq_slot_occupancy"),
        CheckConstraint(_in("kind", OCCUPANCY_KINDS), name="ck_slot_occupancy_kind"),
        CheckConstraint(
            "(kind = 'meeting') = (meeting_id IS NOT NULL)", name="ck_slot_occupancy_meeting"
        ),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    slot_id: int = Field(sa_column=_fk("slots.id", index=False))
    organization_id: int = Field(sa_column=_fk("organizations.id"))
    meeting_id: int | None = Field(default=None, sa_column=_fk("meetings.id", nullable=True))
    kind: str = Field(max_length=16)


class CalendarFeed(SQLModel, table=True):
    """A secret address serving an organization's agenda to a calendar application."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=_fk("users.id"))
    organization_id: int = Field(sa_column=_fk("organizations.id"))
    secret: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_stamp())
    revoked_at: datetime | None = Field(default=None, sa_column=_stamp(nullable=True))


class MeetingPreference(SQLModel, table=True):
    """How much one participant wants to meet another at a fair, said before scheduling."""

    __tablename__ = "meeting_preferences"
    __table_args__ = (
        UniqueConstraint(
            "exhibition_id", "organization_id", "target_id", name="uq_meeting_preference"
        ),
        CheckConstraint("organization_id <> target_id", name="ck_preference_not_self"),
        CheckConstraint(_in("level", PREFERENCE_LEVELS), name="ck_preference_level"),
        Index("ix_preference_target", "exhibition_id", "target_id"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    exhibition_id: int = Field(sa_column=_fk("exhibitions.id", index=False))
    organization_id: int = Field(sa_column=_fk("organizations.id", index=False))
    target_id: int = Field(sa_column=_fk("organizations.id", index=False))
    level: str = Field(max_length=16)
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_stamp())


class MeetingOutcome(SQLModel, table=True):
    """What one side says came of a held meeting; the value is what they intend to contract."""

    __tablename__ = "meeting_outcomes"
    __table_args__ = (
        UniqueConstraint("meeting_id", "organization_id", name="uq_meeting_outcome"),
        CheckConstraint(_in("outcome", OUTCOMES), name="ck_meeting_outcome"),
        CheckConstraint("value_cents IS NULL OR value_cents >= 0", name="ck_meeting_outcome_value"),
        CheckConstraint(
            "(value_cents IS NULL) = (currency IS NULL)", name="ck_meeting_outcome_currency"
        ),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(sa_column=_fk("meetings.id", index=False))
    organization_id: int = Field(sa_column=_fk("organizations.id"))
    outcome: str = Field(max_length=16)
    # A service code from the reference list (None: not said).
    service: str | None = Field(default=None, max_length=64)
    # The amount in hundredths of the currency's major unit, kept exact (SQLite has no decimal).
    value_cents: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    currency: str | None = Field(default=None, max_length=3)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_stamp())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_stamp())


class ExchangeRate(SQLModel, table=True):
    """The organizer's rate for one currency at a fair: US dollars per unit, on the report."""

    __tablename__ = "exchange_rates"
    __table_args__ = (
        UniqueConstraint("exhibition_id", "currency", name="uq_exchange_rate"),
        CheckConstraint("usd_nanos_per_unit > 0", name="ck_exchange_rate_positive"),
        NEVER_REUSE_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    exhibition_id: int = Field(sa_column=_fk("exhibitions.id", index=False))
    currency: str = Field(max_length=3)
    # US dollars per unit × 10⁹, kept exact (1 JPY ≈ 0.0067 USD is 6,700,000).
    usd_nanos_per_unit: int = Field(sa_column=Column(BigInteger, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_stamp())

    @property
    def usd_per_unit(self) -> Decimal:
        return Decimal(self.usd_nanos_per_unit) / NANOS
