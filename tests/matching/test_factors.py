"""The collaborative factor model and the learned ranker in the engine: fitted, folded in
live, re-used slots never inherit a stale factor, exclusions and reasons kept."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import synthetic

from matchmaker.matching import ranker
from matchmaker.matching.engine import Recommender
from matchmaker.matching.graph import INTERACTION_WEIGHTS


@pytest.fixture(scope="module")
def market():
    return synthetic.generate(700, seed=3)


@pytest.fixture
def engine(market):
    rec = Recommender(market.docs, market.interactions)
    rec.refit_factors(threads=1)
    return rec


def _kinds(market):
    return {doc["id"]: doc for doc in market.docs}


def _warm_buyer(market):
    docs = _kinds(market)
    counts: dict[int, int] = {}
    for source, _target, kind in market.interactions:
        if kind in INTERACTION_WEIGHTS and docs[source]["kind"] == "buyer":
            counts[source] = counts.get(source, 0) + 1
    return max(counts, key=lambda org: (counts[org], -org))


def test_before_the_first_fit_the_walk_alone_ranks(market):
    rec = Recommender(market.docs, market.interactions)
    buyer = _warm_buyer(market)
    assert rec.factors is None
    walk_only = [r.org_id for r in rec.recommend(buyer, 10)]
    rec.refit_factors()
    assert rec.factors is not None and rec.factors.orgs.shape[1] == 64
    assert len(walk_only) == 10
    assert [r.org_id for r in rec.recommend(buyer, 10)] != walk_only


def test_ranked_results_keep_every_exclusion(engine, market):
    docs = _kinds(market)
    buyer = _warm_buyer(market)
    partners = {t for s, t, k in market.interactions if s == buyer and k == "partner"}
    partners |= {s for s, t, k in market.interactions if t == buyer and k == "partner"}
    dismissed = {t for s, t, k in market.interactions if s == buyer and k == "dismissed"}
    excluded = {org for org in docs if docs[org]["kind"] == "provider"}
    excluded = set(sorted(excluded)[:50])
    found = engine.recommend(buyer, 100, exclude=excluded)
    assert len(found) == 100
    ids = [r.org_id for r in found]
    assert len(set(ids)) == 100 and buyer not in ids
    assert not set(ids) & (partners | dismissed | excluded)
    assert all(docs[i]["kind"] == "provider" and docs[i]["visibility"] != "hidden" for i in ids)
    assert all(docs[i]["services"] for i in ids)
    scores = [r.score for r in found]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] == 1.0
    assert all(r.reasons for r in found)


def test_a_save_moves_the_next_request_without_a_refit(engine, market):
    buyer = _warm_buyer(market)
    fitted = engine.factors
    situation, ids, before = engine.features(buyer)
    assert situation == ranker.WARM_BUYER
    top = [r.org_id for r in engine.recommend(buyer, 10)]
    touched = {t for s, t, _k in market.interactions if s == buyer}
    touched |= {s for s, t, _k in market.interactions if t == buyer}
    popular = ids[before[:, ranker.FEATURES.index("popularity")] > 0]  # with a factor of its own
    chosen = next(i for i in popular[::-1] if i not in top and i not in touched)
    engine.add_interaction(buyer, int(chosen), "saved")
    _situation, after_ids, after = engine.features(buyer)
    assert engine.factors is fitted  # no refit: the source is folded in as it is now
    keep = np.isin(ids, after_ids)
    collab = ranker.FEATURES.index("collab_z")
    assert not np.allclose(before[keep, collab], after[:, collab])
    assert [r.org_id for r in engine.recommend(buyer, 10)] != top


def test_new_organizations_after_a_fit(engine, market):
    rng = np.random.default_rng(0)
    newcomer = synthetic.random_doc(10_001, rng, kind="buyer")
    newcomer["services"] = ["ito.software_rd", "ito.it_outsourcing"]
    engine.upsert(newcomer)
    situation, _ids, _matrix = engine.features(10_001)
    assert situation == ranker.NEW
    found = engine.recommend(10_001, 10)
    assert len(found) == 10  # folded in from its profile alone
    provider = synthetic.random_doc(10_002, rng, kind="provider")
    provider["services"] = ["ito.software_rd"]
    engine.upsert(provider)
    # Not in the fit: its collaborative score is 0 until the next one, never an error.
    assert (
        engine.factors.item_scores(np.ones(64), engine._ids[: engine._n])[engine._slots[10_002]]
        == 0.0
    )


def test_a_reused_slot_never_inherits_a_factor(engine, market):
    docs = _kinds(market)
    gone = next(org for org in sorted(docs) if docs[org]["kind"] == "provider")
    slot = engine._slots[gone]
    user = np.ones(engine.factors.orgs.shape[1])
    assert engine.factors.item_scores(user, engine._ids[: engine._n])[slot] != 0.0
    engine.remove(gone)
    replacement = dict(docs[gone], id=20_000)
    engine.upsert(replacement)
    assert engine._slots[20_000] == slot
    assert engine.factors.item_scores(user, engine._ids[: engine._n])[slot] == 0.0


def test_peers_reason_names_lookalikes_closest_first(engine, market):
    buyer = _warm_buyer(market)
    docs = _kinds(market)
    named = [
        reason
        for item in engine.recommend(buyer, 30)
        for reason in item.reasons
        if reason.type == "peers"
    ]
    assert named, "collaborative candidates explain themselves"
    for reason in named:
        assert 1 <= len(reason.organizations) <= 3
        assert buyer not in reason.organizations
        assert all(docs[i]["kind"] == "buyer" for i in reason.organizations)


def test_unknown_and_serviceless_sources(engine, market):
    with pytest.raises(KeyError):
        engine.recommend(999_999)
    docs = _kinds(market)
    empty = next(org for org in sorted(docs) if not docs[org]["services"])
    assert engine.recommend(empty) == []
    assert engine.features(empty) is None


def test_a_longer_list_extends_a_shorter_one(engine, market):
    buyer = _warm_buyer(market)
    short = [r.org_id for r in engine.recommend(buyer, 10)]
    long = [r.org_id for r in engine.recommend(buyer, 100)]
    assert long[:10] == short and len(long) == 100
