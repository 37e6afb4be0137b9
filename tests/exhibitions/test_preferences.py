"""Meeting preferences and caps: who may say what about whom, and what is refused."""

from __future__ import annotations

import pytest
from sqlmodel import select

from matchmaker.errors import NotAuthenticated, PermissionDenied, ValidationFailed
from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import MeetingPreference, Registration
from matchmaker.scheduler import preferences as prefs

from .conftest import add_user, count


@pytest.fixture
def fair(make_fair):
    return make_fair()


def test_set_change_and_clear_a_preference(db, fair, make_participant):
    me, user, _ = make_participant(fair)
    other, _u, _ = make_participant(fair, name="Other")

    first = prefs.set_preference(db, user, fair.id, me.id, other.id, "would_like")
    changed = prefs.set_preference(db, user, fair.id, me.id, other.id, "must")
    listed = prefs.list_preferences(db, user, fair.id, me.id)

    assert changed.id == first.id
    assert [(p.target.name, p.preference.level) for p in listed] == [("Other", "must")]
    assert prefs.set_preference(db, user, fair.id, me.id, other.id, None) is None
    assert count(db, MeetingPreference) == 0


def test_preference_for_an_organization_not_at_the_fair_is_422(
    db, fair, make_participant, make_member
):
    me, user, _ = make_participant(fair)
    stranger, _u = make_member()

    with pytest.raises(ValidationFailed) as raised:
        prefs.set_preference(db, user, fair.id, me.id, stranger.id, "must")

    assert {k: str(v) for k, v in raised.value.fields.items()} == {
        "target_id": "This organization is not taking part in this fair."
    }


def test_preference_for_a_withdrawn_participant_is_422(db, fair, make_participant):
    me, user, _ = make_participant(fair)
    gone, gone_user, registration = make_participant(fair)
    service.decide_registration(db, gone_user, registration.id, "withdrawn")

    with pytest.raises(ValidationFailed):
        prefs.set_preference(db, user, fair.id, me.id, gone.id, "must")


def test_preference_of_an_unregistered_organization_is_422(db, fair, make_participant, make_member):
    other, _u, _ = make_participant(fair)
    outsider, user = make_member()

    with pytest.raises(ValidationFailed) as raised:
        prefs.set_preference(db, user, fair.id, outsider.id, other.id, "must")

    assert list(raised.value.fields) == ["organization_id"]


def test_preference_about_oneself_or_with_a_bad_level_is_422(db, fair, make_participant):
    me, user, _ = make_participant(fair)
    other, _u, _ = make_participant(fair)

    with pytest.raises(ValidationFailed):
        prefs.set_preference(db, user, fair.id, me.id, me.id, "must")
    with pytest.raises(ValidationFailed):
        prefs.set_preference(db, user, fair.id, me.id, other.id, "maybe")
    assert count(db, MeetingPreference) == 0


def test_preference_for_another_organization_is_403(db, fair, make_participant):
    me, _user, _ = make_participant(fair)
    _other, other_user, _ = make_participant(fair)
    third, _u, _ = make_participant(fair)

    with pytest.raises(PermissionDenied):
        prefs.set_preference(db, other_user, fair.id, me.id, third.id, "must")
    with pytest.raises(PermissionDenied):
        prefs.list_preferences(db, other_user, fair.id, me.id)
    with pytest.raises(NotAuthenticated):
        prefs.set_preference(db, None, fair.id, me.id, third.id, "must")


def test_a_batch_with_one_bad_target_writes_nothing(db, fair, make_participant, make_member):
    me, user, _ = make_participant(fair)
    other, _u, _ = make_participant(fair)
    stranger, _s = make_member()

    with pytest.raises(ValidationFailed):
        prefs.set_preferences(db, user, fair.id, me.id, {other.id: "must", stranger.id: "must"})

    assert count(db, MeetingPreference) == 0
    assert prefs.set_preferences(db, user, fair.id, me.id, {other.id: "no_thanks"}) == 1
    assert prefs.preference_levels(db, fair.id, me.id) == {other.id: "no_thanks"}


def test_meeting_cap_between_one_and_the_slots(db, fair, make_participant):
    me, user, _ = make_participant(fair)

    for bad in (0, 13, -1, True):
        with pytest.raises(ValidationFailed):
            prefs.set_meeting_cap(db, user, fair.id, me.id, bad)
    prefs.set_meeting_cap(db, user, fair.id, me.id, 12)

    row = db.exec(select(Registration).where(Registration.organization_id == me.id)).one()
    assert row.meeting_cap == 12
    prefs.set_meeting_cap(db, user, fair.id, me.id, None)
    assert prefs.meeting_cap(db, fair.id, me.id) is None


def test_organizers_see_counts_and_participants_do_not(db, fair, organizer, make_participant):
    me, user, _ = make_participant(fair)
    other, other_user, _ = make_participant(fair)
    prefs.set_preference(db, user, fair.id, me.id, other.id, "must")
    prefs.set_preference(db, other_user, fair.id, other.id, me.id, "no_thanks")

    counts = prefs.preference_counts(db, organizer, fair.id)

    assert counts == {"must": 1, "would_like": 0, "no_thanks": 1, "participants": 2}
    assert [p.preference.level for p in prefs.list_preferences(db, organizer, fair.id, me.id)] == [
        "must"
    ]
    with pytest.raises(PermissionDenied):
        prefs.preference_counts(db, user, fair.id)
    with pytest.raises(PermissionDenied):
        prefs.preference_counts(db, add_user(db), fair.id)
