"""Booths: layout validation, booking conflicts, constraints and races."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from matchmaker.errors import Conflict, PermissionDenied, ValidationFailed
from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import Booth

from .conftest import add_org, add_user, count
from .races import race


@pytest.fixture
def fair(make_fair):
    return make_fair()


@pytest.fixture
def booth(db, organizer, fair):
    return service.create_booth(
        db,
        organizer,
        fair.id,
        {"code": "A1", "hall": "H1", "size": "3×3 m", "row": 0, "col": 0, "width": 2},
    )


def test_create_booth_stores_its_place(db, booth):
    assert (
        booth.code,
        booth.hall,
        booth.size,
        booth.row,
        booth.col,
        booth.width,
        booth.height,
    ) == ("A1", "H1", "3×3 m", 0, 0, 2, 1)


def test_create_overlapping_booth_is_refused(db, organizer, fair, booth):
    with pytest.raises(ValidationFailed) as error:
        service.create_booth(
            db, organizer, fair.id, {"code": "A2", "hall": "H1", "row": 0, "col": 1}
        )
    assert {k: str(v) for k, v in error.value.fields.items()} == {
        "row": "Overlaps booth A1 in this hall."
    }
    assert count(db, Booth) == 1


def test_same_cells_in_another_hall_are_fine(db, organizer, fair, booth):
    other = service.create_booth(
        db, organizer, fair.id, {"code": "B1", "hall": "H2", "row": 0, "col": 0}
    )
    assert other.hall == "H2"


def test_adjacent_booth_is_fine(db, organizer, fair, booth):
    assert (
        service.create_booth(
            db, organizer, fair.id, {"code": "A3", "hall": "H1", "row": 0, "col": 2}
        ).col
        == 2
    )


def test_row_without_column_is_refused(db, organizer, fair):
    with pytest.raises(ValidationFailed) as error:
        service.create_booth(db, organizer, fair.id, {"code": "X", "row": 2})
    assert sorted(error.value.fields) == ["col"]


def test_duplicate_booth_code_conflicts(db, organizer, fair, booth):
    with pytest.raises(Conflict):
        service.create_booth(db, organizer, fair.id, {"code": "A1", "hall": "H9"})


def test_create_booth_by_a_member_is_forbidden(db, fair, make_member):
    _org, member = make_member()
    with pytest.raises(PermissionDenied):
        service.create_booth(db, member, fair.id, {"code": "Z"})


def test_book_booth_by_registered_exhibitor(db, fair, booth, make_participant):
    org, user, _ = make_participant(fair)
    assert service.book_booth(db, user, booth.id, org.id).organization_id == org.id


def test_book_taken_booth_conflicts_saying_so(db, fair, booth, make_participant):
    org, user, _ = make_participant(fair)
    other, other_user, _ = make_participant(fair)
    service.book_booth(db, user, booth.id, org.id)
    with pytest.raises(Conflict) as error:
        service.book_booth(db, other_user, booth.id, other.id)
    assert str(error.value.message) == "Booth A1 is taken."
    assert db.get(Booth, booth.id).organization_id == org.id


def test_second_booth_for_one_organization_conflicts(db, organizer, fair, booth, make_participant):
    org, user, _ = make_participant(fair)
    second = service.create_booth(db, organizer, fair.id, {"code": "A9"})
    service.book_booth(db, user, booth.id, org.id)
    with pytest.raises(Conflict) as error:
        service.book_booth(db, user, second.id, org.id)
    assert str(error.value.message) == "Your organization holds booth A1 already."


def test_database_allows_one_booth_per_organization(db, organizer, fair, booth):
    org = add_org(db)
    second = service.create_booth(db, organizer, fair.id, {"code": "A9"})
    booth.organization_id = second.organization_id = org.id
    db.add_all([booth, second])
    with pytest.raises(IntegrityError):
        db.commit()
    db.rollback()


def test_book_booth_by_a_visitor_is_refused(db, fair, booth, make_participant):
    org, user, _ = make_participant(fair, role="visitor")
    with pytest.raises(ValidationFailed):
        service.book_booth(db, user, booth.id, org.id)


def test_book_booth_unregistered_is_refused(db, fair, booth, make_member):
    org, user = make_member()
    with pytest.raises(ValidationFailed):
        service.book_booth(db, user, booth.id, org.id)


def test_book_booth_for_another_organization_is_forbidden(db, fair, booth, make_participant):
    org, _user, _ = make_participant(fair)
    _other, stranger, _ = make_participant(fair)
    with pytest.raises(PermissionDenied):
        service.book_booth(db, stranger, booth.id, org.id)


def test_release_booth_frees_it(db, fair, booth, make_participant):
    org, user, _ = make_participant(fair)
    service.book_booth(db, user, booth.id, org.id)
    assert service.release_booth(db, user, booth.id).organization_id is None


def test_withdrawing_releases_the_booth(db, fair, booth, make_participant):
    org, user, registration = make_participant(fair)
    service.book_booth(db, user, booth.id, org.id)
    service.decide_registration(db, user, registration.id, "withdrawn")
    db.refresh(booth)
    assert booth.organization_id is None


def test_concurrent_bookings_of_one_booth_have_one_winner(app, db, fair, booth):
    members = []
    for _ in range(12):
        org = add_org(db)
        user = add_user(db, organization_id=org.id)
        service.register(db, user, fair.id, org.id, "exhibitor")
        members.append((org.id, user))

    def attempt(session, index):
        org_id, user = members[index]
        return service.book_booth(session, user, booth.id, org_id).organization_id

    results, errors = race(app.extensions["matchmaker.engine"], 12, attempt)
    assert len(results) == 1
    assert [type(e) for e in errors] == [Conflict] * 11
    db.refresh(booth)
    assert booth.organization_id == results[0]
