"""Recommendation speed, update cost and memory on synthetic markets of 10k / 100k firms.

Per size, in a fresh process (so memory figures do not mix): generate a market
(``synthetic.py``), build the ``Recommender``, then measure

* build time, the factor model's fit (one thread, as a worker runs it) and resident
  memory (``VmRSS``/``VmHWM`` from ``/proc/self/status``;
  ``rss_before_build_mb`` is the generated documents and interactions alone);
* ``recommend`` top-10 p50/p95 over ~200 random organizations that have services, with
  the factor model and (before its first fit) with the walk alone;
* update latency: upsert of an existing and of a new profile, add/remove of an
  interaction, remove of an organization, and the first ``recommend`` after each
  batch of updates (freshness is immediate, so that call pays for the pending delta);
* the baseline, ``nx.pagerank(G, personalization={org: 1})`` on the same live graph,
  for a few requests, and its p50 ratio to ours.

    python benchmarks/recommend.py [--sizes 10000,100000] [--requests 200]

Prints one JSON document on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic

from matchmaker.matching.engine import Recommender
from matchmaker.matching.graph import ORG, org_node

UPDATES = 200


def memory_mb() -> dict[str, float]:
    """Resident and peak resident memory of this process, in MiB."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = round(int(rest.split()[0]) / 1024, 1)
    return values


def percentiles(samples_s: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples_s)
    return {
        "p50_ms": round(statistics.median(ms), 3),
        "p95_ms": round(ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))], 3),
        "max_ms": round(ms[-1], 3),
        "n": len(ms),
    }


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure(size: int, requests: int, baseline_requests: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    market = synthetic.generate(size, seed=seed)
    log(
        f"[{size}] market: {len(market.interactions)} interactions "
        f"in {time.perf_counter() - started:.1f}s"
    )
    before = memory_mb()
    started = time.perf_counter()
    recommender = Recommender(market.docs, market.interactions)
    build_s = time.perf_counter() - started
    after = memory_mb()
    graph = recommender.graph
    log(
        f"[{size}] built in {build_s:.1f}s: {graph.number_of_nodes()} nodes, "
        f"{graph.number_of_edges()} edges, RSS {after['VmRSS']} MiB"
    )

    with_services = [doc for doc in market.docs if doc["services"]]
    sources = [int(with_services[i]["id"]) for i in rng.integers(len(with_services), size=requests)]
    for org_id in sources[:5]:
        recommender.recommend(org_id)
    walk_only = [timed(lambda o=org_id: recommender.recommend(o, limit=10)) for org_id in sources]
    log(
        f"[{size}] walk alone (before the first factor fit) "
        f"p50 {statistics.median(walk_only) * 1000:.2f} ms"
    )
    # As a worker does it in the background: one thread.
    fitted = recommender.refit_factors(threads=1)
    fitted_memory = memory_mb()
    log(f"[{size}] factor fit {fitted.seconds:.1f}s, RSS {fitted_memory['VmRSS']} MiB")
    for org_id in sources[:5]:
        recommender.recommend(org_id)
    latencies = [timed(lambda o=org_id: recommender.recommend(o, limit=10)) for org_id in sources]
    log(f"[{size}] recommend p50 {statistics.median(latencies) * 1000:.2f} ms")

    updates = run_updates(recommender, market, rng, size)
    log(f"[{size}] updates done")
    settled = memory_mb()

    baseline = []
    for org_id in sources[:baseline_requests]:
        personalization = {org_node(org_id): 1.0}
        baseline.append(timed(lambda p=personalization: top_by_pagerank(graph, p)))
        log(f"[{size}] nx.pagerank request {len(baseline)}: {baseline[-1]:.2f}s")
    ours = percentiles(latencies)
    return {
        "organizations": size,
        "interactions": len(market.interactions),
        "graph_nodes": graph.number_of_nodes(),
        "graph_edges": graph.number_of_edges(),
        "build_s": round(build_s, 2),
        "rss_before_build_mb": before["VmRSS"],
        "rss_after_build_mb": after["VmRSS"],
        "factor_fit_s": round(fitted.seconds, 2),
        "rss_after_factor_fit_mb": fitted_memory["VmRSS"],
        "recommender_rss_mb": round(fitted_memory["VmRSS"] - before["VmRSS"], 1),
        "rss_after_updates_mb": settled["VmRSS"],
        "peak_rss_before_baseline_mb": settled["VmHWM"],
        "recommend_top10": ours,
        "recommend_top10_walk_alone": percentiles(walk_only),
        "updates": updates,
        "baseline_nx_pagerank": percentiles(baseline),
        "baseline_p50_over_ours_p50": round(
            statistics.median(baseline) / statistics.median(latencies), 1
        ),
    }


def top_by_pagerank(graph: nx.Graph, personalization: dict) -> list:
    scores = nx.pagerank(graph, personalization=personalization)
    source = next(iter(personalization))
    kind = graph.nodes[source]["kind"]
    ranked = sorted(
        (
            node
            for node, data in graph.nodes(data=True)
            if node[0] == ORG and data.get("kind") not in (kind, None)
        ),
        key=lambda node: -scores[node],
    )
    return ranked[:10]


def run_updates(
    recommender: Recommender, market: synthetic.Market, rng: np.random.Generator, size: int
) -> dict:
    """Time each kind of change, and the first recommend after each batch of them."""
    docs = market.docs
    picks = [docs[i] for i in rng.integers(len(docs), size=UPDATES)]
    providers = [d["id"] for d in docs if d["kind"] == "provider"]
    buyers = [d["id"] for d in docs if d["kind"] == "buyer" and d["services"]]
    pairs = [
        (int(buyers[rng.integers(len(buyers))]), int(providers[rng.integers(len(providers))]))
        for _ in range(UPDATES)
    ]
    new_ids = range(size + 1, size + 1 + UPDATES)
    # Profiles are generated up front: that is not the engine's cost.
    edited = [synthetic.random_doc(d["id"], rng, d["kind"]) for d in picks]
    created = [synthetic.random_doc(i, rng) for i in new_ids]
    batches: dict[str, list[Callable[[], object]]] = {
        "upsert_existing": [lambda d=d: recommender.upsert(d) for d in edited],
        "upsert_new": [lambda d=d: recommender.upsert(d) for d in created],
        "add_interaction": [
            lambda p=p: recommender.add_interaction(p[0], p[1], "saved") for p in pairs
        ],
        "remove_interaction": [
            lambda p=p: recommender.remove_interaction(p[0], p[1], "saved") for p in pairs
        ],
        "remove": [lambda i=i: recommender.remove(i) for i in new_ids],
    }
    report = {}
    for name, actions in batches.items():
        samples = [timed(action) for action in actions]
        first = timed(lambda: recommender.recommend(pairs[0][0]))
        report[name] = percentiles(samples) | {"next_recommend_ms": round(first * 1000, 3)}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        baseline_requests = 10 if args.one <= 20000 else 3
        print(json.dumps(measure(args.one, args.requests, baseline_requests, args.seed)))
        return
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        command = [
            sys.executable,
            __file__,
            "--one",
            str(size),
            "--requests",
            str(args.requests),
            "--seed",
            str(args.seed),
        ]
        done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
        results.append(json.loads(done.stdout))
    print(json.dumps({"cpus": len(os.sched_getaffinity(0)), "results": results}, indent=2))


if __name__ == "__main__":
    main()
