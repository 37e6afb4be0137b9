"""The same races on a real PostgreSQL server: exactly one winner, only domain errors."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from matchmaker.errors import Conflict
from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import Booth, Meeting, Registration
from tests.postgres_server import postgres_app
from tests.test_postgres import postgres_url  # noqa: F401  (the server fixture)

from .conftest import FAIR, add_org, add_user
from .races import race

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_engine(postgres_url, tmp_path):  # noqa: F811
    engine = postgres_app(postgres_url, tmp_path).extensions["matchmaker.engine"]
    yield engine
    engine.dispose()


@pytest.fixture
def pg_db(pg_engine):
    with Session(pg_engine, expire_on_commit=False) as db:
        yield db


def _fair(db, **overrides):
    organizer = add_user(db, role="organizer")
    return service.create_exhibition(db, organizer, {**FAIR, **overrides}), organizer


def _member(db, fair, role="exhibitor", **fields):
    org = add_org(db, **fields)
    user = add_user(db, organization_id=org.id)
    if role:
        service.register(db, user, fair.id, org.id, role)
    return org.id, user


def test_last_place_goes_to_one_registration_on_postgres(pg_engine, pg_db):
    fair, _ = _fair(pg_db, capacity_exhibitor=1)
    members = [_member(pg_db, fair, role=None) for _ in range(12)]

    def attempt(db, index):
        org_id, user = members[index]
        return service.register(db, user, fair.id, org_id, "exhibitor").status

    results, errors = race(pg_engine, 12, attempt)
    assert errors == []
    assert sorted(results) == ["registered"] + ["waitlisted"] * 11
    statuses = pg_db.exec(select(Registration.status).where(Registration.exhibition_id == fair.id))
    assert sorted(statuses) == ["registered"] + ["waitlisted"] * 11


def test_one_booth_goes_to_one_exhibitor_on_postgres(pg_engine, pg_db):
    fair, organizer = _fair(pg_db)
    booth = service.create_booth(pg_db, organizer, fair.id, {"code": "A1", "row": 0, "col": 0})
    members = [_member(pg_db, fair) for _ in range(12)]

    def attempt(db, index):
        org_id, user = members[index]
        return service.book_booth(db, user, booth.id, org_id).organization_id

    results, errors = race(pg_engine, 12, attempt)
    assert len(results) == 1
    assert [type(e) for e in errors] == [Conflict] * 11
    pg_db.expire_all()
    assert pg_db.get(Booth, booth.id).organization_id == results[0]


def test_one_meeting_per_organization_and_slot_on_postgres(pg_engine, pg_db):
    fair, _ = _fair(pg_db, tables=20)
    slot = service.list_slots(pg_db, None, fair.id)[0]
    host_id, host_user = _member(pg_db, fair, name="Host")
    meeting_ids = []
    for _ in range(12):
        guest_id, guest_user = _member(pg_db, fair, role="buyer", kind="buyer")
        meeting = service.request_meeting(pg_db, guest_user, fair.id, guest_id, host_id, slot.id)
        meeting_ids.append(meeting.id)

    def attempt(db, index):
        return service.accept_meeting(db, host_user, meeting_ids[index]).id

    results, errors = race(pg_engine, 12, attempt)
    assert len(results) == 1
    assert [str(e.message) for e in errors] == ["Host already has a meeting in this slot."] * 11
    accepted = pg_db.exec(select(Meeting.id).where(Meeting.status == "accepted")).all()
    assert accepted == results


def test_tables_are_shared_without_double_booking_on_postgres(pg_engine, pg_db):
    fair, _ = _fair(pg_db, tables=3)
    slot = service.list_slots(pg_db, None, fair.id)[0]
    pairs = []
    for _ in range(12):
        a_id, a_user = _member(pg_db, fair, kind="buyer")
        b_id, b_user = _member(pg_db, fair)
        pairs.append(
            (service.request_meeting(pg_db, a_user, fair.id, a_id, b_id, slot.id).id, b_user)
        )

    def attempt(db, index):
        meeting_id, user = pairs[index]
        return service.accept_meeting(db, user, meeting_id).table_id

    results, errors = race(pg_engine, 12, attempt)
    assert sorted(results) == [t.id for t in service.exhibition_tables(pg_db, fair.id)]
    assert [str(e.message) for e in errors] == ["No meeting table is free in this slot."] * 9
