"""Participant pages: taking part, participants, meetings, agenda, availability, calendars."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from babel.dates import format_date
from icalendar import Calendar
from sqlalchemy import event
from sqlmodel import select

from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import Booth, Meeting, Registration, SlotOccupancy

from .conftest import add_org

FIRST_DAY = date(2026, 6, 10)


@pytest.fixture
def fair(make_fair):
    return make_fair()


@pytest.fixture
def member(app, db, make_user):
    """An organization with a member who can sign in; registered at ``fair`` when given."""

    def make(fair=None, role="exhibitor", **org_fields):
        org = add_org(db, **org_fields)
        user = make_user(organization_id=org.id)
        if fair is not None:
            service.register(db, user, fair.id, org.id, role)
        return org, user

    return make


@pytest.fixture
def browser(app):
    """A signed-in test client per user (several people use the site in one test)."""

    def open_for(user, password: str = "password123"):
        client = app.test_client()
        response = client.post("/account/login", data={"email": user.email, "password": password})
        assert response.status_code == 302
        return client

    return open_for


def _flashes(html: str) -> list[str]:
    return [
        unescape(re.sub(r"\s+", " ", text).strip())
        for text in re.findall(r'<p class="flash flash-\w+">(.*?)</p>', html, re.S)
    ]


def _text(html: str) -> str:
    """The page as plain text, spaces collapsed (for exact phrases across tags)."""
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" .", "."))


def _follow(client, response):
    assert response.status_code in (302, 303), response.data[:300]
    return client.get(response.headers["Location"]).get_data(as_text=True)


# --- taking part ------------------------------------------------------------------------


def test_register_flashes_registered_and_returns_to_the_fair(db, fair, member, browser):
    org, user = member()
    client = browser(user)
    response = client.post(f"/exhibitions/{fair.id}/register", data={"role": "exhibitor"})
    assert response.headers["Location"] == f"/exhibitions/{fair.id}"
    assert _flashes(_follow(client, response)) == ["Your organization is registered as exhibitor."]
    status = db.exec(select(Registration.status).where(Registration.organization_id == org.id))
    assert status.one() == "registered"


def test_register_when_full_flashes_the_waiting_list(db, make_fair, member, browser):
    fair = make_fair(capacity_buyer=1)
    member(fair, "buyer")
    _org, user = member()
    client = browser(user)
    html = _follow(client, client.post(f"/exhibitions/{fair.id}/register", data={"role": "buyer"}))
    assert _flashes(html) == [
        "All places for buyer are taken: your organization is on the waiting list. "
        "You move up as soon as a place frees."
    ]


def test_register_buyer_with_approval_flashes_pending(make_fair, member, browser):
    fair = make_fair(buyer_approval=True)
    _org, user = member()
    client = browser(user)
    html = _follow(client, client.post(f"/exhibitions/{fair.id}/register", data={"role": "buyer"}))
    assert _flashes(html) == ["Your registration as buyer waits for the organizer's approval."]


def test_register_twice_or_with_a_bad_role_flashes_why(fair, member, browser):
    _org, user = member(fair)
    client = browser(user)
    again = client.post(f"/exhibitions/{fair.id}/register", data={"role": "buyer"})
    assert _flashes(_follow(client, again)) == [
        "This organization is registered for this exhibition already."
    ]
    _org2, user2 = member()
    client2 = browser(user2)
    bad = client2.post(f"/exhibitions/{fair.id}/register", data={"role": "king"})
    assert _flashes(_follow(client2, bad)) == ["Choose exhibitor, buyer or visitor."]


def test_register_anonymous_goes_to_sign_in(client, fair):
    response = client.post(f"/exhibitions/{fair.id}/register", data={"role": "buyer"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/account/login?next=/exhibitions/{fair.id}"


def test_register_at_an_unknown_fair_is_404(member, browser):
    _org, user = member()
    assert (
        browser(user).post("/exhibitions/999/register", data={"role": "buyer"}).status_code == 404
    )


def test_withdraw_frees_the_place(db, fair, member, browser):
    org, user = member(fair)
    client = browser(user)
    html = _follow(client, client.post(f"/exhibitions/{fair.id}/withdraw"))
    assert _flashes(html) == ["Your registration is withdrawn; your place is free."]
    status = db.exec(select(Registration.status).where(Registration.organization_id == org.id))
    assert status.one() == "withdrawn"


def test_book_booth_then_release(db, organizer, fair, member, browser):
    booth = service.create_booth(db, organizer, fair.id, {"code": "A1", "hall": "Hall 1"})
    org, user = member(fair)
    client = browser(user)
    url = f"/exhibitions/{fair.id}/booths/{booth.id}"
    assert _flashes(_follow(client, client.post(f"{url}/book"))) == ["Booth A1 is yours."]
    assert db.exec(select(Booth.organization_id).where(Booth.id == booth.id)).one() == org.id
    assert _flashes(_follow(client, client.post(f"{url}/release"))) == ["Booth A1 is free again."]


def test_booking_a_taken_booth_flashes_why_not_500(db, organizer, fair, member, browser):
    booth = service.create_booth(db, organizer, fair.id, {"code": "A1", "hall": "Hall 1"})
    _first, first_user = member(fair)
    service.book_booth(db, first_user, booth.id, first_user.organization_id)
    _org, user = member(fair)
    client = browser(user)
    response = client.post(f"/exhibitions/{fair.id}/booths/{booth.id}/book")
    assert response.status_code == 303
    assert _flashes(_follow(client, response)) == ["Booth A1 is taken."]


def test_booth_of_another_fair_is_refused(db, organizer, make_fair, fair, member, browser):
    other = make_fair()
    booth = service.create_booth(db, organizer, other.id, {"code": "B9", "hall": "Hall 2"})
    _org, user = member(fair)
    client = browser(user)
    html = _follow(client, client.post(f"/exhibitions/{fair.id}/booths/{booth.id}/book"))
    assert _flashes(html) == ["No booth with this id."]


def _session(db, organizer, fair, title="Opening forum", hall="Hall 1", start="09:00"):
    return service.create_session(
        db,
        organizer,
        fair.id,
        {
            "kind": "forum",
            "hall": hall,
            "starts_at": f"2026-06-10T{start}:00+08:00",
            "ends_at": f"2026-06-10T{int(start[:2]) + 1:02d}:00:00+08:00",
            "title": {"en": title},
        },
    )


def test_choose_session_goes_back_to_next_and_ignores_offsite_next(
    db, organizer, fair, member, browser
):
    talk = _session(db, organizer, fair)
    org, user = member(fair)
    client = browser(user)
    url = f"/exhibitions/{fair.id}/sessions/{talk.id}"
    chose = client.post(f"{url}/choose", data={"next": f"/exhibitions/{fair.id}/agenda"})
    assert chose.headers["Location"] == f"/exhibitions/{fair.id}/agenda"
    assert service.chosen_session_ids(db, user, fair.id, org.id) == {talk.id}
    dropped = client.post(f"{url}/unchoose", data={"next": "//evil.example/"})
    assert dropped.headers["Location"] == f"/exhibitions/{fair.id}"
    assert service.chosen_session_ids(db, user, fair.id, org.id) == set()


# --- participants ----------------------------------------------------------------------


def test_participants_page_sends_anonymous_readers_to_sign_in(client, fair):
    response = client.get(f"/exhibitions/{fair.id}/participants")
    assert response.headers["Location"] == (
        f"/account/login?next=/exhibitions/{fair.id}/participants"
    )


def test_participants_page_tells_unregistered_members_how_to_register(fair, member, browser):
    _org, user = member()
    response = browser(user).get(f"/exhibitions/{fair.id}/participants")
    assert response.status_code == 403
    assert "Only registered participants see this page." in response.get_data(as_text=True)


def test_participants_page_filters_by_text_role_country_and_family(fair, member, browser):
    member(fair, "buyer", name="Nordlicht Versicherung", kind="buyer", country="DE", city="Hamburg")
    member(fair, "exhibitor", name="Haixin Software", city="Dalian")
    member(fair, "exhibitor", name="Tianfu Data", city="Chengdu", services=["bpo.data_processing"])
    _me, user = member(fair, "visitor", name="Gulf Logistics", kind="buyer", country="AE")
    client = browser(user)
    base = f"/exhibitions/{fair.id}/participants"

    def names(query: str) -> list[str]:
        html = client.get(f"{base}?{query}").get_data(as_text=True).split('id="all-title"')[1]
        return re.findall(r'<h3><a href="/organizations/\d+"><bdi>(.*?)</bdi>', html)

    assert names("") == [
        "Gulf Logistics",
        "Haixin Software",
        "Nordlicht Versicherung",
        "Tianfu Data",
    ]
    assert names("q=hamburg") == ["Nordlicht Versicherung"]
    assert names("q=soft") == ["Haixin Software"]
    assert names("role=exhibitor") == ["Haixin Software", "Tianfu Data"]
    assert names("country=de") == ["Nordlicht Versicherung"]
    assert names("kind=buyer&country=AE") == ["Gulf Logistics"]
    assert names("family=bpo") == ["Tianfu Data"]
    assert names("q=nobody") == []
    assert "Nothing matches" in client.get(f"{base}?q=nobody").get_data(as_text=True)


def test_participants_page_shows_role_booth_and_request_link(db, organizer, fair, member, browser):
    booth = service.create_booth(db, organizer, fair.id, {"code": "A7", "hall": "Hall 1"})
    other, other_user = member(fair, name="Haixin Software")
    service.book_booth(db, other_user, booth.id, other.id)
    _me, user = member(fair, "buyer", name="Nordlicht", kind="buyer")
    html = browser(user).get(f"/exhibitions/{fair.id}/participants").get_data(as_text=True)
    assert '<span class="badge role-exhibitor">Exhibitor</span>' in html
    assert "Booth <bdi>A7</bdi>" in html
    assert f'href="/exhibitions/{fair.id}/meetings/new?with={other.id}"' in html


def test_participants_page_is_paginated(fair, member, browser):
    for n in range(25):
        member(fair, name=f"Provider {n:02d}")
    _me, user = member(fair, "buyer", name="Zeta Buyer", kind="buyer")
    client = browser(user)
    first = client.get(f"/exhibitions/{fair.id}/participants").get_data(as_text=True)
    second = client.get(f"/exhibitions/{fair.id}/participants?page=2").get_data(as_text=True)
    assert "26 participants" in first
    assert 'aria-label="Page 2 of 2"' in first
    assert re.findall(r"<bdi>(Provider \d+|Zeta Buyer)</bdi></a>", second) == [
        "Provider 24",
        "Zeta Buyer",
    ]


def test_participants_page_shows_people_to_meet_with_reasons(
    fair, make_org, member, browser, db, make_user
):
    buyer = make_org(name="Nordlicht", kind="buyer", country="DE", services=["ito.software_rd"])
    user = make_user(organization_id=buyer.id)
    service.register(db, user, fair.id, buyer.id, "buyer")
    provider = make_org(name="Haixin Software", services=["ito.software_rd"])
    service.register(db, make_user(organization_id=provider.id), fair.id, provider.id, "exhibitor")
    make_org(name="Away Soft", services=["ito.software_rd"])  # not at the fair
    html = browser(user).get(f"/exhibitions/{fair.id}/participants").get_data(as_text=True)
    section = html.split('id="people-title"')[1].split('id="all-title"')[0]
    assert re.findall(r"<bdi>([^<]+)</bdi></a>", section) == ["Haixin Software"]
    assert "Offers software R&amp;D and development, which you seek" in section
    assert "Request a meeting" in section


# --- meetings --------------------------------------------------------------------------


@pytest.fixture
def pair(fair, member, browser):
    """A registered buyer and provider, each with a signed-in client."""
    buyer, buyer_user = member(fair, "buyer", name="Nordlicht", kind="buyer", country="DE")
    provider, provider_user = member(fair, "exhibitor", name="Haixin")
    return buyer, browser(buyer_user), provider, browser(provider_user)


def _request(client, fair, other, slot="any", message="Hello"):
    return client.post(
        f"/exhibitions/{fair.id}/meetings/new?with={other.id}",
        data={"slot_id": str(slot), "message": message},
    )


def _act(client, fair, meeting, action, **form) -> list[str]:
    """Post a meeting action, follow the redirect, return the flashed messages."""
    url = f"/exhibitions/{fair.id}/meetings/{meeting.id}/{action}"
    return _flashes(_follow(client, client.post(url, data=form)))


def _ask(client, fair, other, slot="any") -> list[str]:
    return _flashes(_follow(client, _request(client, fair, other, slot)))


def _meeting(db) -> Meeting:
    meeting = db.exec(select(Meeting).order_by(Meeting.id.desc())).first()
    db.refresh(meeting)
    return meeting


def _user_of(db, org_id):
    from matchmaker.accounts.models import User

    return db.exec(select(User).where(User.organization_id == org_id)).first()


def test_request_form_offers_only_slots_free_for_both(db, fair, pair, slots):
    _buyer, buyer_client, provider, _pc = pair
    first, second = slots(fair)[:2]
    service.set_unavailability(db, _user_of(db, provider.id), fair.id, provider.id, [first.id])
    url = f"/exhibitions/{fair.id}/meetings/new?with={provider.id}"
    html = buyer_client.get(url).get_data(as_text=True)
    assert f'name="slot_id" value="{first.id}"' not in html
    assert f'name="slot_id" value="{second.id}"' in html
    assert "Any time: let them choose" in html


def test_request_with_own_or_unknown_organization_is_404(fair, pair):
    buyer, buyer_client, _p, _pc = pair
    base = f"/exhibitions/{fair.id}/meetings/new"
    assert buyer_client.get(f"{base}?with={buyer.id}").status_code == 404
    assert buyer_client.get(f"{base}?with=x").status_code == 404
    assert buyer_client.get(f"{base}?with=9999").status_code == 404


def test_request_then_accept_shows_in_both_agendas_with_the_table(db, fair, pair, slots):
    _buyer, buyer_client, provider, provider_client = pair
    slot = slots(fair)[0]
    assert _ask(buyer_client, fair, provider, slot.id) == [
        "Your meeting request is sent to Haixin."
    ]
    meeting = _meeting(db)
    assert (meeting.status, meeting.slot_id, meeting.message) == ("requested", slot.id, "Hello")
    incoming = provider_client.get(f"/exhibitions/{fair.id}/agenda").get_data(as_text=True)
    assert "Waiting for your answer" in incoming
    outgoing = buyer_client.get(f"/exhibitions/{fair.id}/agenda").get_data(as_text=True)
    assert "Waiting for the other side" in outgoing
    assert _act(provider_client, fair, meeting, "accept") == [
        "Meeting with Nordlicht accepted: Wednesday, June 10, 2026 9:00 AM – 9:30 AM Shanghai,"
        " table T01."
    ]
    for client, other in ((buyer_client, "Haixin"), (provider_client, "Nordlicht")):
        html = client.get(f"/exhibitions/{fair.id}/agenda").get_data(as_text=True)
        entry = _text(html.split('class="entry entry-meeting"')[1].split("</li>")[0])
        assert f"Meeting with {other} Table T01" in entry
        assert "Waiting for" not in html


def test_accept_into_a_taken_slot_says_who_is_busy(db, fair, pair, member, slots):
    _buyer, buyer_client, provider, provider_client = pair
    slot = slots(fair)[0]
    _ask(buyer_client, fair, provider, slot.id)
    meeting = _meeting(db)
    third, third_user = member(fair, "buyer", name="Andes Seguros", kind="buyer")
    other = service.request_meeting(db, third_user, fair.id, third.id, provider.id, slot.id)
    service.accept_meeting(db, _user_of(db, provider.id), other.id)
    response = provider_client.post(f"/exhibitions/{fair.id}/meetings/{meeting.id}/accept")
    assert response.status_code == 303
    assert _flashes(_follow(provider_client, response)) == [
        "Haixin already has a meeting in this slot."
    ]
    assert _meeting_status(db, meeting.id) == "requested"


def _meeting_status(db, meeting_id: int) -> str:
    return db.exec(select(Meeting.status).where(Meeting.id == meeting_id)).one()


def test_decline_with_a_reason(db, fair, pair):
    _buyer, buyer_client, provider, provider_client = pair
    _ask(buyer_client, fair, provider)
    meeting = _meeting(db)
    assert _act(provider_client, fair, meeting, "decline", reason="Fully booked") == [
        "You declined the meeting with Nordlicht."
    ]
    meeting = _meeting(db)
    assert (meeting.status, meeting.reason) == ("declined", "Fully booked")
    agenda = _text(buyer_client.get(f"/exhibitions/{fair.id}/agenda").get_data(as_text=True))
    assert "Declined and cancelled (1) Haixin · Declined · Fully booked" in agenda


def test_propose_another_slot_then_requester_accepts(db, fair, pair, slots):
    _buyer, buyer_client, provider, provider_client = pair
    first, second = slots(fair)[:2]
    _ask(buyer_client, fair, provider, first.id)
    meeting = _meeting(db)
    assert _act(provider_client, fair, meeting, "propose", slot_id=second.id) == [
        "You proposed Wednesday, June 10, 2026 9:30 AM – 10:00 AM Shanghai to Nordlicht."
    ]
    agenda = _text(buyer_client.get(f"/exhibitions/{fair.id}/agenda").get_data(as_text=True))
    assert "Proposed time: Wednesday, June 10, 2026 9:30 AM – 10:00 AM Shanghai" in agenda
    _act(buyer_client, fair, meeting, "accept")
    meeting = _meeting(db)
    assert (meeting.status, meeting.slot_id) == ("accepted", second.id)


def test_propose_without_a_slot_is_refused(db, fair, pair):
    _buyer, buyer_client, provider, provider_client = pair
    _ask(buyer_client, fair, provider)
    assert _act(provider_client, fair, _meeting(db), "propose") == ["Choose a meeting slot."]


def test_cancel_an_accepted_meeting_frees_the_slot(db, fair, pair, slots):
    _buyer, buyer_client, provider, provider_client = pair
    _ask(buyer_client, fair, provider, slots(fair)[0].id)
    meeting = _meeting(db)
    _act(provider_client, fair, meeting, "accept")
    assert _act(buyer_client, fair, meeting, "cancel") == ["The meeting with Haixin is cancelled."]
    assert _meeting_status(db, meeting.id) == "cancelled"
    assert db.exec(select(SlotOccupancy)).all() == []


def test_move_an_accepted_meeting_through_the_pages(db, fair, pair, slots):
    _buyer, buyer_client, provider, provider_client = pair
    first, second = slots(fair)[:2]
    _ask(buyer_client, fair, provider, first.id)
    meeting = _meeting(db)
    _act(provider_client, fair, meeting, "accept")
    page = buyer_client.get(f"/exhibitions/{fair.id}/meetings/{meeting.id}").get_data(as_text=True)
    assert "Move the meeting: propose another time" in page
    _act(buyer_client, fair, meeting, "propose", slot_id=second.id)
    moving = _meeting(db)
    assert (moving.status, moving.slot_id, moving.proposed_slot_id) == (
        "accepted",
        first.id,
        second.id,
    )
    agenda = _text(provider_client.get(f"/exhibitions/{fair.id}/agenda").get_data(as_text=True))
    assert "Proposed move to: Wednesday, June 10, 2026 9:30 AM – 10:00 AM Shanghai" in agenda
    assert "Accept the new time" in agenda
    assert _act(provider_client, fair, meeting, "accept") == [
        "The meeting with Nordlicht is moved to Wednesday, June 10, 2026 9:30 AM – 10:00 AM"
        " Shanghai, table T01."
    ]
    moved = _meeting(db)
    assert (moved.status, moved.slot_id, moved.proposed_slot_id) == ("accepted", second.id, None)


def test_keep_the_current_time_declines_a_move(db, fair, pair, slots):
    _buyer, buyer_client, provider, provider_client = pair
    first, second = slots(fair)[:2]
    _ask(buyer_client, fair, provider, first.id)
    meeting = _meeting(db)
    _act(provider_client, fair, meeting, "accept")
    _act(buyer_client, fair, meeting, "propose", slot_id=second.id)
    assert _act(provider_client, fair, meeting, "decline") == [
        "The meeting with Nordlicht stays at its time."
    ]
    kept = _meeting(db)
    assert (kept.status, kept.slot_id, kept.proposed_slot_id) == ("accepted", first.id, None)


def test_meeting_of_others_is_forbidden_and_unknown_action_is_404(db, fair, pair, member, browser):
    _buyer, buyer_client, provider, _pc = pair
    _ask(buyer_client, fair, provider)
    meeting = _meeting(db)
    _org, stranger = member(fair)
    client = browser(stranger)
    base = f"/exhibitions/{fair.id}/meetings/{meeting.id}"
    assert client.get(base).status_code == 403
    assert client.post(f"{base}/cancel").status_code == 403
    assert buyer_client.post(f"{base}/explode").status_code == 404


def test_request_cap_is_shown_and_enforced(db, make_fair, member, browser):
    fair = make_fair(request_cap=1)
    _me, user = member(fair, "buyer", name="Nordlicht", kind="buyer")
    first, _u1 = member(fair, name="Haixin")
    second, _u2 = member(fair, name="Tianfu")
    client = browser(user)
    form = client.get(f"/exhibitions/{fair.id}/meetings/new?with={first.id}").get_data(as_text=True)
    assert "You have sent 0 of the 1 meeting requests this fair allows per participant." in form
    _request(client, fair, first)
    refused = _request(client, fair, second)
    assert refused.status_code == 422
    assert "You have sent 1 meeting requests, the most this exhibition allows." in refused.get_data(
        as_text=True
    )


# --- my agenda --------------------------------------------------------------------------


@pytest.fixture
def booked(db, fair, pair, slots, organizer):
    """An accepted meeting in the first slot and a chosen session."""
    buyer, buyer_client, provider, provider_client = pair
    _ask(buyer_client, fair, provider, slots(fair)[0].id)
    meeting = _meeting(db)
    _act(provider_client, fair, meeting, "accept")
    talk = _session(db, organizer, fair, title="Digital trade forum", start="10:00")
    service.choose_session(db, _user_of(db, buyer.id), talk.id, buyer.id)
    return meeting, buyer_client


@pytest.mark.parametrize(
    ("locale", "direction"), [("en", "ltr"), ("zh_Hans", "ltr"), ("ar", "rtl")]
)
def test_agenda_page_in_each_language(booked, fair, locale, direction):
    _meeting_row, client = booked
    html = client.get(f"/exhibitions/{fair.id}/agenda?lang={locale}").get_data(as_text=True)
    assert f'dir="{direction}"' in html
    assert f'<h3 id="day-1">{format_date(FIRST_DAY, "full", locale=locale)}</h3>' in html
    assert "T01" in html
    assert "Digital trade forum" in html
    assert html.count('class="entry entry-meeting"') == 1
    assert html.count('class="entry entry-session"') == 1


def test_agenda_page_links_the_other_side_and_downloads(booked, fair, db):
    meeting, client = booked
    html = client.get(f"/exhibitions/{fair.id}/agenda").get_data(as_text=True)
    assert f'<a href="/organizations/{meeting.invitee_id}"><bdi>Haixin</bdi></a>' in html
    assert f'href="/exhibitions/{fair.id}/agenda.ics"' in html
    assert 'href="/calendar"' in html
    assert 'href="/static/css/agenda.css"' in html


def test_agenda_page_empty_state(fair, member, browser):
    _org, user = member(fair)
    html = browser(user).get(f"/exhibitions/{fair.id}/agenda").get_data(as_text=True)
    assert "No meetings or sessions on your agenda yet." in html
    assert "Find people to meet" in html


def test_fair_in_shanghai_seen_from_berlin_shows_both_times(db, booked, fair):
    meeting, client = booked
    from matchmaker.accounts.models import User

    user = db.exec(select(User).where(User.organization_id == meeting.requester_id)).one()
    user.timezone = "Europe/Berlin"
    db.add(user)
    db.commit()
    html = client.get(f"/exhibitions/{fair.id}/agenda").get_data(as_text=True)
    entry = html.split('class="entry entry-meeting"')[1].split("</li>")[0]
    text = _text(entry)
    # 09:00 in Shanghai (UTC+8) is 03:00 in Berlin (UTC+2 in June).
    assert text.startswith("> 9:00 AM – 9:30 AM Shanghai (your time: 3:00 AM – 3:30 AM Berlin)")


def test_agenda_page_uses_the_same_few_queries_for_many_meetings(
    app, db, fair, member, browser, slots
):
    me, user = member(fair, "buyer", name="Nordlicht", kind="buyer")
    client = browser(user)

    def queries() -> int:
        statements = []
        engine = app.extensions["matchmaker.engine"]
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(f"/exhibitions/{fair.id}/agenda").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    def book(slot):
        other, other_user = member(fair)
        meeting = service.request_meeting(db, user, fair.id, me.id, other.id, slot.id)
        service.accept_meeting(db, other_user, meeting.id)

    book(slots(fair)[0])
    few = queries()
    for slot in slots(fair)[1:6]:
        book(slot)
    assert queries() == few
    assert few <= 15


def test_agenda_ics_download_parses_back(booked, fair):
    meeting, client = booked
    response = client.get(f"/exhibitions/{fair.id}/agenda.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="agenda-{fair.id}.ics"'
    calendar = Calendar.from_ical(response.data)
    uids = sorted(str(e["UID"]) for e in calendar.walk("VEVENT"))
    assert uids[0] == f"meeting-{meeting.id}@matchmaker"
    assert len(uids) == 2


# --- availability -----------------------------------------------------------------------


def test_availability_saves_and_shows_busy_slots(db, fair, booked, slots):
    meeting, client = booked
    first, second, third = slots(fair)[:3]
    page = client.get(f"/exhibitions/{fair.id}/availability").get_data(as_text=True)
    assert f'value="{first.id}"' not in page  # the meeting's slot cannot be ticked
    assert page.count('class="slot slot-busy"') == 1
    response = client.post(
        f"/exhibitions/{fair.id}/availability",
        data={"unavailable": [str(second.id), str(third.id)]},
    )
    assert _flashes(_follow(client, response)) == ["Your availability is saved."]
    busy = service.busy_slot_ids(
        db, _user_of(db, meeting.requester_id), fair.id, meeting.requester_id
    )
    assert busy == {first.id: "meeting", second.id: "unavailable", third.id: "unavailable"}


def test_availability_refuses_a_slot_with_a_meeting(db, fair, booked, slots):
    meeting, client = booked
    first = slots(fair)[0]
    response = client.post(
        f"/exhibitions/{fair.id}/availability", data={"unavailable": [str(first.id)]}
    )
    assert response.status_code == 409
    assert "You have a meeting in one of these slots; cancel it first." in response.get_data(
        as_text=True
    )
    busy = service.busy_slot_ids(
        db, _user_of(db, meeting.requester_id), fair.id, meeting.requester_id
    )
    assert busy == {first.id: "meeting"}


def test_availability_refuses_garbage(fair, booked):
    _meeting, client = booked
    response = client.post(f"/exhibitions/{fair.id}/availability", data={"unavailable": ["x"]})
    assert response.status_code == 422
    assert "Choose among the exhibition's slots." in unescape(response.get_data(as_text=True))


# --- calendar subscription ------------------------------------------------------------------


def _feed_url(client) -> str:
    html = client.get("/calendar").get_data(as_text=True)
    (url,) = re.findall(r'id="feed-url" type="url" readonly value="([^"]+)"', html)
    return url


def test_calendar_page_shows_site_and_webcal_addresses(booked):
    _meeting, client = booked
    html = client.get("/calendar").get_data(as_text=True)
    url = _feed_url(client)
    # The site's own scheme (the test client speaks plain http; behind TLS it is https).
    assert re.fullmatch(r"http://127\.0\.0\.1:5000/calendar/[A-Za-z0-9_-]{43}\.ics", url)
    assert f'href="webcal://{url.removeprefix("http://")}"' in html
    assert "Google Calendar" in html and "Outlook" in html and "Apple Calendar" in html


def test_feed_serves_the_agenda_without_a_session(app, booked):
    meeting, client = booked
    path = _feed_url(client).removeprefix("http://127.0.0.1:5000")
    response = app.test_client().get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, no-store"
    events = {str(e["UID"]): e for e in Calendar.from_ical(response.data).walk("VEVENT")}
    assert str(events[f"meeting-{meeting.id}@matchmaker"]["SUMMARY"]) == "Meeting: Haixin"


def test_feed_speaks_its_owners_language(app, db, booked):
    meeting, client = booked
    user = _user_of(db, meeting.requester_id)
    user.locale = "zh_Hans"
    db.add(user)
    db.commit()
    path = _feed_url(client).removeprefix("http://127.0.0.1:5000")
    ics = app.test_client().get(path).data
    event_ = {str(e["UID"]): e for e in Calendar.from_ical(ics).walk("VEVENT")}
    summary = str(event_[f"meeting-{meeting.id}@matchmaker"]["SUMMARY"])
    with app.test_request_context():
        from flask_babel import force_locale
        from flask_babel import gettext as _

        with force_locale("zh_Hans"):
            assert summary == _("Meeting: %(name)s", name="Haixin")


def test_rotated_or_unknown_feed_is_404(app, booked):
    _meeting, client = booked
    old = _feed_url(client).removeprefix("http://127.0.0.1:5000")
    html = _follow(client, client.post("/calendar/rotate"))
    assert _flashes(html) == [
        "Your calendar has a new address. The old one no longer works: subscribe again."
    ]
    new = _feed_url(client).removeprefix("http://127.0.0.1:5000")
    anonymous = app.test_client()
    assert new != old
    assert anonymous.get(old).status_code == 404
    assert anonymous.get(new).status_code == 200
    assert anonymous.get("/calendar/not-a-secret.ics").status_code == 404


def test_calendar_page_without_an_organization_explains(make_user, login):
    user = make_user()
    html = login(user.email).get("/calendar").get_data(as_text=True)
    assert "Your account does not belong to one yet." in html
