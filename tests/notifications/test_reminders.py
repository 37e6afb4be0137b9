"""Reminders 15 minutes before each accepted meeting: once, never stale, never cancelled."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import update
from sqlmodel import Session, select

from matchmaker.exhibitions import service
from matchmaker.exhibitions.fair_notices import send_reminders
from matchmaker.exhibitions.models import Exhibition, Meeting, Slot
from matchmaker.notifications.mail import send_pending
from matchmaker.notifications.messages import render_text
from matchmaker.notifications.models import Notification
from matchmaker.notifications.service import set_email_settings
from tests.exhibitions.conftest import FAIR, add_user

from .test_fair_notices import FIRST_SLOT_EN, SECOND_SLOT_EN, _deliver, _notes, _participant

# The fixture fair's first slot starts at 09:00 in Shanghai, 01:00 UTC.
FIRST_START = datetime(2026, 6, 10, 1, 0, tzinfo=UTC)
BEFORE = FIRST_START - timedelta(minutes=10)


@pytest.fixture(autouse=True)
def _in_app(app):
    with app.app_context(), force_locale("en"):
        yield


@pytest.fixture
def fair(db):
    return service.create_exhibition(db, add_user(db, role="organizer"), dict(FAIR))


@pytest.fixture
def fair_slots(db, fair):
    return service.list_slots(db, None, fair.id)


@pytest.fixture
def sides(db, fair):
    buyer, buyer_users = _participant(db, fair, "Nordlicht", members=2, kind="buyer")
    provider, provider_users = _participant(db, fair, "Haixin")
    return buyer, buyer_users, provider, provider_users


def _meeting(db, fair, sides, slot, *, accept: bool = True) -> Meeting:
    buyer, buyer_users, provider, provider_users = sides
    meeting = service.request_meeting(db, buyer_users[0], fair.id, buyer.id, provider.id, slot.id)
    if accept:
        meeting = service.accept_meeting(db, provider_users[0], meeting.id)
    return meeting


def _reminders(db) -> list[tuple[int, str]]:
    return _notes(db, "meeting_reminder")


def test_a_meeting_about_to_start_is_reminded_to_both_sides_once(
    app, db, fair, sides, fair_slots, smtp_server
):
    _buyer, buyer_users, _provider, provider_users = sides
    _meeting(db, fair, sides, fair_slots[0])
    _deliver(app, smtp_server).clear()

    assert send_reminders(db, BEFORE) == 1
    assert send_reminders(db, BEFORE) == 0
    assert send_reminders(db, BEFORE + timedelta(minutes=5)) == 0

    everyone = buyer_users + provider_users
    assert sorted(_reminders(db)) == sorted((u.id, "meeting_reminder") for u in everyone)
    messages = _deliver(app, smtp_server)
    subjects = {m["To"]: m["Subject"] for m in messages}
    assert sorted(subjects) == sorted(u.email for u in everyone)
    assert subjects[buyer_users[1].email] == (
        f"Soon: your meeting with Haixin at {FIRST_SLOT_EN}, table T01"
    )
    assert subjects[provider_users[0].email] == (
        f"Soon: your meeting with Nordlicht at {FIRST_SLOT_EN}, table T01"
    )
    db.expire_all()
    assert db.exec(select(Meeting.reminded_at)).one() is not None


def test_two_workers_at_once_remind_each_meeting_once(app, db, fair, fair_slots):
    pairs = []
    for n in range(3):
        buyer, buyer_users = _participant(db, fair, f"Buyer {n}", kind="buyer")
        provider, provider_users = _participant(db, fair, f"Provider {n}")
        pairs.append((buyer, buyer_users, provider, provider_users))
        _meeting(db, fair, pairs[-1], fair_slots[0])  # three tables, one slot
    engine = app.extensions["matchmaker.engine"]
    barrier = threading.Barrier(4)
    counts, errors = [], []

    def worker() -> None:
        with app.app_context(), Session(engine, expire_on_commit=False) as own:
            barrier.wait()
            try:
                counts.append(send_reminders(own, BEFORE))
            except Exception as error:  # reported to the assertion below
                errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(counts) == 3
    members = [u.id for _, buyers, _, providers in pairs for u in buyers + providers]
    assert sorted(user_id for user_id, _ in _reminders(db)) == sorted(members)


def test_requested_declined_and_cancelled_meetings_get_no_reminder(db, fair, fair_slots):
    statuses = []
    for n, action in enumerate(("request", "decline", "cancel", "cancel_accepted")):
        buyer, buyer_users = _participant(db, fair, f"Buyer {n}", kind="buyer")
        provider, provider_users = _participant(db, fair, f"Provider {n}")
        pair = (buyer, buyer_users, provider, provider_users)
        meeting = _meeting(db, fair, pair, fair_slots[0], accept=action == "cancel_accepted")
        if action == "decline":
            meeting = service.decline_meeting(db, provider_users[0], meeting.id)
        elif action.startswith("cancel"):
            meeting = service.cancel_meeting(db, buyer_users[0], meeting.id)
        statuses.append(meeting.status)

    assert statuses == ["requested", "declined", "cancelled", "cancelled"]
    assert send_reminders(db, BEFORE) == 0
    assert _reminders(db) == []


@pytest.mark.parametrize(
    "now",
    [
        FIRST_START,  # starting now
        FIRST_START + timedelta(minutes=1),  # the server was down: a started meeting
        FIRST_START + timedelta(hours=1),
        FIRST_START - timedelta(minutes=15, seconds=1),  # too early yet
        FIRST_START - timedelta(days=1),
    ],
)
def test_no_reminder_outside_the_15_minutes_before_the_start(db, fair, sides, fair_slots, now):
    _meeting(db, fair, sides, fair_slots[0])

    assert send_reminders(db, now) == 0
    assert _reminders(db) == []


def test_the_window_opens_exactly_15_minutes_before(db, fair, sides, fair_slots):
    _meeting(db, fair, sides, fair_slots[0])

    assert send_reminders(db, FIRST_START - timedelta(minutes=15)) == 1


def test_a_meeting_of_a_fair_no_longer_published_gets_no_reminder(db, fair, sides, fair_slots):
    _meeting(db, fair, sides, fair_slots[0])
    db.exec(update(Exhibition).where(Exhibition.id == fair.id).values(status="cancelled"))
    db.commit()

    assert send_reminders(db, BEFORE) == 0


def test_a_moved_meeting_is_reminded_again_at_its_new_time(db, fair, sides, fair_slots):
    _buyer, buyer_users, _provider, provider_users = sides
    meeting = _meeting(db, fair, sides, fair_slots[0])
    assert send_reminders(db, BEFORE) == 1
    service.propose_slot(db, buyer_users[0], meeting.id, fair_slots[1].id)
    service.accept_meeting(db, provider_users[0], meeting.id)

    assert send_reminders(db, BEFORE + timedelta(minutes=30)) == 1

    later = db.exec(
        select(Notification)
        .where(Notification.kind == "meeting_reminder", Notification.user_id == buyer_users[0].id)
        .order_by(Notification.id)
    ).all()
    assert [render_text(n.kind, n.params) for n in later] == [
        f"Soon: your meeting with Haixin at {FIRST_SLOT_EN}, table T01",
        f"Soon: your meeting with Haixin at {SECOND_SLOT_EN}, table T01",
    ]


def test_a_switched_off_reminder_stays_in_the_site(app, db, fair, sides, fair_slots, smtp_server):
    _buyer, buyer_users, _provider, provider_users = sides
    _meeting(db, fair, sides, fair_slots[0])
    _deliver(app, smtp_server).clear()
    set_email_settings(db, provider_users[0], {"meeting_reminder": False})

    send_reminders(db, BEFORE)

    assert provider_users[0].id in {user_id for user_id, _ in _reminders(db)}
    assert sorted(m["To"] for m in _deliver(app, smtp_server)) == sorted(
        u.email for u in buyer_users
    )


def test_the_mail_sender_queues_and_delivers_due_reminders(app, db, fair, sides, smtp_server):
    _buyer, buyer_users, _provider, provider_users = sides
    slot = service.list_slots(db, None, fair.id)[0]
    _meeting(db, fair, sides, slot)
    soon = datetime.now(UTC) + timedelta(minutes=5)
    db.exec(
        update(Slot)
        .where(Slot.id == slot.id)
        .values(starts_at=soon, ends_at=soon + timedelta(minutes=30))
    )
    db.commit()
    app.config["SMTP_URL"] = smtp_server.url

    send_pending(app)
    send_pending(app)

    reminders = [m for m in smtp_server.messages if m["Subject"].startswith("Soon: ")]
    assert sorted(m["To"] for m in reminders) == sorted(
        u.email for u in buyer_users + provider_users
    )
