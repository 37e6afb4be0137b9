"""The preferences page (participants) and the schedule page (organizers), without JavaScript."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import Meeting, MeetingPreference, Registration
from matchmaker.scheduler import service as scheduler

from .conftest import add_org


@pytest.fixture
def organizer_client(login, make_user):
    user = make_user(role="organizer")
    return login(user.email), user


@pytest.fixture
def fair(make_fair, organizer_client):
    return make_fair(actor=organizer_client[1])


@pytest.fixture
def signed_in_participant(db, make_user, login):
    """A registered organization whose member is signed in: returns (client, org, user)."""

    def make(fair, role="buyer", **fields):
        org = add_org(db, kind="buyer" if role == "buyer" else "provider", **fields)
        user = make_user(organization_id=org.id)
        service.register(db, user, fair.id, org.id, role)
        return login(user.email), org, user

    return make


def _token(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def _request(db, fair, make_participant, **fields):
    a = make_participant(fair, role="buyer", kind="buyer", **fields)
    b = make_participant(fair)
    return service.request_meeting(db, a[1], fair.id, a[0].id, b[0].id), a, b


# --- preferences ----------------------------------------------------------------------------


def test_preferences_page_lists_the_others_and_saves(
    db, fair, signed_in_participant, make_participant
):
    client, _me, _user = signed_in_participant(fair, name="Me Buyer")
    other, _u, _ = make_participant(fair, name="Other Soft")
    third, _u3, _ = make_participant(fair, name="Third Soft")
    url = f"/exhibitions/{fair.id}/preferences"

    page = client.get(url)
    saved = client.post(
        url, data={"shown": [other.id, third.id], f"level-{other.id}": "must", "action": "levels"}
    )
    again = client.get(url).get_data(as_text=True)

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Other Soft" in html and "Third Soft" in html and "Me Buyer" not in html
    assert saved.status_code == 303
    rows = db.exec(select(MeetingPreference.target_id, MeetingPreference.level)).all()
    assert rows == [(other.id, "must")]
    assert f'name="level-{other.id}" value="must" checked' in again
    assert "Your preferences are saved." in again


def test_preferences_page_clears_an_answer(db, fair, signed_in_participant, make_participant):
    client, me, user = signed_in_participant(fair)
    other, _u, _ = make_participant(fair)
    from matchmaker.scheduler import preferences as prefs

    prefs.set_preference(db, user, fair.id, me.id, other.id, "would_like")

    client.post(
        f"/exhibitions/{fair.id}/preferences",
        data={"shown": [other.id], f"level-{other.id}": ""},
    )

    db.expire_all()
    assert db.exec(select(MeetingPreference)).all() == []


def test_preferences_for_someone_not_at_the_fair_are_refused(
    db, fair, signed_in_participant, make_member
):
    client, _me, _user = signed_in_participant(fair)
    stranger, _u = make_member()

    answer = client.post(
        f"/exhibitions/{fair.id}/preferences",
        data={"shown": [stranger.id], f"level-{stranger.id}": "must"},
        follow_redirects=True,
    )

    assert "This organization is not taking part in this fair." in answer.get_data(as_text=True)
    assert db.exec(select(MeetingPreference)).all() == []


def test_meeting_cap_is_saved_and_checked(db, fair, signed_in_participant):
    client, me, _user = signed_in_participant(fair)
    url = f"/exhibitions/{fair.id}/preferences"

    client.post(url, data={"action": "cap", "meeting_cap": "3"})
    bad = client.post(url, data={"action": "cap", "meeting_cap": "lots"}, follow_redirects=True)
    over = client.post(url, data={"action": "cap", "meeting_cap": "99"}, follow_redirects=True)

    registration = db.exec(select(Registration).where(Registration.organization_id == me.id)).one()
    db.refresh(registration)
    assert registration.meeting_cap == 3
    assert "Enter a whole number of meetings" in bad.get_data(as_text=True)
    assert "Choose between 1 and 12 meetings." in over.get_data(as_text=True)


def test_preferences_empty_state(fair, signed_in_participant):
    client, _me, _user = signed_in_participant(fair)

    html = client.get(f"/exhibitions/{fair.id}/preferences").get_data(as_text=True)

    assert "No other participants yet" in html


def test_preferences_page_is_for_registered_participants(app, fair, make_user, login):
    assert app.test_client().get(f"/exhibitions/{fair.id}/preferences").status_code == 302
    outsider = make_user()
    assert login(outsider.email).get(f"/exhibitions/{fair.id}/preferences").status_code == 403


def test_preferences_filter_by_role(fair, signed_in_participant, make_participant):
    client, _me, _user = signed_in_participant(fair)
    make_participant(fair, name="Exhibiting Soft")
    make_participant(fair, role="visitor", name="Visiting Soft")

    html = client.get(f"/exhibitions/{fair.id}/preferences?role=visitor").get_data(as_text=True)

    assert "Visiting Soft" in html and "Exhibiting Soft" not in html


# --- the schedule -----------------------------------------------------------------------------


def test_schedule_page_shows_counts(db, fair, organizer_client, make_participant):
    client, _user = organizer_client
    _request(db, fair, make_participant)

    answer = client.get(f"/exhibitions/{fair.id}/schedule")

    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Preview schedule" in html
    assert "1 meeting can be placed." in html


def test_schedule_page_is_for_organizers(app, db, fair, make_user, login):
    assert app.test_client().get(f"/exhibitions/{fair.id}/schedule").status_code == 302
    member = make_user()
    signed_in = login(member.email)
    assert signed_in.get(f"/exhibitions/{fair.id}/schedule").status_code == 403
    assert signed_in.post(f"/exhibitions/{fair.id}/schedule/preview").status_code == 403
    assert signed_in.get("/exhibitions/999999/schedule").status_code == 404


def test_preview_then_publish(app, db, fair, organizer_client, make_participant):
    client, _user = organizer_client
    meeting, _a, _b = _request(db, fair, make_participant, name="Keen Buyer")

    preview = client.post(f"/exhibitions/{fair.id}/schedule/preview")

    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Keen Buyer" in html and "Publish this schedule" in html
    db.expire_all()
    assert db.get(Meeting, meeting.id).status == "requested"

    published = client.post(
        f"/exhibitions/{fair.id}/schedule/publish",
        data={"token": _token(html)},
        follow_redirects=True,
    )

    assert "The schedule is published: 1 meeting placed." in published.get_data(as_text=True)
    db.expire_all()
    assert db.get(Meeting, meeting.id).status == "accepted"


def test_publish_after_a_change_asks_to_preview_again(db, fair, organizer_client, make_participant):
    client, _user = organizer_client
    meeting, _a, b = _request(db, fair, make_participant)
    html = client.post(f"/exhibitions/{fair.id}/schedule/preview").get_data(as_text=True)
    service.accept_meeting(db, b[1], meeting.id, service.list_slots(db, None, fair.id)[2].id)

    answer = client.post(f"/exhibitions/{fair.id}/schedule/publish", data={"token": _token(html)})

    assert answer.status_code == 409
    assert "The meetings changed since the preview; run it again." in answer.get_data(as_text=True)


def test_preview_csv_has_every_row(db, fair, organizer_client, make_participant):
    client, _user = organizer_client
    _request(db, fair, make_participant, name="=Formula Buyer")
    html = client.post(f"/exhibitions/{fair.id}/schedule/preview").get_data(as_text=True)

    answer = client.post(
        f"/exhibitions/{fair.id}/schedule/preview.csv", data={"token": _token(html)}
    )

    lines = answer.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert lines[0] == "status,meeting_id,requester,invitee,starts_at,table,weight,reason"
    assert lines[1].startswith("placed,") and ",'=Formula Buyer," in lines[1]
    assert len(lines) == 2


def test_lock_and_unlock_from_the_schedule_page(db, fair, organizer_client, make_participant):
    client, _user = organizer_client
    meeting, _a, b = _request(db, fair, make_participant)
    service.accept_meeting(db, b[1], meeting.id, service.list_slots(db, None, fair.id)[0].id)
    url = f"/exhibitions/{fair.id}/schedule/meetings/{meeting.id}/lock"

    locked = client.post(url, data={"locked": "1"}, follow_redirects=True)
    db.expire_all()
    assert db.get(Meeting, meeting.id).locked is True
    client.post(url, data={"locked": "0"})

    assert "The meeting is locked." in locked.get_data(as_text=True)
    db.expire_all()
    assert db.get(Meeting, meeting.id).locked is False


def test_lock_of_a_meeting_at_another_fair_is_404(
    db, fair, make_fair, organizer_client, make_participant
):
    client, user = organizer_client
    other = make_fair(actor=user)
    meeting, _a, _b = _request(db, other, make_participant)

    answer = client.post(
        f"/exhibitions/{fair.id}/schedule/meetings/{meeting.id}/lock", data={"locked": "1"}
    )

    assert answer.status_code == 404


def test_big_preview_shows_the_first_rows_only(db, fair, organizer_client, monkeypatch):
    from matchmaker.exhibitions import views_schedule

    monkeypatch.setattr(views_schedule, "SHOWN", 1)
    client, _user = organizer_client
    for _ in range(3):
        a_org = add_org(db, kind="buyer")
        b_org = add_org(db)
        for org, role in ((a_org, "buyer"), (b_org, "exhibitor")):
            member = _member(db, org)
            service.register(db, member, fair.id, org.id, role)
        service.request_meeting(db, _member(db, a_org), fair.id, a_org.id, b_org.id)

    html = client.post(f"/exhibitions/{fair.id}/schedule/preview").get_data(as_text=True)

    assert "The first 1 of 3, in time order; the CSV file has them all." in html
    assert scheduler.SCORE_BUDGET > 0


def _member(db, org):
    from .conftest import add_user

    return add_user(db, organization_id=org.id)
