"""The demo trade fairs: loaded through the service, idempotent, every state present."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date

import pytest
from flask_babel import force_locale
from icalendar import Calendar
from sqlmodel import Session, func, select

from matchmaker import create_app
from matchmaker.accounts.models import User
from matchmaker.demo.data import TEXT_LOCALES
from matchmaker.demo.fairs import demo_fairs
from matchmaker.demo.load import load_demo
from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import (
    MEETING_STATUSES,
    REGISTRATION_STATUSES,
    ROLES,
    AgendaChoice,
    AgendaSession,
    Booth,
    Exhibition,
    ExhibitionOrganizer,
    Meeting,
    MeetingTable,
    Registration,
    SlotOccupancy,
)
from matchmaker.profiles.models import Interaction

COUNTED = (
    Exhibition,
    AgendaSession,
    AgendaChoice,
    Booth,
    MeetingTable,
    Registration,
    Meeting,
    SlotOccupancy,
    Interaction,
)
# The day the demo was written; the demo keeps one fair before it.
WRITTEN_ON = date(2026, 12, 1)
BOOKED = ("accepted", "held", "no_show")
USER_ORGS = ("provider", "buyer", "provider-zh", "buyer-ar")


@pytest.fixture(scope="module")
def loaded(tmp_path_factory, migrated_database):
    """One database with the demo loaded twice: (app, first result, counts, second result)."""
    path = tmp_path_factory.mktemp("demo-fairs")
    shutil.copyfile(migrated_database, path / "demo.sqlite3")
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": f"sqlite:///{path / 'demo.sqlite3'}",
            "SEARCH_INDEX_PATH": str(path / "search.sqlite3"),
            "SECRET_KEY": "test-secret",
            "ELASTICSEARCH_URL": "",
        }
    )
    engine = app.extensions["matchmaker.engine"]
    with app.app_context(), Session(engine) as db:
        first = load_demo(db)
        counts = _counts(db)
        second = load_demo(db)
    yield app, first, counts, second
    engine.dispose()


@pytest.fixture
def db(loaded):
    app = loaded[0]
    with Session(app.extensions["matchmaker.engine"], expire_on_commit=False) as session:
        yield session


def _counts(db: Session) -> dict[str, int]:
    return {
        model.__name__: db.exec(select(func.count()).select_from(model)).one() for model in COUNTED
    }


def _fairs(db: Session) -> list[Exhibition]:
    keys = [spec["key"] for spec in demo_fairs()]
    return list(db.exec(select(Exhibition).where(Exhibition.key.in_(keys))))


def _org_of(db: Session, email_prefix: str) -> int:
    return db.exec(
        select(User.organization_id).where(User.email == f"{email_prefix}@matchmaker.example")
    ).one()


# --- loading ---------------------------------------------------------------------------


def test_load_demo_adds_three_fairs_then_nothing(loaded, db):
    _app, first, counts, second = loaded
    assert first["fairs"] == 3
    assert second == {"organizations": 0, "users": 0, "interactions": 0, "fairs": 0}
    assert _counts(db) == counts


def test_demo_fairs_are_published_and_run_by_the_demo_organizer(db):
    fairs = _fairs(db)
    organizer = db.exec(select(User).where(User.email == "organizer@matchmaker.example")).one()
    assert len(fairs) == 3
    for fair in fairs:
        assert fair.status == "published"
        owners = db.exec(
            select(ExhibitionOrganizer.user_id).where(ExhibitionOrganizer.exhibition_id == fair.id)
        ).all()
        assert owners == [organizer.id]


def test_demo_fairs_have_names_and_descriptions_in_six_locales(db):
    for fair in _fairs(db):
        assert set(fair.name_map()) == set(TEXT_LOCALES)
        assert set(fair.description_map()) == set(TEXT_LOCALES)
        for item in service.list_sessions(db, None, fair.id):
            assert {t.locale for t in item.texts if t.title} == set(TEXT_LOCALES)


def test_demo_fairs_one_past_two_upcoming_in_their_own_zones(db):
    fairs = _fairs(db)
    assert sum(fair.ends_on < WRITTEN_ON for fair in fairs) == 1
    assert {fair.timezone for fair in fairs} == {"Asia/Shanghai", "Asia/Dubai"}
    assert {fair.city for fair in fairs} == {"Beijing", "Chengdu", "Dubai"}


def test_demo_fairs_have_the_expected_shape(db):
    for fair in _fairs(db):
        days = (fair.ends_on - fair.starts_on).days + 1
        sessions = service.list_sessions(db, None, fair.id)
        booths = service.list_booths(db, None, fair.id)
        assert 2 <= days <= 3
        assert fair.slot_minutes in (20, 30)
        assert len(fair.breaks) == 1
        assert 10 <= len(service.exhibition_tables(db, fair.id)) <= 40
        assert 6 <= len(sessions) <= 12
        assert 2 <= len({s.hall for s in sessions}) <= 3
        assert {s.kind for s in sessions} >= {"talk", "forum", "matchmaking"}
        assert 12 <= len(booths) <= 30
        assert 1 <= len({b.hall for b in booths}) <= 2
        assert all(b.row is not None and b.col is not None for b in booths)


# --- registrations and booths ------------------------------------------------------------


def test_demo_registrations_cover_every_role_and_status(db):
    rows = db.exec(select(Registration)).all()
    assert {r.role for r in rows} == set(ROLES)
    assert {r.status for r in rows} == set(REGISTRATION_STATUSES)
    for row in rows:
        if row.status in ("declined", "withdrawn"):
            assert row.reason, row


def test_demo_booths_are_held_by_registered_exhibitors_with_some_free(db):
    for fair in _fairs(db):
        booths = service.list_booths(db, None, fair.id)
        holders = [b.organization_id for b in booths if b.organization_id is not None]
        exhibitors = set(
            db.exec(
                select(Registration.organization_id).where(
                    Registration.exhibition_id == fair.id,
                    Registration.role == "exhibitor",
                    Registration.status == "registered",
                )
            )
        )
        assert 0 < len(holders) < len(booths)
        assert set(holders) <= exhibitors


# --- meetings ----------------------------------------------------------------------------


def test_demo_meetings_cover_every_status_and_a_proposed_slot(db):
    meetings = db.exec(select(Meeting)).all()
    assert {m.status for m in meetings} == set(MEETING_STATUSES)
    proposed = [m for m in meetings if m.status == "requested" and m.proposed_slot_id]
    assert proposed
    assert all(m.proposed_by_id in (m.requester_id, m.invitee_id) for m in proposed)
    assert any(m.status == "requested" and m.slot_id is None for m in meetings)
    assert all(m.reason for m in meetings if m.status == "declined")
    assert all(m.reason for m in meetings if m.status == "cancelled")


def test_demo_booked_meetings_hold_a_table_and_both_sides(db):
    occupancy = db.exec(select(SlotOccupancy).where(SlotOccupancy.kind == "meeting")).all()
    by_meeting: dict[int, set[tuple[int, int]]] = {}
    for row in occupancy:
        by_meeting.setdefault(row.meeting_id, set()).add((row.slot_id, row.organization_id))
    for meeting in db.exec(select(Meeting)).all():
        if meeting.status in BOOKED:
            assert meeting.table_id is not None
            assert by_meeting[meeting.id] == {
                (meeting.slot_id, meeting.requester_id),
                (meeting.slot_id, meeting.invitee_id),
            }
        else:
            assert meeting.id not in by_meeting


def test_demo_has_no_double_booking(db):
    booked = db.exec(select(Meeting).where(Meeting.status.in_(BOOKED))).all()
    tables = Counter((m.slot_id, m.table_id) for m in booked)
    sides = Counter((m.slot_id, org) for m in booked for org in (m.requester_id, m.invitee_id))
    assert max(tables.values()) == 1
    assert max(sides.values()) == 1
    assert any(count > 1 for count in Counter(m.slot_id for m in booked).values())


def test_demo_unavailability_and_session_choices_present(db):
    unavailable = db.exec(
        select(func.count()).where(SlotOccupancy.kind == "unavailable").select_from(SlotOccupancy)
    ).one()
    choices = db.exec(select(func.count()).select_from(AgendaChoice)).one()
    assert unavailable > 0
    assert choices > 0


@pytest.mark.parametrize("user", USER_ORGS)
def test_demo_users_organizations_have_accepted_meetings_at_upcoming_fairs(db, user):
    org_id = _org_of(db, user)
    upcoming = [fair.id for fair in _fairs(db) if fair.starts_on > WRITTEN_ON]
    accepted = db.exec(
        select(Meeting).where(
            Meeting.exhibition_id.in_(upcoming),
            Meeting.status == "accepted",
            (Meeting.requester_id == org_id) | (Meeting.invitee_id == org_id),
        )
    ).all()
    assert len(accepted) >= 2


def test_demo_provider_has_requests_in_and_out(db):
    org_id = _org_of(db, "provider")
    requested = db.exec(select(Meeting).where(Meeting.status == "requested")).all()
    assert any(m.requester_id == org_id for m in requested)
    assert any(m.invitee_id == org_id for m in requested)


def test_demo_provider_agenda_exports_its_meetings(loaded, db):
    app = loaded[0]
    org_id = _org_of(db, "provider")
    fair = next(f for f in _fairs(db) if f.city == "Beijing")
    with app.app_context(), force_locale("en"):
        calendar = Calendar.from_ical(service.agenda_ics(db, fair, org_id, "en"))
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    meetings = sorted(s for s in summaries if s.startswith("Meeting: "))
    assert meetings == ["Meeting: Gulf Logistics Holding", "Meeting: Nordlicht Versicherung AG"]
    assert len(summaries) == 2 + 3  # two accepted meetings, three chosen sessions
