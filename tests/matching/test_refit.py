"""Each worker refits the factor model in the background, at most every FACTORS_REFIT
seconds; meanwhile the previous fit serves and the source is folded in live."""

from __future__ import annotations

import time

from matchmaker.matching import runtime
from matchmaker.matching import service as matching


def _wait(state, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while state.fitting and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not state.fitting, "the background fit did not finish"


def test_refits_in_the_background_no_more_often_than_configured(app, db, make_org, make_user):
    buyer = make_org(name="Buyer", kind="buyer", country="DE", services=["ito.software_rd"])
    providers = [make_org(name=f"Soft {i}", services=["ito.software_rd"]) for i in range(4)]
    member = make_user(organization_id=buyer.id)
    app.config.update(TESTING=False, FACTORS_REFIT=60)
    state = app.extensions["matchmaker.matching"]
    with app.test_request_context():
        recommender = runtime.current_recommender(db)
        _wait(state)
        first = recommender.factors
        assert first is not None and state.fitted_change == state.last_change

        matching.save_partner(db, member, buyer.id, providers[0].id)
        assert runtime.current_recommender(db) is recommender
        # Within the interval: the change is in the graph, the old fit still serves.
        assert recommender.factors is first and state.fitted_change < state.last_change
        assert recommender.graph.has_edge(("org", buyer.id), ("org", providers[0].id))

        state.fit_started -= 61  # the interval has passed
        runtime.current_recommender(db)
        _wait(state)
        assert recommender.factors is not first
        assert state.fitted_change == state.last_change


def test_tests_and_zero_refit_inline(app, db, make_org, make_user):
    buyer = make_org(name="Buyer", kind="buyer", country="DE", services=["ito.software_rd"])
    provider = make_org(name="Soft", services=["ito.software_rd"])
    member = make_user(organization_id=buyer.id)
    state = app.extensions["matchmaker.matching"]
    with app.test_request_context():
        recommender = runtime.current_recommender(db)
        first = recommender.factors
        assert first is not None and not state.fitting
        matching.save_partner(db, member, buyer.id, provider.id)
        runtime.current_recommender(db)
        assert recommender.factors is not first


def test_a_failing_fit_leaves_the_walk_serving(app, db, client, make_org, make_user, monkeypatch):
    from matchmaker.matching.engine import Recommender

    def broken(self, **_kwargs):
        raise MemoryError("no room for the factors")

    monkeypatch.setattr(Recommender, "refit_factors", broken)
    buyer = make_org(name="Buyer", kind="buyer", country="DE", services=["ito.software_rd"])
    make_org(name="Soft", services=["ito.software_rd"], target_markets=["developed"])
    make_user("m@example.com", organization_id=buyer.id)
    client.post("/account/login", data={"email": "m@example.com", "password": "password123"})
    response = client.get(f"/api/v1/organizations/{buyer.id}/recommendations")
    assert response.status_code == 200
    assert [i["organization"]["name"] for i in response.json["items"]] == ["Soft"]
