"""The schedule commit racing other writers on a real PostgreSQL server: all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from matchmaker.errors import Conflict
from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import Exhibition, Meeting, SlotOccupancy
from matchmaker.notifications.models import Notification
from matchmaker.scheduler import service as scheduler
from tests.postgres_server import postgres_app
from tests.test_postgres import postgres_url  # noqa: F401  (the server fixture)

from .conftest import FAIR, add_org, add_user
from .races import race

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(postgres_url, tmp_path):  # noqa: F811
    app = postgres_app(postgres_url, tmp_path)
    yield app
    app.extensions["matchmaker.engine"].dispose()


@pytest.fixture
def pg_db(pg_app):
    with Session(pg_app.extensions["matchmaker.engine"], expire_on_commit=False) as db:
        yield db


def _member(db, fair, role="exhibitor", **fields):
    org = add_org(db, **fields)
    user = add_user(db, organization_id=org.id)
    service.register(db, user, fair.id, org.id, role)
    return org.id, user


def _scheduled(db) -> int:
    return db.exec(select(func.count(Meeting.id)).where(Meeting.placed_by == "scheduler")).one()


def test_two_organizers_publish_one_preview_once_on_postgres(pg_app, pg_db):
    organizer = add_user(pg_db, role="organizer")
    fair = service.create_exhibition(pg_db, organizer, {**FAIR, "tables": 10})
    second = add_user(pg_db, role="admin")
    host_id, _host = _member(pg_db, fair)
    for _ in range(5):
        guest_id, guest = _member(pg_db, fair, role="buyer", kind="buyer")
        service.request_meeting(pg_db, guest, fair.id, guest_id, host_id)
    with pg_app.app_context():
        token = scheduler.preview(pg_db, organizer, fair.id).token
    actors = [organizer, second] * 3

    def attempt(db, index):
        with pg_app.app_context():
            return len(scheduler.commit(db, actors[index], fair.id, token).placed)

    results, errors = race(pg_app.extensions["matchmaker.engine"], 6, attempt)

    assert results == [5]
    assert [type(e) for e in errors] == [Conflict] * 5
    pg_db.expire_all()
    assert _scheduled(pg_db) == 5
    notified = pg_db.exec(
        select(func.count(Notification.id)).where(Notification.kind == "schedule_published")
    ).one()
    assert notified == 6  # the host and five guests, once each


def test_commit_racing_acceptances_is_all_or_nothing_on_postgres(pg_app, pg_db):
    organizer = add_user(pg_db, role="organizer")
    fair = service.create_exhibition(pg_db, organizer, {**FAIR, "tables": 10})
    slots = service.list_slots(pg_db, None, fair.id)
    host_id, host = _member(pg_db, fair, name="Host")
    meetings = []
    for _ in range(6):
        guest_id, guest = _member(pg_db, fair, role="buyer", kind="buyer")
        meetings.append(service.request_meeting(pg_db, guest, fair.id, guest_id, host_id).id)
    with pg_app.app_context():
        preview = scheduler.preview(pg_db, organizer, fair.id)
    planned = {m.meeting_id: m.slot_id for m in preview.placed}
    assert set(planned) == set(meetings)
    # Each acceptance takes the slot the preview planned for the next meeting: a clash.
    clashes = [(meetings[i], planned[meetings[(i + 1) % 6]]) for i in range(6)]

    def attempt(db, index):
        if index == 0:
            with pg_app.app_context():
                return (
                    "schedule",
                    len(scheduler.commit(db, organizer, fair.id, preview.token).placed),
                )
        meeting_id, slot_id = clashes[index - 1]
        return ("accept", service.accept_meeting(db, host, meeting_id, slot_id).id)

    results, errors = race(pg_app.extensions["matchmaker.engine"], 7, attempt)

    assert all(isinstance(e, Conflict) for e in errors), errors
    pg_db.expire_all()
    scheduled = [r for r in results if r[0] == "schedule"]
    published = pg_db.get(Exhibition, fair.id).schedule_published_at
    if scheduled:
        assert scheduled == [("schedule", 6)]
        assert [r for r in results if r[0] == "accept"] == []
        assert _scheduled(pg_db) == 6 and published is not None
    else:
        assert _scheduled(pg_db) == 0 and published is None
        notified = pg_db.exec(
            select(func.count(Notification.id)).where(Notification.kind == "schedule_published")
        ).one()
        assert notified == 0
    # Whoever won, the host is in one place per slot and every meeting holds its two rows.
    accepted = pg_db.exec(select(Meeting).where(Meeting.status == "accepted")).all()
    assert len({m.slot_id for m in accepted}) == len(accepted)
    rows = pg_db.exec(select(SlotOccupancy.meeting_id, SlotOccupancy.slot_id)).all()
    assert sorted(rows) == sorted((m.id, m.slot_id) for m in accepted for _side in (1, 2))
    assert {s.id for s in slots} >= {m.slot_id for m in accepted}
