"""Registrations: capacity, waiting list, approval, withdrawal, permissions, races."""

from __future__ import annotations

import pytest

from matchmaker.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import Registration

from .conftest import add_org, add_user, count
from .races import race


def _statuses(db, fair) -> list[tuple[str, str]]:
    rows = db.exec(
        Registration.__table__.select()
        .where(Registration.exhibition_id == fair.id)
        .order_by(Registration.id)
    ).all()
    return [(row.role, row.status) for row in rows]


def test_register_exhibitor_is_registered(db, make_fair, make_participant):
    fair = make_fair()
    _org, _user, registration = make_participant(fair)
    assert (registration.role, registration.status) == ("exhibitor", "registered")


def test_register_again_conflicts(db, make_fair, make_participant):
    fair = make_fair()
    org, user, _ = make_participant(fair)
    with pytest.raises(Conflict):
        service.register(db, user, fair.id, org.id, "visitor")
    assert count(db, Registration) == 1


def test_register_for_another_organization_is_forbidden(db, make_fair, make_member):
    fair = make_fair()
    other, _ = make_member()
    _mine, me = make_member()
    with pytest.raises(PermissionDenied):
        service.register(db, me, fair.id, other.id, "visitor")
    assert count(db, Registration) == 0


def test_admin_registers_any_organization(db, make_fair, admin):
    fair = make_fair()
    org = add_org(db)
    assert service.register(db, admin, fair.id, org.id, "visitor").status == "registered"


def test_register_unknown_role_is_refused(db, make_fair, make_member):
    fair = make_fair()
    org, user = make_member()
    with pytest.raises(ValidationFailed) as error:
        service.register(db, user, fair.id, org.id, "speaker")
    assert str(error.value.fields["role"]) == "Choose exhibitor, buyer or visitor."


def test_register_at_a_draft_is_not_found(db, make_fair, make_member):
    fair = make_fair(status="draft")
    org, user = make_member()
    with pytest.raises(NotFound):
        service.register(db, user, fair.id, org.id, "visitor")


def test_register_at_a_cancelled_fair_conflicts(db, organizer, make_fair, make_member):
    fair = make_fair()
    service.set_status(db, organizer, fair.id, "cancelled")
    org, user = make_member()
    with pytest.raises(Conflict):
        service.register(db, user, fair.id, org.id, "visitor")


def test_full_role_puts_newcomers_on_the_waiting_list(db, make_fair, make_participant):
    fair = make_fair(capacity_exhibitor=2)
    made = [make_participant(fair)[2].status for _ in range(3)]
    assert made == ["registered", "registered", "waitlisted"]
    # Other roles have their own capacity.
    assert make_participant(fair, role="visitor")[2].status == "registered"


def test_withdraw_promotes_the_earliest_waitlisted(db, make_fair, make_participant):
    fair = make_fair(capacity_exhibitor=1)
    _a, user_a, first = make_participant(fair)
    _b, _ub, second = make_participant(fair)
    _c, _uc, third = make_participant(fair)
    service.decide_registration(db, user_a, first.id, "withdrawn")
    assert _statuses(db, fair) == [
        ("exhibitor", "withdrawn"),
        ("exhibitor", "registered"),
        ("exhibitor", "waitlisted"),
    ]
    assert (db.get(Registration, second.id).status, db.get(Registration, third.id).status) == (
        "registered",
        "waitlisted",
    )


def test_withdraw_by_another_member_is_forbidden(db, make_fair, make_participant, make_member):
    fair = make_fair()
    _org, _user, registration = make_participant(fair)
    _other, stranger = make_member()
    with pytest.raises(PermissionDenied):
        service.decide_registration(db, stranger, registration.id, "withdrawn")


def test_buyers_need_approval_when_the_fair_says_so(db, organizer, make_fair, make_participant):
    fair = make_fair(buyer_approval=True)
    _org, _user, registration = make_participant(fair, role="buyer", kind="buyer", budget="b1")
    assert registration.status == "pending"
    rows = service.list_registrations(db, organizer, fair.id, status="pending")
    assert [(p.organization.budget, p.organization.verified) for p in rows] == [("b1", False)]
    approved = service.decide_registration(db, organizer, registration.id, "approved")
    assert (approved.status, approved.decided_by_id) == ("registered", organizer.id)


def test_approval_by_a_member_is_forbidden(db, make_fair, make_participant):
    fair = make_fair(buyer_approval=True)
    _org, user, registration = make_participant(fair, role="buyer", kind="buyer")
    with pytest.raises(PermissionDenied):
        service.decide_registration(db, user, registration.id, "approved")


def test_decline_keeps_the_reason_and_promotes(db, organizer, make_fair, make_participant):
    fair = make_fair(buyer_approval=True, capacity_buyer=1)
    _a, _ua, first = make_participant(fair, role="buyer", kind="buyer")
    _b, _ub, second = make_participant(fair, role="buyer", kind="buyer")
    assert (first.status, second.status) == ("pending", "waitlisted")
    declined = service.decide_registration(db, organizer, first.id, "declined", "Not a buyer")
    assert (declined.status, declined.reason) == ("declined", "Not a buyer")
    # The promoted buyer still needs the organizer's approval.
    assert db.get(Registration, second.id).status == "pending"


def test_raising_capacity_promotes_waitlisted(db, organizer, make_fair, make_participant):
    fair = make_fair(capacity_visitor=0)
    _org, _user, registration = make_participant(fair, role="visitor")
    assert registration.status == "waitlisted"
    service.update_exhibition(db, organizer, fair.id, {"capacity_visitor": 1})
    assert db.get(Registration, registration.id).status == "registered"


def test_register_after_withdrawing_reopens_the_row(db, make_fair, make_participant):
    fair = make_fair()
    org, user, registration = make_participant(fair)
    service.decide_registration(db, user, registration.id, "withdrawn")
    again = service.register(db, user, fair.id, org.id, "visitor")
    assert (again.id, again.role, again.status) == (registration.id, "visitor", "registered")


def test_list_registrations_is_for_organizers(db, make_fair, make_participant):
    fair = make_fair()
    _org, user, _ = make_participant(fair)
    with pytest.raises(PermissionDenied):
        service.list_registrations(db, user, fair.id)


def test_participants_lists_registered_visible_organizations(db, make_fair, make_participant):
    fair = make_fair(capacity_exhibitor=1)
    shown, _u, _r = make_participant(fair, name="Alpha")
    make_participant(fair, name="Waiting")
    make_participant(fair, role="visitor", name="Hidden", visibility="hidden")
    assert [p.organization.id for p in service.participants(db, None, fair.id)] == [shown.id]


def test_concurrent_registrations_fill_the_last_place_once(app, db, make_fair):
    fair = make_fair(capacity_exhibitor=3)
    for _ in range(2):
        org = add_org(db)
        service.register(db, add_user(db, organization_id=org.id), fair.id, org.id, "exhibitor")
    members = []
    for _ in range(12):
        org = add_org(db)
        members.append((org.id, add_user(db, organization_id=org.id)))
    engine = app.extensions["matchmaker.engine"]

    def attempt(session, index):
        org_id, user = members[index]
        return service.register(session, user, fair.id, org_id, "exhibitor").status

    results, errors = race(engine, 12, attempt)
    assert errors == []
    assert sorted(results) == ["registered"] + ["waitlisted"] * 11
    assert _statuses(db, fair).count(("exhibitor", "registered")) == 3
