"""A fair's meeting events notify the other side in the site and by mail, read back over SMTP."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from matchmaker.errors import Conflict
from matchmaker.exhibitions import fair_notices, service
from matchmaker.notifications.mail import deliver_due
from matchmaker.notifications.messages import FAIR_KINDS, KIND_LABELS, render_html, render_text
from matchmaker.notifications.models import Notification, OutboxMail
from matchmaker.notifications.service import set_email_settings
from tests.exhibitions.conftest import FAIR, add_org, add_user

FAIR_EN = "Service Outsourcing Fair"
FAIR_ZH = "服务外包交易会"
# The fixture fair's first slot, 09:00 in Shanghai; Babel puts a narrow no-break space
# before "AM".
FIRST_SLOT_EN = "Wed, Jun 10, 9:00\u202fAM (Shanghai)"
SECOND_SLOT_EN = "Wed, Jun 10, 9:30\u202fAM (Shanghai)"


@pytest.fixture(autouse=True)
def _in_app(app):
    with app.app_context(), force_locale("en"):
        yield


@pytest.fixture
def organizer(db):
    return add_user(db, role="organizer")


@pytest.fixture
def fair(db, organizer):
    return service.create_exhibition(db, organizer, dict(FAIR))


@pytest.fixture
def first_slots(db, fair):
    return service.list_slots(db, None, fair.id)


def _participant(db, fair, name: str, *, members: int = 1, locale: str | None = None, **org):
    """A registered organization and its members (the first one acts)."""
    organization = add_org(db, name=name, **org)
    users = [add_user(db, organization_id=organization.id) for _ in range(members)]
    for user in users:
        user.locale = locale
        db.add(user)
    db.commit()
    service.register(db, users[0], fair.id, organization.id, "exhibitor")
    return organization, users


@pytest.fixture
def sides(db, fair):
    """Nordlicht (a buyer, two members) and Haixin (a provider, two members)."""
    buyer, buyer_users = _participant(db, fair, "Nordlicht", members=2, kind="buyer")
    provider, provider_users = _participant(db, fair, "Haixin", members=2)
    return buyer, buyer_users, provider, provider_users


def _notes(db, kind: str | None = None) -> list[tuple[int, str]]:
    db.expire_all()
    query = select(Notification).order_by(Notification.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    return [(n.user_id, n.kind) for n in db.exec(query)]


def _mails(db) -> list[tuple[str, str]]:
    db.expire_all()
    return [(m.to, m.subject) for m in db.exec(select(OutboxMail).order_by(OutboxMail.id))]


def _deliver(app, smtp_server) -> list:
    deliver_due(app.extensions["matchmaker.engine"], smtp_url=smtp_server.url, batch=100)
    return smtp_server.messages


def _body(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def _request(db, fair, sides, slot=None):
    buyer, buyer_users, provider, _ = sides
    return service.request_meeting(
        db, buyer_users[0], fair.id, buyer.id, provider.id, slot.id if slot else None
    )


def test_a_request_reaches_every_member_of_the_invitee_by_mail(app, db, fair, sides, smtp_server):
    _buyer, buyer_users, _provider, provider_users = sides

    meeting = _request(db, fair, sides)

    assert _notes(db) == [(u.id, "meeting_requested") for u in provider_users]
    messages = _deliver(app, smtp_server)
    assert sorted(m["To"] for m in messages) == sorted(u.email for u in provider_users)
    assert {m["Subject"] for m in messages} == {f"Nordlicht asks to meet you at {FAIR_EN}"}
    link = f"http://127.0.0.1:5000/exhibitions/{fair.id}/meetings/{meeting.id}"
    assert link in _body(messages[0])
    assert not any(m["To"] == u.email for m in messages for u in buyer_users)


def test_the_mail_is_in_the_recipients_language(app, db, fair, smtp_server):
    buyer, [buyer_user] = _participant(db, fair, "Nordlicht", kind="buyer")
    zh, [zh_user] = _participant(db, fair, "海信", locale="zh_Hans")
    ar, [ar_user] = _participant(db, fair, "Gulf Data", locale="ar")

    service.request_meeting(db, buyer_user, fair.id, buyer.id, zh.id)
    service.request_meeting(db, buyer_user, fair.id, buyer.id, ar.id)

    by_to = {m["To"]: m for m in _deliver(app, smtp_server)}
    [note_zh] = db.exec(select(Notification).where(Notification.user_id == zh_user.id)).all()
    with force_locale("zh_Hans"):
        expected_zh = render_text("meeting_requested", note_zh.params)
        footer_zh = str(KIND_LABELS["meeting_requested"])
    assert by_to[zh_user.email]["Subject"] == expected_zh
    assert FAIR_ZH in expected_zh  # the fair's Chinese name, not the English one
    assert footer_zh in _body(by_to[zh_user.email])
    with force_locale("ar"):
        expected_ar = render_text("meeting_requested", note_zh.params)
    assert by_to[ar_user.email]["Subject"] == expected_ar
    assert FAIR_EN in expected_ar  # no Arabic name: English, the fallback


def test_the_notification_reads_in_the_readers_language_when_shown(db, fair, sides, first_slots):
    *_, provider_users = sides
    meeting = _request(db, fair, sides, first_slots[0])
    service.accept_meeting(db, provider_users[0], meeting.id)

    [note, _] = db.exec(select(Notification).where(Notification.kind == "meeting_accepted")).all()
    assert note.params["fair"] == {"en": FAIR_EN, "zh_Hans": FAIR_ZH}
    assert note.params["when"] == {"at": "2026-06-10T01:00:00+00:00", "tz": "Asia/Shanghai"}
    with force_locale("en"):
        assert render_text(note.kind, note.params) == (
            f"Haixin accepted your meeting at {FAIR_EN}: {FIRST_SLOT_EN}"
        )
        html = str(render_html(note.kind, note.params))
        assert f"<bdi>{FAIR_EN}</bdi>" in html
        assert "<bdi>Haixin</bdi>" in html
    with force_locale("zh_Hans"):
        text = render_text(note.kind, note.params)
    assert FAIR_ZH in text
    assert "6月10日" in text and "09:00" in text  # CLDR's Chinese date and 24-hour clock


def test_accepting_tells_the_requester_when_and_where(
    app, db, fair, sides, first_slots, smtp_server
):
    _buyer, buyer_users, _provider, provider_users = sides
    meeting = _request(db, fair, sides, first_slots[0])
    _deliver(app, smtp_server).clear()

    service.accept_meeting(db, provider_users[0], meeting.id)

    assert _notes(db, "meeting_accepted") == [(u.id, "meeting_accepted") for u in buyer_users]
    messages = _deliver(app, smtp_server)
    assert sorted(m["To"] for m in messages) == sorted(u.email for u in buyer_users)
    assert messages[0]["Subject"] == f"Haixin accepted your meeting at {FAIR_EN}: {FIRST_SLOT_EN}"


def test_accepting_a_counter_proposal_tells_the_side_that_proposed(db, fair, sides, first_slots):
    _buyer, buyer_users, _provider, provider_users = sides
    meeting = _request(db, fair, sides, first_slots[0])
    service.propose_slot(db, provider_users[0], meeting.id, first_slots[1].id)

    service.accept_meeting(db, buyer_users[0], meeting.id)

    assert _notes(db, "meeting_accepted") == [(u.id, "meeting_accepted") for u in provider_users]
    [note, _] = db.exec(select(Notification).where(Notification.kind == "meeting_accepted")).all()
    assert render_text(note.kind, note.params) == (
        f"Nordlicht accepted your meeting at {FAIR_EN}: {SECOND_SLOT_EN}"
    )
    assert note.params["table"] == "T01"


def test_declining_tells_the_requester_only(app, db, fair, sides, smtp_server):
    _buyer, buyer_users, _provider, provider_users = sides
    meeting = _request(db, fair, sides)
    _deliver(app, smtp_server).clear()

    service.decline_meeting(db, provider_users[1], meeting.id, "Not this year")

    assert _notes(db, "meeting_declined") == [(u.id, "meeting_declined") for u in buyer_users]
    messages = _deliver(app, smtp_server)
    assert sorted(m["To"] for m in messages) == sorted(u.email for u in buyer_users)
    assert messages[0]["Subject"] == f"Haixin declined your meeting request at {FAIR_EN}"


def test_an_accepted_move_tells_the_side_that_proposed_it(db, fair, sides, first_slots):
    _buyer, buyer_users, _provider, provider_users = sides
    meeting = _request(db, fair, sides, first_slots[0])
    service.accept_meeting(db, provider_users[0], meeting.id)
    service.propose_slot(db, buyer_users[0], meeting.id, first_slots[1].id)

    service.accept_meeting(db, provider_users[0], meeting.id)

    assert _notes(db, "meeting_moved") == [(u.id, "meeting_moved") for u in buyer_users]
    [note, _] = db.exec(select(Notification).where(Notification.kind == "meeting_moved")).all()
    assert render_text(note.kind, note.params) == (
        f"Your meeting with Haixin at {FAIR_EN} moved to {SECOND_SLOT_EN}"
    )


def test_an_organizer_move_tells_both_sides(db, fair, sides, first_slots, organizer):
    _buyer, buyer_users, _provider, provider_users = sides
    meeting = _request(db, fair, sides, first_slots[0])
    service.accept_meeting(db, provider_users[0], meeting.id)
    service.propose_slot(db, buyer_users[0], meeting.id, first_slots[1].id)

    service.accept_meeting(db, organizer, meeting.id)  # an organizer answers for Haixin

    moved = {user_id for user_id, _ in _notes(db, "meeting_moved")}
    assert moved == {u.id for u in buyer_users + provider_users}


def test_cancelling_tells_the_other_side(db, fair, sides, first_slots):
    _buyer, buyer_users, _provider, provider_users = sides
    meeting = _request(db, fair, sides, first_slots[0])
    service.accept_meeting(db, provider_users[0], meeting.id)

    service.cancel_meeting(db, buyer_users[1], meeting.id, "Flight cancelled")

    assert _notes(db, "meeting_cancelled") == [(u.id, "meeting_cancelled") for u in provider_users]
    [note, _] = db.exec(select(Notification).where(Notification.kind == "meeting_cancelled")).all()
    assert render_text(note.kind, note.params) == (
        f"Your meeting with Nordlicht at {FAIR_EN} was cancelled"
    )


def test_an_organizer_cancelling_tells_both_sides(app, db, fair, sides, organizer, smtp_server):
    _buyer, buyer_users, _provider, provider_users = sides
    meeting = _request(db, fair, sides)
    _deliver(app, smtp_server).clear()

    service.cancel_meeting(db, organizer, meeting.id)

    everyone = buyer_users + provider_users
    assert sorted(_notes(db, "meeting_cancelled")) == sorted(
        (u.id, "meeting_cancelled") for u in everyone
    )
    messages = _deliver(app, smtp_server)
    assert sorted(m["To"] for m in messages) == sorted(u.email for u in everyone)
    assert organizer.email not in {m["To"] for m in messages}
    subjects = {m["To"]: m["Subject"] for m in messages}
    assert subjects[buyer_users[0].email] == f"Your meeting with Haixin at {FAIR_EN} was cancelled"
    assert subjects[provider_users[0].email] == (
        f"Your meeting with Nordlicht at {FAIR_EN} was cancelled"
    )


def test_a_switched_off_kind_is_shown_in_the_site_but_not_mailed(app, db, fair, sides, smtp_server):
    _buyer, _buyer_users, _provider, provider_users = sides
    quiet, loud = provider_users
    set_email_settings(db, quiet, {"meeting_requested": False})

    _request(db, fair, sides)

    assert _notes(db) == [(quiet.id, "meeting_requested"), (loud.id, "meeting_requested")]
    assert [m["To"] for m in _deliver(app, smtp_server)] == [loud.email]


def test_a_refused_acceptance_sends_nothing(db, fair, sides, first_slots):
    _buyer, _buyer_users, provider, provider_users = sides
    meeting = _request(db, fair, sides, first_slots[0])
    other, [other_user] = _participant(db, fair, "Busy Corp")
    busy = service.request_meeting(
        db, other_user, fair.id, other.id, provider.id, first_slots[0].id
    )
    service.accept_meeting(db, provider_users[0], busy.id)
    before = (_notes(db), _mails(db))

    with pytest.raises(Conflict):
        service.accept_meeting(db, provider_users[0], meeting.id)  # Haixin is busy then

    assert (_notes(db), _mails(db)) == before


def test_a_retried_table_attempt_notifies_once(db, fair, sides, first_slots, monkeypatch):
    _buyer, buyer_users, _provider, provider_users = sides
    meeting = _request(db, fair, sides, first_slots[0])
    real = fair_notices.meeting_accepted
    calls = []

    def lose_the_first_race(*args, **kwargs):
        real(*args, **kwargs)  # the rows are added, then the commit "loses" a race
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("INSERT", {}, Exception("the table was taken meanwhile"))

    monkeypatch.setattr(fair_notices, "meeting_accepted", lose_the_first_race)

    accepted = service.accept_meeting(db, provider_users[0], meeting.id)

    assert (accepted.status, len(calls)) == ("accepted", 2)
    assert _notes(db, "meeting_accepted") == [(u.id, "meeting_accepted") for u in buyer_users]
    accepted_mails = [m for m in _mails(db) if "accepted your meeting" in m[1]]
    assert sorted(to for to, _ in accepted_mails) == sorted(u.email for u in buyer_users)


def test_the_settings_page_offers_every_fair_kind(client, make_user, login):
    make_user("settings@example.com")
    login("settings@example.com")

    page = client.get("/account/notifications").get_data(as_text=True)

    for kind in FAIR_KINDS:
        assert f'name="{kind}"' in page
        assert str(KIND_LABELS[kind]).replace("'", "&#39;") in page


BROKEN_PARAMS = [
    {},
    {"fair": ["not", "a", "dict"], "when": {"at": "garbage", "tz": "Asia/Shanghai"}},
    {"fair": {"en": None}, "when": {"tz": "Nowhere/Else"}, "count": "x", "table": None},
    {"when": {"at": "2026-06-10T01:00:00+00:00", "tz": "Not/AZone"}, "from_org": 7},
]


@pytest.mark.parametrize("params", BROKEN_PARAMS)
def test_missing_or_damaged_params_never_fail_the_pages(client, db, make_user, login, params):
    user = make_user("reader@example.com", locale="ar")
    for kind in FAIR_KINDS:
        db.add(Notification(user_id=user.id, kind=kind, params=params, link="/exhibitions"))
    db.commit()
    login("reader@example.com")

    for kind in FAIR_KINDS:
        assert isinstance(render_text(kind, params), str)
    assert client.get("/notifications").status_code == 200
    assert client.get("/notifications?lang=zh_Hans").status_code == 200
    response = client.get("/api/v1/notifications?per_page=20", headers=_bearer(client))
    assert response.status_code == 200, response.json
    assert len(response.json["items"]) == len(FAIR_KINDS)


def _bearer(client) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/tokens", json={"email": "reader@example.com", "password": "password123"}
    )
    assert response.status_code == 201, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}
