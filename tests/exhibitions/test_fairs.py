"""Fairs: validation, permissions, texts, tables, organizers and status."""

from __future__ import annotations

import pytest

from matchmaker.errors import (
    Conflict,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import Exhibition, MeetingTable, Slot

from .conftest import FAIR, add_user, count


def _fields(error) -> dict[str, str]:
    return {key: str(value) for key, value in error.value.fields.items()}


def test_create_exhibition_makes_tables_texts_and_organizer(db, organizer, make_fair):
    fair = make_fair()
    assert fair.status == "published"
    assert fair.name_in("zh_Hans") == "服务外包交易会"
    assert fair.name_in("ar") == "Service Outsourcing Fair"
    assert fair.description_in("fr") == "B2B meetings for the outsourcing trade."
    assert [t.name for t in service.exhibition_tables(db, fair.id)] == ["T01", "T02", "T03"]
    assert [u.id for u in service.organizers(db, organizer, fair.id)] == [organizer.id]


def test_name_in_falls_back_to_any_locale(db, make_fair):
    fair = make_fair(name={"ru": "Ярмарка"})
    assert fair.name_in("fr") == "Ярмарка"


def test_create_exhibition_end_before_start_is_refused(db, make_fair):
    with pytest.raises(ValidationFailed) as error:
        make_fair(starts_on="2026-06-11", ends_on="2026-06-10")
    assert _fields(error) == {"ends_on": "The exhibition must end on or after its first day."}
    assert count(db, Exhibition) == 0


def test_create_exhibition_day_ending_before_it_starts_is_refused(db, make_fair):
    with pytest.raises(ValidationFailed) as error:
        make_fair(day_start="17:00", day_end="09:00")
    assert _fields(error) == {"day_end": "The day must end after it starts."}


def test_create_exhibition_unknown_time_zone_is_refused(db, make_fair):
    with pytest.raises(ValidationFailed) as error:
        make_fair(timezone="Mars/Olympus")
    assert _fields(error) == {
        "timezone": "Unknown time zone: use an IANA name such as Asia/Shanghai."
    }


@pytest.mark.parametrize("minutes", [0, -15])
def test_create_exhibition_zero_or_negative_slot_length_is_refused(db, make_fair, minutes):
    with pytest.raises(ValidationFailed) as error:
        make_fair(slot_minutes=minutes)
    assert _fields(error) == {"slot_minutes": "Must be between 1 and 480."}


@pytest.mark.parametrize("tables", [0, -2])
def test_create_exhibition_zero_or_negative_tables_is_refused(db, make_fair, tables):
    with pytest.raises(ValidationFailed) as error:
        make_fair(tables=tables)
    assert _fields(error) == {"tables": "Must be between 1 and 500."}
    assert (count(db, Exhibition), count(db, MeetingTable), count(db, Slot)) == (0, 0, 0)


def test_create_exhibition_lists_every_bad_field(db, make_fair):
    with pytest.raises(ValidationFailed) as error:
        make_fair(name="", starts_on="tomorrow", day_start="9am", colour="red")
    assert sorted(error.value.fields) == ["colour", "day_start", "name", "starts_on"]


def test_create_exhibition_slot_longer_than_the_day_is_refused(db, make_fair):
    with pytest.raises(ValidationFailed) as error:
        make_fair(day_start="09:00", day_end="10:00", slot_minutes=90)
    assert _fields(error) == {"slot_minutes": "A meeting slot cannot be longer than the day."}


def test_create_exhibition_by_a_member_is_forbidden(db, make_member):
    _org, member = make_member()
    with pytest.raises(PermissionDenied):
        service.create_exhibition(db, member, dict(FAIR))


def test_create_exhibition_anonymous_must_sign_in(db):
    with pytest.raises(NotAuthenticated):
        service.create_exhibition(db, None, dict(FAIR))


def test_create_exhibition_duplicate_key_conflicts(db, make_fair):
    make_fair(key="sof-2026")
    with pytest.raises(Conflict):
        make_fair(key="sof-2026")
    assert count(db, Exhibition) == 1


def test_update_exhibition_by_another_organizer_is_forbidden(db, make_fair):
    fair = make_fair()
    stranger = add_user(db, role="organizer")
    with pytest.raises(PermissionDenied):
        service.update_exhibition(db, stranger, fair.id, {"city": "Xi'an"})


def test_update_exhibition_by_admin_is_allowed(db, make_fair, admin):
    fair = make_fair()
    updated = service.update_exhibition(db, admin, fair.id, {"city": "Xi'an"})
    assert (updated.city, updated.sequence) == ("Xi'an", 1)


def test_added_organizer_may_edit(db, organizer, make_fair):
    fair = make_fair()
    colleague = add_user(db, role="member")
    service.add_organizer(db, organizer, fair.id, colleague.email.upper())
    updated = service.update_exhibition(db, colleague, fair.id, {"venue": "Hall A"})
    assert updated.venue == "Hall A"
    with pytest.raises(Conflict):
        service.add_organizer(db, organizer, fair.id, colleague.email)


def test_add_organizer_unknown_email_is_refused(db, organizer, make_fair):
    fair = make_fair()
    with pytest.raises(ValidationFailed) as error:
        service.add_organizer(db, organizer, fair.id, "nobody@example.com")
    assert _fields(error) == {"email": "No account has this e-mail address."}


def test_remove_last_organizer_conflicts(db, organizer, make_fair):
    fair = make_fair()
    with pytest.raises(Conflict):
        service.remove_organizer(db, organizer, fair.id, organizer.id)


def test_draft_is_hidden_from_others(db, organizer, make_fair, make_member):
    fair = make_fair(status="draft")
    _org, member = make_member()
    with pytest.raises(NotFound):
        service.get_exhibition(db, fair.id, member)
    assert service.list_exhibitions(db, member) == []
    assert [e.id for e in service.list_exhibitions(db, organizer)] == [fair.id]


def test_published_fair_cannot_go_back_to_draft(db, organizer, make_fair):
    fair = make_fair()
    with pytest.raises(ValidationFailed) as error:
        service.set_status(db, organizer, fair.id, "draft")
    assert _fields(error) == {"status": "A published exhibition cannot become draft."}
    assert service.set_status(db, organizer, fair.id, "cancelled").status == "cancelled"


def test_growing_tables_adds_them(db, organizer, make_fair):
    fair = make_fair()
    service.update_exhibition(db, organizer, fair.id, {"tables": 5})
    assert [t.name for t in service.exhibition_tables(db, fair.id)] == [
        "T01",
        "T02",
        "T03",
        "T04",
        "T05",
    ]


def test_shrinking_tables_refuses_to_drop_a_table_with_a_meeting(
    db, organizer, make_fair, make_participant, slots
):
    fair = make_fair(tables=2)
    pairs = [(make_participant(fair), make_participant(fair)) for _ in range(2)]
    slot = slots(fair)[0]
    for (a, user_a, _), (b, user_b, _) in pairs:
        meeting = service.request_meeting(db, user_a, fair.id, a.id, b.id, slot_id=slot.id)
        service.accept_meeting(db, user_b, meeting.id)
    with pytest.raises(Conflict):
        service.update_exhibition(db, organizer, fair.id, {"tables": 1})
    assert count(db, MeetingTable) == 2


def test_shrinking_tables_removes_free_ones(db, organizer, make_fair):
    fair = make_fair(tables=3)
    service.update_exhibition(db, organizer, fair.id, {"tables": 1})
    assert [t.name for t in service.exhibition_tables(db, fair.id)] == ["T01"]
