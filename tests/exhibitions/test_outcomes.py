"""Held / no-show and outcomes: who may, when, what amounts, one row per side; the page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from sqlmodel import select

from matchmaker.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from matchmaker.exhibitions import outcomes, service
from matchmaker.exhibitions.models import Meeting, MeetingOutcome

from .conftest import add_org, count


@pytest.fixture
def fair(make_fair):
    return make_fair()  # June 2026: its slots have started


@pytest.fixture
def pair(fair, make_participant):
    a, user_a, _ = make_participant(fair, kind="buyer", name="Nordlicht")
    b, user_b, _ = make_participant(fair, name="Haixin")
    return a, user_a, b, user_b


@pytest.fixture
def accepted(db, fair, pair, slots):
    a, user_a, b, user_b = pair
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, slots(fair)[0].id)
    return service.accept_meeting(db, user_b, meeting.id)


@pytest.fixture
def held(db, accepted, pair):
    return outcomes.mark_meeting(db, pair[1], accepted.id, "held")


def _fields(error) -> dict[str, str]:
    return {key: str(value) for key, value in error.value.fields.items()}


# --- held / no-show -----------------------------------------------------------------------


def test_either_side_or_an_organizer_marks_the_meeting(db, accepted, pair, organizer):
    _a, user_a, _b, user_b = pair
    assert outcomes.mark_meeting(db, user_b, accepted.id, "no_show").status == "no_show"
    assert outcomes.mark_meeting(db, organizer, accepted.id, "held").status == "held"
    assert outcomes.mark_meeting(db, user_a, accepted.id, "held").status == "held"


def test_someone_else_cannot_mark_the_meeting(db, accepted, make_member):
    _org, stranger = make_member()
    with pytest.raises(PermissionDenied):
        outcomes.mark_meeting(db, stranger, accepted.id, "held")
    assert db.get(Meeting, accepted.id).status == "accepted"


def test_meeting_cannot_be_marked_before_its_slot_starts(db, make_fair, make_participant, slots):
    start = date.today() + timedelta(days=20)
    soon = make_fair(starts_on=start.isoformat(), ends_on=start.isoformat())
    a, user_a, _ = make_participant(soon)
    b, user_b, _ = make_participant(soon)
    slot = slots(soon)[0]
    meeting = service.request_meeting(db, user_a, soon.id, a.id, b.id, slot.id)
    service.accept_meeting(db, user_b, meeting.id)
    with pytest.raises(ValidationFailed) as error:
        outcomes.mark_meeting(db, user_a, meeting.id, "held")
    assert str(error.value.message) == "This meeting has not started yet."
    after = slot.starts_at + timedelta(minutes=1)
    assert outcomes.mark_meeting(db, user_a, meeting.id, "held", now=after).status == "held"


def test_requested_meeting_cannot_be_marked(db, fair, pair, slots):
    a, user_a, b, _ = pair
    meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, slots(fair)[0].id)
    with pytest.raises(Conflict):
        outcomes.mark_meeting(db, user_a, meeting.id, "held")


def test_meeting_with_outcomes_stays_held(db, held, pair):
    a, user_a, _b, _ = pair
    outcomes.record_outcome(db, user_a, held.id, a.id, "follow_up")
    with pytest.raises(Conflict):
        outcomes.mark_meeting(db, user_a, held.id, "no_show")


# --- outcomes -----------------------------------------------------------------------------


def test_record_outcome_stores_the_value_in_cents(db, held, pair):
    a, user_a, _b, _ = pair
    row, created = outcomes.record_outcome(
        db, user_a, held.id, a.id, "contract", "bpo.call_center", Decimal("250000.50"), "eur"
    )
    assert created is True
    assert (row.outcome, row.service, row.value_cents, row.currency) == (
        "contract",
        "bpo.call_center",
        25000050,
        "EUR",
    )
    assert outcomes.amount(row) == Decimal("250000.50")


def test_recording_again_updates_the_sides_row(db, held, pair):
    a, user_a, b, user_b = pair
    outcomes.record_outcome(db, user_a, held.id, a.id, "follow_up")
    row, created = outcomes.record_outcome(db, user_a, held.id, a.id, "mou", None, 1000, "USD")
    outcomes.record_outcome(db, user_b, held.id, b.id, "no_fit")
    assert created is False
    stored = db.exec(
        select(
            MeetingOutcome.organization_id, MeetingOutcome.outcome, MeetingOutcome.value_cents
        ).order_by(MeetingOutcome.id)
    ).all()
    assert stored == [(a.id, "mou", 100000), (b.id, "no_fit", None)]
    assert [r.id for r in outcomes.list_outcomes(db, user_b, held.id)] == [row.id, row.id + 1]


def test_outcome_by_someone_not_in_the_meeting_is_403(db, held, pair, make_member, organizer):
    a, _user_a, _b, _ = pair
    other_org, stranger = make_member()
    with pytest.raises(PermissionDenied):
        outcomes.record_outcome(db, stranger, held.id, a.id, "mou")
    with pytest.raises(PermissionDenied):
        outcomes.record_outcome(db, stranger, held.id, other_org.id, "mou")
    with pytest.raises(PermissionDenied):  # organizers see outcomes, the sides say them
        outcomes.record_outcome(db, organizer, held.id, a.id, "mou")
    assert count(db, MeetingOutcome) == 0


def test_outcome_of_a_meeting_not_held_is_422(db, accepted, pair):
    a, user_a, _b, _ = pair
    with pytest.raises(ValidationFailed) as error:
        outcomes.record_outcome(db, user_a, accepted.id, a.id, "mou")
    assert str(error.value.message) == "Record an outcome after the meeting was held."
    outcomes.mark_meeting(db, user_a, accepted.id, "no_show")
    with pytest.raises(ValidationFailed):
        outcomes.record_outcome(db, user_a, accepted.id, a.id, "mou")
    assert count(db, MeetingOutcome) == 0


def test_outcome_of_an_unknown_meeting_is_404(db, pair):
    a, user_a, _b, _ = pair
    with pytest.raises(NotFound):
        outcomes.record_outcome(db, user_a, 999_999, a.id, "mou")


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        (
            {"outcome": "great"},
            {"outcome": "Choose no fit, follow-up, MoU signed or contract signed."},
        ),
        ({"service": "ito.nothing"}, {"service": "Choose a service category from the list."}),
        ({"value": "-1", "currency": "USD"}, {"value": "The value cannot be negative."}),
        (
            {"value": "1000000000000.01", "currency": "USD"},
            {"value": "The value is too large: at most one trillion."},
        ),
        ({"value": "10.005", "currency": "USD"}, {"value": "Use at most 2 decimals."}),
        (
            {"value": "10.5", "currency": "JPY"},
            {"value": "This currency has no decimals: enter a whole amount."},
        ),
        (
            {"value": "NaN", "currency": "USD"},
            {"value": "Enter an amount such as 25000 or 25000.50."},
        ),
        (
            {"value": "ten", "currency": "USD"},
            {"value": "Enter an amount such as 25000 or 25000.50."},
        ),
        ({"value": "100"}, {"currency": "Choose the currency of the value."}),
        (
            {"currency": "USD"},
            {"value": "Enter the value in this currency, or leave the currency empty."},
        ),
        (
            {"value": "100", "currency": "XYZ"},
            {"currency": "Choose a currency from the list (ISO 4217 code)."},
        ),
        (  # the Deutsche Mark is no longer anyone's currency
            {"value": "100", "currency": "DEM"},
            {"currency": "Choose a currency from the list (ISO 4217 code)."},
        ),
    ],
)
def test_bad_outcome_fields_are_422_and_write_nothing(db, held, pair, fields, errors):
    a, user_a, _b, _ = pair
    values = {"outcome": "contract", "service": None, "value": None, "currency": None, **fields}
    with pytest.raises(ValidationFailed) as error:
        outcomes.record_outcome(db, user_a, held.id, a.id, **values)
    assert _fields(error) == errors
    assert count(db, MeetingOutcome) == 0


def test_a_bad_update_keeps_the_earlier_outcome(db, held, pair):
    a, user_a, _b, _ = pair
    outcomes.record_outcome(db, user_a, held.id, a.id, "mou", None, "500", "GBP")
    with pytest.raises(ValidationFailed):
        outcomes.record_outcome(db, user_a, held.id, a.id, "contract", None, "-5", "GBP")
    db.expire_all()
    row = outcomes.outcome_of(db, held.id, a.id)
    assert (row.outcome, row.value_cents, row.currency) == ("mou", 50000, "GBP")


# --- the meeting page ---------------------------------------------------------------------


@pytest.fixture
def people(app, db, fair, make_user):
    """Two registered organizations whose members can sign in, with an accepted meeting."""

    def client_for(user):
        client = app.test_client()
        response = client.post(
            "/account/login", data={"email": user.email, "password": "password123"}
        )
        assert response.status_code == 302
        return client

    result = {}
    for key, kind in (("a", "buyer"), ("b", "provider")):
        org = add_org(db, kind=kind, name=f"Side {key.upper()}")
        user = make_user(organization_id=org.id)
        service.register(db, user, fair.id, org.id, "buyer" if kind == "buyer" else "exhibitor")
        result[key] = (org, user, client_for(user))
    slot = service.list_slots(db, None, fair.id)[0]
    meeting = service.request_meeting(
        db, result["a"][1], fair.id, result["a"][0].id, result["b"][0].id, slot.id
    )
    service.accept_meeting(db, result["b"][1], meeting.id)
    result["meeting"] = meeting
    return result


def _text(html: bytes) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode())))


def test_meeting_page_offers_held_and_no_show_then_the_outcome_form(db, fair, people):
    meeting = people["meeting"]
    _org_b, _user_b, client_b = people["b"]
    url = f"/exhibitions/{fair.id}/meetings/{meeting.id}"
    page = _text(client_b.get(url).data)
    assert "Mark as held" in page and "No-show" in page
    done = client_b.post(f"{url}/held", data={"next": url}, follow_redirects=True)
    assert "is marked as held." in _text(done.data)
    assert 'name="outcome"' in done.data.decode()
    assert "Save the outcome" in _text(done.data)


def test_outcome_form_saves_and_shows_the_amount_in_the_readers_locale(db, fair, people):
    meeting = people["meeting"]
    org_a, user_a, client_a = people["a"]
    outcomes.mark_meeting(db, user_a, meeting.id, "held")
    url = f"/exhibitions/{fair.id}/meetings/{meeting.id}"
    form = {"outcome": "contract", "service": "ito.software_rd", "value": "1250000.5"}
    saved = client_a.post(f"{url}/outcome", data={**form, "currency": "CNY"}, follow_redirects=True)
    assert "Outcome saved. Thank you." in _text(saved.data)
    assert "CN¥1,250,000.50" in _text(saved.data)
    chinese = client_a.get(f"{url}?lang=zh_Hans")
    assert "¥1,250,000.50" in _text(chinese.data)
    row = outcomes.outcome_of(db, meeting.id, org_a.id)
    assert (row.outcome, row.value_cents, row.currency) == ("contract", 125000050, "CNY")


def test_outcome_form_errors_show_per_field_and_write_nothing(db, fair, people):
    meeting = people["meeting"]
    _org_a, user_a, client_a = people["a"]
    outcomes.mark_meeting(db, user_a, meeting.id, "held")
    url = f"/exhibitions/{fair.id}/meetings/{meeting.id}/outcome"
    response = client_a.post(url, data={"outcome": "mou", "value": "-3", "currency": "ZZZ"})
    html = response.data.decode()
    assert response.status_code == 422
    assert re.search(r'id="currency-error">Choose a currency from the list', html)
    assert 'aria-invalid="true"' in html
    assert count(db, MeetingOutcome) == 0


def test_outcome_form_before_the_meeting_was_held_is_refused(db, fair, people):
    meeting = people["meeting"]
    _org_a, _user_a, client_a = people["a"]
    url = f"/exhibitions/{fair.id}/meetings/{meeting.id}/outcome"
    response = client_a.post(url, data={"outcome": "mou"})
    assert response.status_code == 422
    assert "Record an outcome after the meeting was held." in _text(response.data)
    assert count(db, MeetingOutcome) == 0


def test_outcome_form_by_an_outsider_is_403(db, fair, people, app, make_user):
    meeting = people["meeting"]
    outcomes.mark_meeting(db, people["a"][1], meeting.id, "held")
    outsider_org = add_org(db)
    outsider = make_user(organization_id=outsider_org.id)
    client = app.test_client()
    client.post("/account/login", data={"email": outsider.email, "password": "password123"})
    response = client.post(
        f"/exhibitions/{fair.id}/meetings/{meeting.id}/outcome", data={"outcome": "mou"}
    )
    assert response.status_code == 403
    assert count(db, MeetingOutcome) == 0


def test_organizer_sees_the_buttons_but_no_outcome_form(
    app, db, fair, people, make_user, organizer
):
    meeting = people["meeting"]
    staff = make_user(role="organizer")
    service.add_organizer(db, organizer, fair.id, staff.email)
    client = app.test_client()
    client.post("/account/login", data={"email": staff.email, "password": "password123"})
    url = f"/exhibitions/{fair.id}/meetings/{meeting.id}"
    assert "Mark as held" in _text(client.get(url).data)
    done = client.post(f"{url}/held", data={"next": url}, follow_redirects=True)
    db.expire_all()
    assert db.get(Meeting, meeting.id).status == "held"
    assert "Each side records its own outcome." in _text(done.data)
    assert 'name="outcome"' not in done.data.decode()


def test_no_buttons_before_the_meeting_starts(app, db, make_fair, make_user):
    start = date.today() + timedelta(days=20)
    soon = make_fair(starts_on=start.isoformat(), ends_on=start.isoformat())
    users = []
    for kind in ("buyer", "provider"):
        org = add_org(db, kind=kind)
        user = make_user(organization_id=org.id)
        service.register(db, user, soon.id, org.id, "buyer" if kind == "buyer" else "exhibitor")
        users.append((org, user))
    (a, user_a), (b, user_b) = users
    slot = service.list_slots(db, None, soon.id)[0]
    meeting = service.request_meeting(db, user_a, soon.id, a.id, b.id, slot.id)
    service.accept_meeting(db, user_b, meeting.id)
    client = app.test_client()
    client.post("/account/login", data={"email": user_a.email, "password": "password123"})
    url = f"/exhibitions/{soon.id}/meetings/{meeting.id}"
    page = _text(client.get(url).data)
    assert "Mark as held" not in page
    assert "Once the meeting has started" in page
    refused = client.post(f"{url}/held", data={"next": url}, follow_redirects=True)
    assert "This meeting has not started yet." in _text(refused.data)
    db.expire_all()
    assert db.get(Meeting, meeting.id).status == "accepted"
