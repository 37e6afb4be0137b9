"""People to meet: recommendations among the fair's registered participants only."""

from __future__ import annotations

import pytest

from matchmaker.errors import PermissionDenied, ValidationFailed
from matchmaker.exhibitions import service

from .conftest import add_user


@pytest.fixture
def fair(make_fair):
    return make_fair()


def _register(db, fair, org, role="exhibitor"):
    user = add_user(db, organization_id=org.id)
    service.register(db, user, fair.id, org.id, role)
    return user


def test_people_to_meet_only_lists_registered_participants(app, db, fair, make_org):
    buyer = make_org(name="Buyer", kind="buyer", country="DE", services=["ito.software_rd"])
    here = make_org(name="Here Soft", services=["ito.software_rd"], target_markets=["developed"])
    away = make_org(name="Away Soft", services=["ito.software_rd"], target_markets=["developed"])
    waiting = make_org(name="Waiting Soft", services=["ito.software_rd"])
    buyer_user = _register(db, fair, buyer, "buyer")
    _register(db, fair, here)
    service.update_exhibition(db, add_user(db, role="admin"), fair.id, {"capacity_exhibitor": 1})
    _register(db, fair, waiting)
    with app.app_context():
        found = service.people_to_meet(db, buyer_user, fair.id, buyer.id, limit=10)
    assert [s.organization.name for s in found] == ["Here Soft"]
    assert {
        "type": "service",
        "code": "ito.software_rd",
        "label": "Offers software R&D and development, which you seek",
    } in found[0].reasons
    assert away.id not in [s.organization.id for s in found]


def test_people_to_meet_for_another_organization_is_forbidden(app, db, fair, make_org):
    buyer = make_org(kind="buyer")
    stranger = add_user(db)
    with app.app_context(), pytest.raises(PermissionDenied):
        service.people_to_meet(db, stranger, fair.id, buyer.id)


def test_people_to_meet_limit_out_of_range_is_refused(app, db, fair, make_org):
    buyer = make_org(kind="buyer")
    user = _register(db, fair, buyer, "buyer")
    with app.app_context(), pytest.raises(ValidationFailed):
        service.people_to_meet(db, user, fair.id, buyer.id, limit=0)


def test_people_to_meet_never_shows_a_negative_score(app, db, fair, make_org, monkeypatch):
    """A dismissal can push the walk's raw score below zero; the API's score is ≥ 0."""
    from types import SimpleNamespace

    from matchmaker.exhibitions import people

    buyer = make_org(name="Buyer", kind="buyer", country="DE", services=["ito.software_rd"])
    here = make_org(name="Here Soft", services=["ito.software_rd"])
    buyer_user = _register(db, fair, buyer, "buyer")
    _register(db, fair, here)

    class Engine:
        def __contains__(self, org_id):
            return True

        def recommend(self, org_id, limit, exclude):
            return [SimpleNamespace(org_id=here.id, score=-0.002867, reasons=[])]

    monkeypatch.setattr(people, "current_recommender", lambda _db: Engine())
    with app.app_context():
        found = service.people_to_meet(db, buyer_user, fair.id, buyer.id, limit=10)
    assert [(s.organization.name, s.score) for s in found] == [("Here Soft", 0.0)]
