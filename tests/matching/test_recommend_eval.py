"""The recommendation benchmark runs end to end and reports every protocol, method and row."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("implicit")

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "recommend_eval.py"
METHODS = {
    "matchmaker (ours)",
    "random",
    "popularity",
    "attribute overlap (Jaccard)",
    "implicit ALS",
    "ALS + attribute pseudo-items",
    "RP3β walk",
    "item-KNN (cosine)",
}
METRICS = {"precision@10", "recall@10", "ndcg@10", "coverage"}
PROTOCOLS = {"warm_buyers", "new_buyers", "provider_side"}


@pytest.fixture(scope="module")
def quick() -> tuple[dict, str]:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick"],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(done.stdout), done.stderr


def test_reports_every_protocol_and_method(quick):
    report, _ = quick
    assert set(report["protocols"]) == PROTOCOLS
    assert report["tuned_on_seed"] == 7
    assert 7 not in report["seeds"]
    for block in report["protocols"].values():
        assert set(block["methods"]) == METHODS
        assert all(set(values) == METRICS for values in block["methods"].values())
        assert set(block["per_seed"]) == {str(seed) for seed in report["seeds"]}
        assert block["best_other"] in METHODS - {"matchmaker (ours)"}
        assert {"ndcg@10_ratio", "precision@10_ratio"} <= set(block)
        assert all(count > 0 for count in block["sources_per_seed"])
        for values in block["methods"].values():
            assert all(0.0 <= values[metric] <= 1.0 for metric in METRICS)
    assert isinstance(report["engine_leads_by_5_percent"], bool)


def test_tunes_the_walk_and_knn_peers_per_protocol(quick):
    report, _ = quick
    assert set(report["tuned"]) == PROTOCOLS
    for chosen in report["tuned"].values():
        assert set(chosen["rp3"]) == {"alpha", "beta"}
        assert set(chosen["knn"]) == {"k"}


def test_sensitivity_rows_compare_engine_with_best_other(quick):
    report, _ = quick
    rows = report["sensitivity"]["rows"]
    assert {row["protocol"] for row in rows} == PROTOCOLS
    assert rows[0]["knob"] == "defaults"
    for row in rows:
        assert row["best_peer"] in METHODS - {"matchmaker (ours)"}
        assert set(row["engine"]) == METRICS == set(row["best_peer_scores"])
        assert "ndcg@10_ratio" in row


def test_markdown_summary_on_stderr(quick):
    _, stderr = quick
    assert "| method | P@10 | R@10 | nDCG@10 | coverage |" in stderr
    assert "**sensitivity**" in stderr


def test_fit_ranker_prints_weights_for_every_situation_and_feature():
    from matchmaker.matching import ranker

    done = subprocess.run(
        [sys.executable, str(SCRIPT.with_name("fit_ranker.py")), "--size", "700"],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    namespace = {name.upper(): name for name in ranker.SITUATIONS}
    exec(done.stdout, namespace)  # the literals meant for ranker.py
    for literal in ("WEIGHTS", "RERANK"):
        weights = namespace[literal]
        assert set(weights) == set(ranker.SITUATIONS)
        for values in weights.values():
            assert tuple(values) == ranker.FEATURES
            assert any(value != 0 for value in values.values())
    assert "first stage" in done.stderr
