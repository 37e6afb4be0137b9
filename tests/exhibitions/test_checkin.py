"""Check-in: badges, signed links (valid, forged, expired, another fair's), the desk."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_time
from itsdangerous import URLSafeTimedSerializer

from matchmaker.errors import Conflict, PermissionDenied
from matchmaker.exhibitions import checkin, service
from matchmaker.exhibitions.models import Registration

from .conftest import add_org

SECRET = "test-secret"  # the app fixture's SECRET_KEY


def _soon() -> dict:
    start = date.today() + timedelta(days=20)
    return {"starts_on": start.isoformat(), "ends_on": (start + timedelta(days=1)).isoformat()}


@pytest.fixture
def fair(make_fair):
    return make_fair(**_soon())


@pytest.fixture
def past_fair(make_fair):
    return make_fair()  # June 2026: over


@pytest.fixture
def staff(make_user, organizer, db):
    """An organizer who can sign in, organizing ``fair``."""

    def make(fair):
        user = make_user(role="organizer")
        service.add_organizer(db, organizer, fair.id, user.email)
        return user

    return make


@pytest.fixture
def signed_in(app):
    def open_for(user):
        client = app.test_client()
        response = client.post(
            "/account/login", data={"email": user.email, "password": "password123"}
        )
        assert response.status_code == 302
        return client

    return open_for


def _token(registration) -> str:
    return checkin.make_token(SECRET, registration)


def _text(html: bytes) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode())))


# --- the signed link, in the service ------------------------------------------------------


def test_valid_until_is_the_day_after_the_last_day_in_the_fairs_zone(fair):
    # Last day + 1 day ends at midnight Shanghai time, 16:00 UTC the day before.
    end = fair.ends_on + timedelta(days=2)
    assert checkin.valid_until(fair) == datetime(end.year, end.month, end.day, tzinfo=UTC) - (
        timedelta(hours=8)
    )


def test_check_in_by_token_records_when_and_who(db, fair, make_participant, organizer):
    org, _user, registration = make_participant(fair)
    now = datetime(2026, 12, 1, 9, 12, tzinfo=UTC)
    done = checkin.check_in_by_token(db, organizer, fair.id, _token(registration), SECRET, now)
    db.refresh(registration)
    assert (done.already, done.organization.id) == (False, org.id)
    assert (registration.checked_in_at.replace(tzinfo=UTC), registration.checked_in_by_id) == (
        now,
        organizer.id,
    )


def test_check_in_twice_is_idempotent(db, fair, make_participant, organizer, admin):
    _org, _user, registration = make_participant(fair)
    first = datetime(2026, 12, 1, 9, 12, tzinfo=UTC)
    checkin.check_in_by_token(db, organizer, fair.id, _token(registration), SECRET, first)
    again = checkin.check_in_by_token(
        db, admin, fair.id, _token(registration), SECRET, first + timedelta(hours=1)
    )
    db.refresh(registration)
    assert again.already is True
    assert (registration.checked_in_at.replace(tzinfo=UTC), registration.checked_in_by_id) == (
        first,
        organizer.id,
    )


@pytest.mark.parametrize(
    "forge",
    [
        lambda reg: "not-a-token",
        lambda reg: _token(reg)[:-2] + ("AA" if not _token(reg).endswith("AA") else "BB"),
        lambda reg: URLSafeTimedSerializer("another-secret", salt="check-in").dumps(
            [reg.exhibition_id, reg.id]
        ),
        lambda reg: URLSafeTimedSerializer(SECRET, salt="password-reset").dumps(
            [reg.exhibition_id, reg.id]
        ),
        lambda reg: URLSafeTimedSerializer(SECRET, salt="check-in").dumps({"id": reg.id}),
        lambda reg: "x" * 500,
    ],
)
def test_forged_link_is_refused_and_writes_nothing(db, fair, make_participant, organizer, forge):
    _org, _user, registration = make_participant(fair)
    with pytest.raises(checkin.InvalidCheckIn) as error:
        checkin.check_in_by_token(db, organizer, fair.id, forge(registration), SECRET)
    assert str(error.value.message) == "This check-in link is not valid."
    db.refresh(registration)
    assert registration.checked_in_at is None


def test_another_fairs_link_is_not_valid_here(db, fair, make_fair, make_participant, organizer):
    other = make_fair(**_soon())
    _org, _user, registration = make_participant(other)
    with pytest.raises(checkin.InvalidCheckIn):
        checkin.check_in_by_token(db, organizer, fair.id, _token(registration), SECRET)


def test_link_after_the_day_after_the_fair_has_expired(db, fair, make_participant, organizer):
    _org, _user, registration = make_participant(fair)
    late = checkin.valid_until(fair)
    with pytest.raises(checkin.ExpiredCheckIn) as error:
        checkin.check_in_by_token(db, organizer, fair.id, _token(registration), SECRET, late)
    assert str(error.value.message) == "This check-in link has expired."
    checkin.check_in_by_token(
        db, organizer, fair.id, _token(registration), SECRET, late - timedelta(seconds=1)
    )


def test_participant_cannot_check_anyone_in(db, fair, make_participant):
    _org, user, registration = make_participant(fair)
    with pytest.raises(PermissionDenied):
        checkin.check_in_by_token(db, user, fair.id, _token(registration), SECRET)
    db.refresh(registration)
    assert registration.checked_in_at is None


def test_withdrawn_participant_is_not_checked_in(db, fair, make_participant, organizer):
    _org, _user, registration = make_participant(fair)
    token = _token(registration)
    registration.status = "withdrawn"
    db.add(registration)
    db.commit()
    with pytest.raises(Conflict):
        checkin.check_in_by_token(db, organizer, fair.id, token, SECRET)


def test_desk_counts_searches_and_undoes(db, fair, make_participant, organizer):
    a, _u, reg_a = make_participant(fair, name="Haixin Software")
    b, _v, _reg_b = make_participant(fair, name="Nordlicht Versicherung", kind="buyer")
    checkin.check_in(db, organizer, fair.id, reg_a.id)
    desk = checkin.check_in_desk(db, organizer, fair.id)
    assert (desk.registered, desk.checked_in) == (2, 1)
    assert [o.id for _r, o in desk.items] == [a.id, b.id]
    found = checkin.check_in_desk(db, organizer, fair.id, "nordLICHT")
    assert [o.id for _r, o in found.items] == [b.id]
    checkin.undo_check_in(db, organizer, fair.id, reg_a.id)
    assert checkin.check_in_desk(db, organizer, fair.id).checked_in == 0


def test_badge_is_for_the_team_and_organizers(db, fair, make_participant, make_member, organizer):
    org, user, registration = make_participant(fair)
    _stranger_org, stranger = make_member()
    mine = checkin.badge(db, user, fair.id, org.id, SECRET)
    assert (mine.registration.id, mine.organization.id) == (registration.id, org.id)
    assert checkin.badge(db, organizer, fair.id, org.id, SECRET).token
    with pytest.raises(PermissionDenied):
        checkin.badge(db, stranger, fair.id, org.id, SECRET)


# --- the pages -----------------------------------------------------------------------------


def test_organizer_opening_the_link_checks_in(db, fair, make_participant, staff, signed_in):
    _org, _user, registration = make_participant(fair, name="Haixin Software")
    phone = signed_in(staff(fair))
    url = f"/exhibitions/{fair.id}/check-in/{_token(registration)}"
    first = phone.get(url)
    assert first.status_code == 200
    assert "Checked in" in _text(first.data) and "Haixin Software" in _text(first.data)
    again = phone.get(url)
    db.refresh(registration)
    assert registration.checked_in_at is not None
    local = registration.checked_in_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Shanghai"))
    expected = " ".join(format_time(local, "short", locale="en").split())  # narrow space
    assert f"Already checked in at {expected}" in _text(again.data)


def test_anonymous_link_goes_to_sign_in(client, fair, make_participant):
    _org, _user, registration = make_participant(fair)
    url = f"/exhibitions/{fair.id}/check-in/{_token(registration)}"
    response = client.get(url)
    assert response.status_code == 302
    assert "/account/login?next=" in response.headers["Location"]


def test_participant_opening_the_link_gets_403(db, fair, make_user, signed_in):
    org_user = make_user()
    org = add_org(db)
    org_user.organization_id = org.id
    db.add(org_user)
    db.commit()
    registration = service.register(db, org_user, fair.id, org.id, "exhibitor")
    response = signed_in(org_user).get(f"/exhibitions/{fair.id}/check-in/{_token(registration)}")
    assert response.status_code == 403
    assert "Only this fair's organizers can check people in." in _text(response.data)
    db.refresh(registration)
    assert registration.checked_in_at is None


def test_forged_and_expired_links_are_403_pages(
    db, fair, past_fair, make_participant, staff, signed_in
):
    _org, _user, registration = make_participant(fair)
    phone = signed_in(staff(fair))
    forged = phone.get(f"/exhibitions/{fair.id}/check-in/{_token(registration)}x")
    assert forged.status_code == 403
    assert "This check-in link is not valid." in _text(forged.data)

    _org2, _user2, old = make_participant(past_fair)
    late = signed_in(staff(past_fair)).get(f"/exhibitions/{past_fair.id}/check-in/{_token(old)}")
    assert late.status_code == 403
    assert "This check-in link has expired." in _text(late.data)


def test_badge_page_holds_a_qr_svg_of_a_valid_link(db, fair, make_user, signed_in):
    org = add_org(db, name="Haixin Software")
    user = make_user(organization_id=org.id)
    registration = service.register(db, user, fair.id, org.id, "exhibitor")
    response = signed_in(user).get(f"/exhibitions/{fair.id}/badge")
    html = response.data.decode()
    assert response.status_code == 200
    assert '<svg aria-hidden="true"' in html and 'style="' not in html.split("<main")[1]
    link = re.search(r'class="check-in-link"[^>]*>([^<]+)<', html).group(1)
    token = link.rsplit("/", 1)[1]
    assert link.startswith(f"http://127.0.0.1:5000/exhibitions/{fair.id}/check-in/")
    assert checkin._registration_in_token(SECRET, fair.id, token) == registration.id


def test_badge_of_another_organization_is_403_and_unregistered_404(
    db, fair, make_participant, make_user, signed_in
):
    other, _u, _r = make_participant(fair)
    stranger = make_user()
    org = add_org(db)
    stranger.organization_id = org.id
    db.add(stranger)
    db.commit()
    client = signed_in(stranger)
    assert client.get(f"/exhibitions/{fair.id}/badge?organization_id={other.id}").status_code == (
        403
    )
    assert client.get(f"/exhibitions/{fair.id}/badge").status_code == 404


def test_desk_page_checks_in_by_hand_and_undoes(db, fair, make_participant, staff, signed_in):
    _org, _user, registration = make_participant(fair, name="Haixin Software")
    desk = signed_in(staff(fair))
    page = desk.get(f"/exhibitions/{fair.id}/check-in")
    assert page.status_code == 200
    assert "0 of 1 participants checked in" in _text(page.data)
    done = desk.post(f"/exhibitions/{fair.id}/check-ins/{registration.id}", follow_redirects=True)
    assert "Haixin Software is checked in." in _text(done.data)
    assert "1 of 1 participants checked in" in _text(done.data)
    undone = desk.post(
        f"/exhibitions/{fair.id}/check-ins/{registration.id}/undo", follow_redirects=True
    )
    assert "0 of 1 participants checked in" in _text(undone.data)
    assert db.get(Registration, registration.id).checked_in_at is None


def test_desk_page_is_for_organizers_only(fair, make_participant, make_user, signed_in):
    _org, _user, registration = make_participant(fair)
    someone = signed_in(make_user())
    assert someone.get(f"/exhibitions/{fair.id}/check-in").status_code == 403
    assert someone.post(f"/exhibitions/{fair.id}/check-ins/{registration.id}").status_code == 403
