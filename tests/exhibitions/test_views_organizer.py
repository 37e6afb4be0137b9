"""The organizer pages of a fair: settings, agenda sessions, booths and registrations."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time

import pytest

from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import AgendaSession, Booth, Exhibition

from .conftest import count

FORM = {
    "name_en": "Digital Delivery Expo",
    "name_zh_Hans": "数字交付博览会",
    "description_en": "Three days of B2B meetings.",
    "city": "Chengdu",
    "venue": "Century City",
    "timezone": "Asia/Shanghai",
    "starts_on": "2027-05-20",
    "ends_on": "2027-05-22",
    "day_start": "09:00",
    "day_end": "17:00",
    "slot_minutes": "20",
    "tables": "12",
    "break_1_starts": "12:00",
    "break_1_ends": "13:00",
    "capacity_buyer": "40",
    "buyer_approval": "y",
}


def errors(html: str) -> dict[str, str]:
    """Field errors shown on a form page, by the id of the field they describe."""
    return dict(re.findall(r'<p class="error" id="([\w-]+)-error"[^>]*>([^<]*)</p>', html))


@pytest.fixture
def organizer_client(login, make_user):
    """A signed-in organizer: returns (client, user)."""
    user = make_user(role="organizer")
    return login(user.email), user


@pytest.fixture
def own_fair(db, organizer_client, make_fair):
    _client, user = organizer_client
    return make_fair(actor=user, starts_on="2027-06-10", ends_on="2027-06-11")


def test_create_form_renders_for_organizers(organizer_client):
    client, _user = organizer_client

    response = client.get("/exhibitions/new")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<option selected value="Asia/Shanghai">' in html
    assert html.count('name="name_') == 6
    assert '<input id="starts_on" name="starts_on" required type="date" value="">' in html


def test_create_form_refuses_members(login, make_user):
    client = login(make_user().email)

    assert client.get("/exhibitions/new").status_code == 403


def test_organizer_creates_a_fair_through_the_form(db, organizer_client):
    client, user = organizer_client

    response = client.post("/exhibitions/new", data=FORM)

    fair = db.exec(Exhibition.__table__.select()).one()
    created = db.get(Exhibition, fair.id)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/exhibitions/{created.id}"
    assert created.name_map() == {"en": "Digital Delivery Expo", "zh_Hans": "数字交付博览会"}
    assert created.status == "draft"
    assert (created.timezone, created.slot_minutes, created.capacity_buyer) == (
        "Asia/Shanghai",
        20,
        40,
    )
    assert created.buyer_approval is True
    assert [(b.starts, b.ends) for b in created.breaks] == [(time(12), time(13))]
    assert len(service.exhibition_tables(db, created.id)) == 12
    assert service.is_organizer(db, user, created.id) is True


def test_create_shows_every_field_error_and_creates_nothing(db, organizer_client):
    client, _user = organizer_client
    bad = {
        **FORM,
        "ends_on": "2027-05-19",
        "timezone": "Mars/Olympus",
        "slot_minutes": "0",
        "name_en": "",
        "name_zh_Hans": "",
    }

    response = client.post("/exhibitions/new", data=bad)

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert errors(html) == {
        "ends_on": "The exhibition must end on or after its first day.",
        "timezone": "Unknown time zone: use an IANA name such as Asia/Shanghai.",
        "slot_minutes": "Must be between 1 and 480.",
        "name": "This field is required.",
    }
    assert 'value="Digital"' not in html
    assert 'id="city" maxlength="120" name="city" type="text" value="Chengdu">' in html
    assert 'aria-invalid="true" aria-describedby="name-error"' in html
    assert count(db, Exhibition) == 0


def test_create_reports_a_break_that_ends_before_it_starts(db, organizer_client):
    client, _user = organizer_client

    response = client.post(
        "/exhibitions/new", data={**FORM, "break_1_starts": "13:00", "break_1_ends": "12:00"}
    )

    assert response.status_code == 422
    assert errors(response.get_data(as_text=True)) == {
        "breaks": "A break must end after it starts."
    }
    assert count(db, Exhibition) == 0


def test_edit_prefills_and_saves(db, organizer_client, own_fair):
    client, _user = organizer_client

    page = client.get(f"/exhibitions/{own_fair.id}/edit").get_data(as_text=True)
    response = client.post(
        f"/exhibitions/{own_fair.id}/edit", data={**FORM, "name_en": "Renamed fair"}
    )

    db.refresh(own_fair)
    assert '<input id="day_start" name="day_start" required type="time" value="09:00">' in page
    assert 'value="Service Outsourcing Fair"' in page
    assert response.status_code == 303
    assert own_fair.name_in("en") == "Renamed fair"
    assert own_fair.city == "Chengdu"


def test_edit_by_another_organizer_is_forbidden(login, make_user, make_fair):
    fair = make_fair()
    client = login(make_user(role="organizer").email)

    assert client.get(f"/exhibitions/{fair.id}/edit").status_code == 403
    assert client.post(f"/exhibitions/{fair.id}/edit", data=FORM).status_code == 403
    assert client.get(f"/exhibitions/{fair.id}/sessions").status_code == 403
    assert client.get(f"/exhibitions/{fair.id}/booths").status_code == 403
    assert client.get(f"/exhibitions/{fair.id}/dashboard").status_code == 403


def test_organizer_pages_send_anonymous_readers_to_sign_in(client, make_fair):
    fair = make_fair()

    response = client.get(f"/exhibitions/{fair.id}/edit")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")


def test_publish_and_cancel(db, organizer_client, make_fair):
    client, user = organizer_client
    fair = make_fair(actor=user, status="draft")

    published = client.post(f"/exhibitions/{fair.id}/status", data={"status": "published"})
    db.refresh(fair)
    after_publish = fair.status
    client.post(f"/exhibitions/{fair.id}/status", data={"status": "cancelled"})
    db.refresh(fair)

    assert published.status_code == 303
    assert after_publish == "published"
    assert fair.status == "cancelled"


def test_publishing_a_cancelled_fair_is_refused_with_a_message(db, organizer_client, make_fair):
    client, user = organizer_client
    fair = make_fair(actor=user, status="cancelled")

    response = client.post(
        f"/exhibitions/{fair.id}/status", data={"status": "published"}, follow_redirects=True
    )

    db.refresh(fair)
    assert fair.status == "cancelled"
    assert "A cancelled exhibition cannot become published." in response.get_data(as_text=True)


def test_add_organizer_by_email(db, organizer_client, own_fair, make_user):
    client, _user = organizer_client
    colleague = make_user(email="colleague@example.com")

    response = client.post(
        f"/exhibitions/{own_fair.id}/organizers",
        data={"email": "Colleague@Example.com"},
        follow_redirects=True,
    )

    assert service.is_organizer(db, colleague, own_fair.id) is True
    assert "colleague@example.com now organizes this fair too." in response.get_data(as_text=True)


def test_add_unknown_organizer_says_why(organizer_client, own_fair):
    client, _user = organizer_client

    response = client.post(
        f"/exhibitions/{own_fair.id}/organizers",
        data={"email": "nobody@example.com"},
        follow_redirects=True,
    )

    assert "No account has this e-mail address." in response.get_data(as_text=True)


SESSION = {
    "title_en": "Opening forum",
    "speakers_en": "Li Wei",
    "kind": "forum",
    "hall": "A",
    "day": "2027-06-10",
    "starts": "10:00",
    "ends": "11:00",
}


def test_sessions_page_empty_state(organizer_client, own_fair):
    client, _user = organizer_client

    html = client.get(f"/exhibitions/{own_fair.id}/sessions").get_data(as_text=True)

    assert "No sessions yet. Add the first talk or forum below." in html
    assert re.findall(r'<option value="([\d-]+)">', html) == ["2027-06-10", "2027-06-11"]


def test_add_session_in_the_fairs_local_time(db, organizer_client, own_fair):
    client, _user = organizer_client

    response = client.post(f"/exhibitions/{own_fair.id}/sessions", data=SESSION)

    created = db.exec(AgendaSession.__table__.select()).one()
    assert response.status_code == 303
    # 10:00 in Shanghai is 02:00 UTC.
    assert created.starts_at.replace(tzinfo=UTC) == datetime(2027, 6, 10, 2, tzinfo=UTC)
    assert db.get(AgendaSession, created.id).title_in("en") == "Opening forum"


def test_add_overlapping_session_shows_the_error(db, organizer_client, own_fair):
    client, _user = organizer_client
    client.post(f"/exhibitions/{own_fair.id}/sessions", data=SESSION)

    response = client.post(
        f"/exhibitions/{own_fair.id}/sessions",
        data={**SESSION, "title_en": "Clash", "starts": "10:30", "ends": "11:30"},
    )

    assert response.status_code == 422
    assert errors(response.get_data(as_text=True)) == {
        "hall": "Another session takes place in this hall at that time."
    }
    assert count(db, AgendaSession) == 1


def test_add_session_with_bad_times_and_no_title(db, organizer_client, own_fair):
    client, _user = organizer_client

    response = client.post(
        f"/exhibitions/{own_fair.id}/sessions",
        data={**SESSION, "title_en": "", "starts": "25:00", "ends": "09:00"},
    )

    assert response.status_code == 422
    assert errors(response.get_data(as_text=True)) == {
        "title": "This field is required.",
        "starts": "Enter a time as HH:MM.",
    }
    assert count(db, AgendaSession) == 0


def test_edit_and_delete_a_session(db, organizer_client, own_fair):
    client, _user = organizer_client
    client.post(f"/exhibitions/{own_fair.id}/sessions", data=SESSION)
    session_id = db.exec(AgendaSession.__table__.select()).one().id
    url = f"/exhibitions/{own_fair.id}/sessions/{session_id}"

    page = client.get(f"{url}/edit").get_data(as_text=True)
    saved = client.post(f"{url}/edit", data={**SESSION, "ends": "12:00", "title_en": "Forum"})
    edited = db.get(AgendaSession, session_id)
    db.refresh(edited)
    deleted = client.post(f"{url}/delete")

    assert '<input id="starts" name="starts" required type="time" value="10:00">' in page
    assert saved.status_code == 303
    assert edited.title_in("en") == "Forum"
    assert edited.ends_at.replace(tzinfo=UTC) == datetime(2027, 6, 10, 4, tzinfo=UTC)
    assert deleted.status_code == 303
    assert count(db, AgendaSession) == 0


BOOTH = {
    "code": "B01",
    "hall": "B",
    "size": "3 × 3 m",
    "row": "0",
    "col": "0",
    "width": "2",
    "height": "1",
}


def test_booths_page_empty_state(organizer_client, own_fair):
    client, _user = organizer_client

    html = client.get(f"/exhibitions/{own_fair.id}/booths").get_data(as_text=True)

    assert "No booths yet. Add the first one below." in html


def test_add_booth_and_see_it_on_the_plan(db, organizer_client, own_fair):
    client, _user = organizer_client

    response = client.post(f"/exhibitions/{own_fair.id}/booths", data=BOOTH)
    html = client.get(f"/exhibitions/{own_fair.id}/booths").get_data(as_text=True)

    booth = db.exec(Booth.__table__.select()).one()
    assert response.status_code == 303
    assert (booth.code, booth.hall, booth.size, booth.row, booth.col, booth.width) == (
        "B01",
        "B",
        "3 × 3 m",
        0,
        0,
        2,
    )
    assert html.count('class="booth free"') == 1
    assert "row 0, column 0, 2 × 1" in html


def test_add_overlapping_or_duplicate_booth_shows_the_error(db, organizer_client, own_fair):
    client, _user = organizer_client
    client.post(f"/exhibitions/{own_fair.id}/booths", data=BOOTH)

    overlap = client.post(
        f"/exhibitions/{own_fair.id}/booths", data={**BOOTH, "code": "B02", "col": "1"}
    )
    duplicate = client.post(
        f"/exhibitions/{own_fair.id}/booths", data={**BOOTH, "row": "5", "col": "5"}
    )

    assert overlap.status_code == 422
    assert errors(overlap.get_data(as_text=True)) == {"row": "Overlaps booth B01 in this hall."}
    assert duplicate.status_code == 422
    assert errors(duplicate.get_data(as_text=True)) == {"code": "Another booth has this code."}
    assert count(db, Booth) == 1


def test_dashboard_empty_state(organizer_client, own_fair):
    client, _user = organizer_client

    html = client.get(f"/exhibitions/{own_fair.id}/dashboard").get_data(as_text=True)

    assert "No registrations yet." in html


def test_dashboard_shows_buyer_qualification_and_counts(
    organizer_client, make_fair, make_participant
):
    client, user = organizer_client
    fair = make_fair(actor=user, buyer_approval=True, capacity_buyer=1)
    make_participant(fair, "buyer", kind="buyer", budget="1m_5m", verified=True, name="Alpha")
    make_participant(fair, "buyer", kind="buyer", name="Beta")

    html = client.get(f"/exhibitions/{fair.id}/dashboard").get_data(as_text=True)

    assert "1 of 1 places taken" in html
    assert re.findall(r'<span class="status-(\w+)">', html.split('id="role-buyer"')[1]) == [
        "pending",
        "waitlisted",
    ]
    assert "No. 1 on the waiting list" in html
    assert '<span class="badge verified">✓ Verified</span>' in html


def test_dashboard_approve_and_decline(db, organizer_client, make_fair, make_participant):
    client, user = organizer_client
    fair = make_fair(actor=user, buyer_approval=True)
    _org, _member, first = make_participant(fair, "buyer", kind="buyer")
    _org, _member, second = make_participant(fair, "buyer", kind="buyer")
    url = f"/exhibitions/{fair.id}/registrations"

    approved = client.post(f"{url}/{first.id}/decision", data={"decision": "approved"})
    declined = client.post(
        f"{url}/{second.id}/decision",
        data={"decision": "declined", "reason": "Budget too small"},
        follow_redirects=True,
    )

    db.refresh(first)
    db.refresh(second)
    assert approved.status_code == 303
    assert first.status == "registered"
    assert (second.status, second.reason) == ("declined", "Budget too small")
    assert "The registration is now: Declined." in declined.get_data(as_text=True)


def test_dashboard_decision_by_a_stranger_is_forbidden(
    db, login, make_user, make_fair, make_participant
):
    fair = make_fair(buyer_approval=True)
    _org, _member, registration = make_participant(fair, "buyer", kind="buyer")
    client = login(make_user(role="organizer").email)

    response = client.post(
        f"/exhibitions/{fair.id}/registrations/{registration.id}/decision",
        data={"decision": "approved"},
    )

    db.refresh(registration)
    assert response.status_code == 403
    assert registration.status == "pending"
