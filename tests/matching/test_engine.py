"""The recommendation engine: complementarity, exclusions, reasons, freshness."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from matchmaker.matching import state
from matchmaker.matching.engine import Reason, Recommender
from matchmaker.matching.graph import ATTRIBUTE_WEIGHTS, INTERACTION_WEIGHTS
from matchmaker.reference import market_groups


def org(org_id: int, kind: str, services: list[str], **fields) -> dict:
    country = fields.pop("country", "CN" if kind == "provider" else "US")
    return {
        "id": org_id,
        "kind": kind,
        "name": f"Org {org_id}",
        "country": country,
        "markets": list(market_groups(country)),
        "families": sorted({code.split(".")[0] for code in services}),
        "services": services,
        "target_markets": fields.pop("target_markets", []),
        "languages": fields.pop("languages", []),
        "certifications": fields.pop("certifications", []),
        "industries": fields.pop("industries", []),
        "visibility": fields.pop("visibility", "public"),
        **fields,
    }


BUYER = org(
    1,
    "buyer",
    ["ito.software_rd"],
    country="JP",
    languages=["en", "ja"],
    industries=["finance"],
    certifications=["iso_27001"],
)
BEST = org(
    2,
    "provider",
    ["ito.software_rd", "bpo.call_center"],
    target_markets=["JP"],
    languages=["ja", "zh"],
    industries=["finance"],
    certifications=["iso_27001"],
)
SAME_FAMILY = org(
    3, "provider", ["ito.cloud_computing"], target_markets=["developed"], languages=["en"]
)
OTHER_FAMILY = org(4, "provider", ["kpo.legal_services"], target_markets=["developed"])
HIDDEN = org(5, "provider", ["ito.software_rd"], target_markets=["JP"], visibility="hidden")
OTHER_BUYER = org(6, "buyer", ["ito.cloud_computing"], languages=["en"])
NO_SERVICES_PROVIDER = org(7, "provider", [], target_markets=["JP"])
NO_SERVICES_BUYER = org(8, "buyer", [], country="JP")
SERVICE_ONLY = org(
    9, "provider", ["ito.software_rd"], target_markets=["belt_and_road"], languages=["ar"]
)
DOCS = [
    BUYER,
    BEST,
    SAME_FAMILY,
    OTHER_FAMILY,
    HIDDEN,
    OTHER_BUYER,
    NO_SERVICES_PROVIDER,
    NO_SERVICES_BUYER,
    SERVICE_ONLY,
]


def ids(recommender: Recommender, org_id: int, limit: int = 10) -> list[int]:
    return [item.org_id for item in recommender.recommend(org_id, limit)]


def reasons_of(recommender: Recommender, org_id: int, target: int) -> tuple[Reason, ...]:
    return next(i.reasons for i in recommender.recommend(org_id, 50) if i.org_id == target)


@pytest.fixture
def rec() -> Recommender:
    return Recommender(DOCS, [])


def test_buyers_get_providers_service_match_before_family_match(rec):
    assert ids(rec, 1) == [2, 9, 3]


def test_providers_get_buyers_with_services(rec):
    assert ids(rec, 2) == [1, 6]
    assert ids(rec, 3) == [6, 1]


def test_needs_a_shared_service_family(rec):
    assert 4 not in ids(rec, 1)
    assert ids(rec, 4) == []


def test_limit_and_scores_descend(rec):
    found = rec.recommend(1, limit=2)
    assert [item.org_id for item in found] == [2, 9]
    assert found[0].score > found[1].score > 0


def test_hidden_and_empty_profiles_never_recommended(rec):
    for source in (1, 6):
        assert not {5, 7, 8} & set(ids(rec, source))
    assert 8 not in ids(rec, 2)


def test_hidden_org_still_gets_recommendations(rec):
    assert ids(rec, 5) == [1, 6]


def test_no_services_gives_empty_list(rec):
    assert rec.recommend(7) == []
    assert rec.recommend(8) == []


def test_unknown_org_raises_key_error(rec):
    with pytest.raises(KeyError):
        rec.recommend(404)


def test_partners_are_excluded_both_ways(rec):
    rec.add_interaction(1, 2, "partner")
    assert ids(rec, 1) == [9, 3]
    assert 1 not in ids(rec, 2)
    rec.remove_interaction(1, 2, "partner")
    assert ids(rec, 1) == [2, 9, 3]


def test_dismissed_is_excluded_for_its_source_only(rec):
    rec.add_interaction(1, 2, "dismissed")
    assert ids(rec, 1) == [9, 3]
    assert ids(rec, 2) == [1, 6]
    rec.remove_interaction(1, 2, "dismissed")
    assert ids(rec, 1) == [2, 9, 3]


def test_dismissal_lowers_look_alikes():
    twin = org(
        10,
        "provider",
        ["ito.software_rd"],
        target_markets=["JP"],
        languages=["ja"],
        industries=["finance"],
    )
    rec = Recommender([*DOCS, twin], [])
    before = {item.org_id: item.score for item in rec.recommend(1)}
    rec.add_interaction(1, 2, "dismissed")
    after = {item.org_id: item.score for item in rec.recommend(1)}
    assert after[10] < before[10]
    # The unrelated provider loses less than the look-alike.
    assert after[3] / before[3] > after[10] / before[10]


def test_saved_and_met_orgs_stay_recommendable_unless_excluded(rec):
    rec.add_interaction(1, 9, "saved")
    assert ids(rec, 1) == [9, 2, 3]
    assert [i.org_id for i in rec.recommend(1, exclude=[9])] == [2, 3]


def test_reasons_follow_the_overlap_by_weight(rec):
    # Shared nodes only, weighted by the flow through them: rare ones (finance has two
    # members here, ISO 27001 two) beat crowded ones (JP has five); "ito" is implied by
    # the service.
    assert reasons_of(rec, 1, 2) == (
        Reason("service", "ito.software_rd"),
        Reason("industry", "finance"),
        Reason("certification", "iso_27001"),
        Reason("market", "JP"),
        Reason("language", "ja"),
    )
    assert reasons_of(rec, 1, 3) == (
        Reason("market", "developed"),
        Reason("family", "ito"),
        Reason("language", "en"),
    )
    assert reasons_of(rec, 1, 9) == (Reason("service", "ito.software_rd"),)


def test_reasons_seen_from_the_provider_side(rec):
    assert reasons_of(rec, 2, 1) == (
        Reason("service", "ito.software_rd"),
        Reason("industry", "finance"),
        Reason("certification", "iso_27001"),
        Reason("market", "JP"),
        Reason("language", "ja"),
    )
    assert reasons_of(rec, 2, 6) == (Reason("family", "ito"),)


def test_peers_reason_when_similar_firms_interacted():
    lookalike = org(11, "buyer", ["ito.software_rd"], country="JP", languages=["ja"])
    alone = {i.org_id: i.score for i in Recommender([*DOCS, lookalike], []).recommend(1)}
    rec = Recommender([*DOCS, lookalike], [(11, 9, "meeting"), (11, 9, "saved")])
    assert reasons_of(rec, 1, 9) == (
        Reason("service", "ito.software_rd"),
        Reason("peers", "", (11,)),  # names the firm like buyer 1 that met provider 9
    )
    assert not any(r.type == "peers" for r in reasons_of(rec, 1, 2))
    met = {i.org_id: i.score for i in rec.recommend(1)}
    assert met[9] / met[2] > alone[9] / alone[2]


def test_provider_target_market_meets_buyer_markets(rec):
    graph = rec.graph
    assert ("market", "belt_and_road") in graph[("org", 9)]
    assert ("country", "JP") in graph[("org", 2)]
    assert ("country", "JP") in graph[("org", 1)]
    assert ("market", "developed") in graph[("org", 1)]
    assert ("country", "CN") not in graph[("org", 2)]  # a provider's own country is not linked


def test_graph_is_a_plain_networkx_graph(rec):
    rec.add_interaction(1, 2, "meeting")
    assert rec.graph.edges[("org", 1), ("org", 2)] == {
        "weight": INTERACTION_WEIGHTS["meeting"],
        "marks": 1 << 3,
    }
    assert rec.graph.edges[("org", 1), ("service", "ito.software_rd")] == {
        "weight": ATTRIBUTE_WEIGHTS["service"]
    }
    ranks = nx.pagerank(rec.graph, personalization={("org", 1): 1.0})
    assert max((n for n in ranks if n[0] == "org" and n[1] != 1), key=ranks.get) == ("org", 2)


def test_upsert_is_visible_in_the_next_call(rec):
    rec.upsert({**SAME_FAMILY, "services": ["ito.software_rd"]})
    assert Reason("service", "ito.software_rd") in reasons_of(rec, 1, 3)
    rec.upsert({**OTHER_FAMILY, "services": ["ito.ai_services"], "target_markets": ["JP"]})
    assert 4 in ids(rec, 1)
    rec.upsert({**BEST, "visibility": "hidden"})
    assert 2 not in ids(rec, 1)
    rec.upsert({**BUYER, "services": []})
    assert rec.recommend(1) == []


def test_new_and_removed_orgs(rec):
    rec.upsert(org(20, "provider", ["ito.software_rd"], target_markets=["JP"]))
    assert 20 in ids(rec, 1)
    rec.remove(20)
    assert 20 not in ids(rec, 1)
    rec.remove(2)
    assert ids(rec, 1) == [9, 3]
    with pytest.raises(KeyError):
        rec.recommend(2)
    rec.remove(404)  # unknown ids are ignored


def test_interactions_survive_an_org_leaving_and_coming_back(rec):
    rec.add_interaction(1, 2, "partner")
    rec.remove(2)
    rec.upsert(BEST)
    assert 2 not in ids(rec, 1)
    rec.add_interaction(1, 30, "saved")  # not in the graph yet: kept aside
    rec.upsert(org(30, "provider", ["ito.software_rd"]))
    assert rec.graph.has_edge(("org", 1), ("org", 30))


def test_interaction_validation(rec):
    with pytest.raises(ValueError):
        rec.add_interaction(1, 2, "liked")
    with pytest.raises(ValueError):
        rec.add_interaction(1, 1, "saved")
    rec.remove_interaction(1, 2, "saved")  # never recorded: nothing happens


def test_deterministic(rec):
    again = Recommender(DOCS, [])
    for source in (1, 2, 3, 6):
        assert rec.recommend(source) == again.recommend(source) == rec.recommend(source)


def _random_market(rng: random.Random, count: int) -> list[dict]:
    services = ["ito.software_rd", "ito.cloud_computing", "bpo.call_center", "kpo.legal_services"]
    return [
        org(
            i,
            rng.choice(["provider", "buyer"]),
            rng.sample(services, rng.randint(0, 2)),
            country=rng.choice(["US", "JP", "AE"]),
            target_markets=rng.sample(["developed", "belt_and_road", "JP"], rng.randint(0, 2)),
            languages=rng.sample(["en", "ja", "ar"], rng.randint(0, 2)),
            visibility=rng.choice(["public", "members", "hidden"]),
        )
        for i in range(1, count + 1)
    ]


@pytest.mark.parametrize("compact_every_change", [False, True])
def test_incremental_updates_match_a_fresh_build(monkeypatch, compact_every_change):
    if compact_every_change:
        monkeypatch.setattr(state, "COMPACT_MIN", 0)
        monkeypatch.setattr(state, "COMPACT_SHARE", 0.0)
    rng = random.Random(3)
    docs = {doc["id"]: doc for doc in _random_market(rng, 60)}
    edges: set[tuple[int, int, str]] = set()
    kinds = ["saved", "dismissed", "meeting", "partner", "meeting_request"]
    live = Recommender(list(docs.values()), [])
    for _ in range(300):
        action = rng.random()
        a, b = rng.sample(range(1, 80), 2)
        if action < 0.3:
            doc = _random_market(rng, 1)[0] | {"id": a}
            docs[a] = doc
            live.upsert(doc)
        elif action < 0.4:
            docs.pop(a, None)
            live.remove(a)
            for edge in [e for e in edges if a in e[:2]]:  # what the runtime does
                live.remove_interaction(*edge)
                edges.discard(edge)
        elif action < 0.8:
            edge = (a, b, rng.choice(kinds))
            edges.add(edge)
            live.add_interaction(*edge)
        elif edges:
            edge = rng.choice(sorted(edges))
            edges.discard(edge)
            live.remove_interaction(*edge)
    present = {e for e in edges if e[0] in docs and e[1] in docs}
    fresh = Recommender(list(docs.values()), sorted(present))
    for org_id in docs:
        got, want = live.recommend(org_id), fresh.recommend(org_id)
        assert [(i.org_id, i.reasons) for i in got] == [(i.org_id, i.reasons) for i in want]
        assert [i.score for i in got] == pytest.approx([i.score for i in want])
