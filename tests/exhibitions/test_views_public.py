"""The public trade-fair pages: the list, a fair's page, its programme as iCalendar."""

from __future__ import annotations

import re

import pytest
from icalendar import Calendar

from matchmaker.exhibitions import service


def section(html: str, section_id: str) -> str:
    """The markup of one <section id=...> of a page."""
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def fair_names(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/exhibitions/\d+"><bdi>([^<]*)</bdi>', html)


@pytest.fixture
def member_client(login, make_user, make_org):
    """A signed-in member of a fresh organization: returns (client, org, user)."""

    def make(**org_fields):
        org = make_org(**org_fields)
        user = make_user(organization_id=org.id)
        return login(user.email), org, user

    return make


def test_index_lists_upcoming_soonest_first_and_past_newest_first(client, make_fair):
    make_fair(name={"en": "Later fair"}, starts_on="2027-09-01", ends_on="2027-09-02")
    make_fair(name={"en": "Sooner fair"}, starts_on="2027-03-01", ends_on="2027-03-02")
    make_fair(name={"en": "Old fair"}, starts_on="2020-05-01", ends_on="2020-05-02")
    make_fair(name={"en": "Older fair"}, starts_on="2019-05-01", ends_on="2019-05-02")

    response = client.get("/exhibitions")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert fair_names(section(html, "upcoming-title")) == ["Sooner fair", "Later fair"]
    assert fair_names(section(html, "past-title")) == ["Old fair", "Older fair"]
    assert "Create a fair" not in html


def test_index_hides_drafts_from_others_and_marks_them_for_organizers(
    client, login, make_user, make_fair
):
    organizer = make_user(role="organizer")
    make_fair(
        actor=organizer,
        name={"en": "Secret draft"},
        status="draft",
        starts_on="2027-03-01",
        ends_on="2027-03-01",
    )
    make_fair(name={"en": "Open fair"}, starts_on="2027-04-01", ends_on="2027-04-01")

    anonymous = fair_names(client.get("/exhibitions").get_data(as_text=True))
    login(organizer.email)
    html = client.get("/exhibitions").get_data(as_text=True)

    assert anonymous == ["Open fair"]
    assert fair_names(html) == ["Secret draft", "Open fair"]
    assert '<span class="badge status-draft">Draft</span>' in html
    assert 'href="/exhibitions/new">Create a fair</a>' in html


def test_index_marks_cancelled_fairs(client, make_fair):
    make_fair(
        name={"en": "Called off"}, status="cancelled", starts_on="2027-03-01", ends_on="2027-03-01"
    )

    html = client.get("/exhibitions").get_data(as_text=True)

    assert fair_names(html) == ["Called off"]
    assert '<span class="badge status-cancelled">Cancelled</span>' in html


def test_index_empty_state(client):
    html = client.get("/exhibitions").get_data(as_text=True)

    assert "No fairs are planned yet. Check back soon." in html
    assert "No past fairs." in html


@pytest.fixture
def living_fair(db, make_fair, organizer, make_participant):
    """A published fair with one session, two booths (one held) and one exhibitor."""
    fair = make_fair(starts_on="2027-06-10", ends_on="2027-06-11")
    service.create_session(
        db,
        organizer,
        fair.id,
        {
            "kind": "forum",
            "hall": "A",
            "starts_at": "2027-06-10T10:00+08:00",
            "ends_at": "2027-06-10T11:00+08:00",
            "title": {
                "en": "Digital trade forum",
                "zh_Hans": "数字贸易论坛",
                "ar": "منتدى التجارة",
            },
            "speakers": {"en": "Li Wei"},
        },
    )
    taken = service.create_booth(
        db, organizer, fair.id, {"code": "A01", "hall": "A", "row": 0, "col": 0}
    )
    service.create_booth(db, organizer, fair.id, {"code": "A02", "hall": "A", "row": 0, "col": 1})
    org, user, _registration = make_participant(fair, "exhibitor", name="Haixin Software")
    service.book_booth(db, user, taken.id, org.id)
    return fair


def test_show_renders_agenda_exhibitors_and_booths(client, living_fair):
    response = client.get(f"/exhibitions/{living_fair.id}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1><bdi>Service Outsourcing Fair</bdi></h1>" in html
    agenda = section(html, "agenda")
    assert '<p class="agenda-title" dir="auto">Digital trade forum</p>' in agenda
    assert "Thursday, June 10, 2027" in agenda
    assert re.findall(r'<bdi class="when-time">([^<]*)<', agenda) == [
        "10:00\u202fAM – 11:00\u202fAM "
    ]
    assert 'Speakers: <bdi dir="auto">Li Wei</bdi>' in agenda
    assert re.findall(r"<bdi>([^<]*)</bdi></a>", section(html, "exhibitors")) == ["Haixin Software"]
    booths = section(html, "booths")
    assert booths.count('class="booth taken"') == 1
    assert booths.count('class="booth free"') == 1
    assert '<div class="floor-plan-wrap" dir="ltr"><svg' in booths
    assert re.findall(r'<th scope="row"><bdi>([^<]*)</bdi></th>', booths) == ["A01", "A02"]
    assert "Sign in to register" in section(html, "take-part")


def test_show_in_chinese(client, living_fair):
    html = client.get(f"/exhibitions/{living_fair.id}?lang=zh_Hans").get_data(as_text=True)

    assert '<html lang="zh-Hans" dir="ltr">' in html
    assert "<h1><bdi>服务外包交易会</bdi></h1>" in html
    assert '<p class="agenda-title" dir="auto">数字贸易论坛</p>' in html
    assert "2027年6月10日星期四" in html


def test_show_in_arabic_is_right_to_left_with_a_left_to_right_plan(client, living_fair):
    html = client.get(f"/exhibitions/{living_fair.id}?lang=ar").get_data(as_text=True)

    assert '<html lang="ar" dir="rtl">' in html
    assert '<p class="agenda-title" dir="auto">منتدى التجارة</p>' in html
    # No Arabic name: the English one stands in.
    assert "<h1><bdi>Service Outsourcing Fair</bdi></h1>" in html
    assert html.count('<div class="floor-plan-wrap" dir="ltr"') == 1


def test_show_draft_is_not_found_for_others(client, make_fair):
    fair = make_fair(status="draft")

    assert client.get(f"/exhibitions/{fair.id}").status_code == 404


def test_show_empty_states(client, make_fair):
    fair = make_fair()

    html = client.get(f"/exhibitions/{fair.id}").get_data(as_text=True)

    assert "The agenda is not published yet." in html
    assert "No exhibitors have registered yet." in html
    assert "No booths are laid out yet." in html


def test_show_offers_registration_to_a_member(member_client, make_fair):
    fair = make_fair()
    client, _org, _user = member_client()

    take_part = section(client.get(f"/exhibitions/{fair.id}").get_data(as_text=True), "take-part")

    assert f'action="/exhibitions/{fair.id}/register"' in take_part
    assert re.findall(r'<option value="(\w+)"', take_part) == ["exhibitor", "buyer", "visitor"]


def test_show_tells_a_user_without_organization_to_describe_it(login, make_user, make_fair):
    fair = make_fair()
    client = login(make_user().email)

    take_part = section(client.get(f"/exhibitions/{fair.id}").get_data(as_text=True), "take-part")

    assert 'href="/organizations/new"' in take_part
    assert "register" not in re.findall(r'action="[^"]*"', take_part)


def test_show_lets_a_registered_exhibitor_book_and_choose_sessions(db, member_client, living_fair):
    client, org, user = member_client()
    service.register(db, user, living_fair.id, org.id, "exhibitor")

    html = client.get(f"/exhibitions/{living_fair.id}").get_data(as_text=True)

    free = next(b for b in service.list_booths(db, None, living_fair.id) if b.code == "A02")
    assert re.findall(r'action="(/exhibitions/\d+/booths/\d+/book)"', html) == [
        f"/exhibitions/{living_fair.id}/booths/{free.id}/book"
    ]
    assert len(re.findall(r'action="/exhibitions/\d+/sessions/\d+/choose"', html)) == 1
    assert "Your organization:" in section(html, "take-part")


def test_show_lets_a_pending_buyer_see_approval_is_needed(db, member_client, make_fair):
    fair = make_fair(buyer_approval=True)
    client, org, user = member_client(kind="buyer")
    service.register(db, user, fair.id, org.id, "buyer")

    take_part = section(client.get(f"/exhibitions/{fair.id}").get_data(as_text=True), "take-part")

    assert '<strong class="status-pending">Waiting for approval</strong>' in take_part


def test_programme_ics_parses_with_every_session(client, living_fair):
    response = client.get(f"/exhibitions/{living_fair.id}/programme.ics")

    calendar = Calendar.from_ical(response.data)
    events = calendar.walk("VEVENT")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="fair-{living_fair.id}-programme.ics"'
    )
    assert [str(e["SUMMARY"]) for e in events] == ["Digital trade forum"]
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_programme_ics_of_a_draft_is_not_found(client, make_fair):
    fair = make_fair(status="draft")

    assert client.get(f"/exhibitions/{fair.id}/programme.ics").status_code == 404
