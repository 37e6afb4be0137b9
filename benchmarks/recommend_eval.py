"""Ranking quality of the recommender against simple baselines, on planted preferences.

A synthetic market (``synthetic.py``) plants latent buyer tastes; buyers' positive
interactions follow them. For every buyer with at least three positive interactions
30 % of them (at least one) are held out, along with anything else recorded between
the same two firms. Each method then ranks the providers that buyer could be shown
(visible, sharing a service family, not already interacted with, not dismissed) and
its top 10 is scored against the held-out providers: precision@10, recall@10 and
nDCG@10 (binary relevance), averaged over buyers.

Baselines: random order, popularity (positive interactions in training) and
attribute overlap (Jaccard of the two organizations' attribute nodes).

The engine's weights were tuned on seed 7; the default report uses other seeds.

    python benchmarks/recommend_eval.py [--size 6000] [--seeds 11,12,13]

Prints one JSON document, then a markdown table; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy import sparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic

from matchmaker.matching.engine import Recommender
from matchmaker.matching.graph import INTERACTION_WEIGHTS, attribute_edges
from matchmaker.reference import FAMILIES, family_of

K = 10
HOLDOUT = 0.3
METHODS = ("graph walk (ours)", "random", "popularity", "attribute overlap (Jaccard)")


def split(
    interactions: list[tuple[int, int, str]], buyers: set[int], rng: np.random.Generator
) -> tuple[list[tuple[int, int, str]], dict[int, set[int]]]:
    """Hold out part of each buyer's positive targets; drop every edge of a held-out pair."""
    positives: dict[int, list[int]] = defaultdict(list)
    for source, target, kind in interactions:
        if source in buyers and kind in INTERACTION_WEIGHTS and target not in positives[source]:
            positives[source].append(target)
    held: dict[int, set[int]] = {}
    for buyer, targets in sorted(positives.items()):
        if len(targets) >= 3:
            count = max(1, round(HOLDOUT * len(targets)))
            held[buyer] = {int(t) for t in rng.choice(targets, size=count, replace=False)}
    hidden_pairs = {frozenset((b, t)) for b, targets in held.items() for t in targets}
    train = [edge for edge in interactions if frozenset(edge[:2]) not in hidden_pairs]
    return train, held


def metrics(ranked: list[int], relevant: set[int]) -> tuple[float, float, float]:
    hits = [1.0 if org in relevant else 0.0 for org in ranked[:K]]
    dcg = sum(hit / math.log2(rank + 2) for rank, hit in enumerate(hits))
    ideal = sum(1.0 / math.log2(rank + 2) for rank in range(min(K, len(relevant))))
    return sum(hits) / K, sum(hits) / len(relevant), dcg / ideal


class Baselines:
    """The three baselines, over the same candidate sets as the recommender."""

    def __init__(self, docs: list[dict], train: list[tuple[int, int, str]], seed: int) -> None:
        self.ids = np.array([doc["id"] for doc in docs])
        self.row = {int(org_id): i for i, org_id in enumerate(self.ids)}
        self.provider = np.array([doc["kind"] == "provider" for doc in docs])
        self.visible = np.array(
            [bool(doc["services"]) and doc["visibility"] != "hidden" for doc in docs]
        )
        self.families = np.array(
            [
                sum(1 << FAMILIES.index(f) for f in {family_of(c) for c in d["services"]})
                for d in docs
            ]
        )
        vocabulary: dict = {}
        rows, cols = [], []
        for i, doc in enumerate(docs):
            for node in attribute_edges(doc):
                rows.append(i)
                cols.append(vocabulary.setdefault(node, len(vocabulary)))
        self.attrs = sparse.csr_array(
            (np.ones(len(rows)), (rows, cols)), shape=(len(docs), len(vocabulary))
        )
        self.attr_count = np.asarray(self.attrs.sum(axis=1)).ravel()
        self.popularity = np.zeros(len(docs))
        for source, target, kind in train:
            if kind in INTERACTION_WEIGHTS:
                self.popularity[self.row[source]] += 1
                self.popularity[self.row[target]] += 1
        self.rng = np.random.default_rng(seed)

    def candidates(self, buyer: int, seen: set[int]) -> np.ndarray:
        row = self.row[buyer]
        mask = self.provider & self.visible & ((self.families & self.families[row]) != 0)
        mask[[self.row[org] for org in seen]] = False
        return np.flatnonzero(mask)

    def rank(self, method: str, buyer: int, pool: np.ndarray) -> list[int]:
        jitter = self.rng.random(len(pool))  # random tie-breaking, fair to every baseline
        if method == "random":
            score = np.zeros(len(pool))
        elif method == "popularity":
            score = self.popularity[pool]
        else:
            x = self.attrs[[self.row[buyer]]]
            overlap = (self.attrs[pool] @ x.T).toarray().ravel()
            union = self.attr_count[pool] + self.attr_count[self.row[buyer]] - overlap
            score = overlap / np.maximum(union, 1)
        order = np.lexsort((jitter, -score))[:K]
        return [int(self.ids[pool[i]]) for i in order]


def evaluate(size: int, seed: int) -> dict:
    started = time.perf_counter()
    market = synthetic.generate(size, seed=seed)
    print(f"seed {seed}: market of {size} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    buyers = {doc["id"] for doc in market.docs if doc["kind"] == "buyer"}
    train, held = split(market.interactions, buyers, np.random.default_rng(seed))
    recommender = Recommender(market.docs, train)
    baselines = Baselines(market.docs, train, seed)
    seen: dict[int, set[int]] = defaultdict(set)
    for source, target, _kind in train:
        seen[source].add(target)
    totals = {method: np.zeros(3) for method in METHODS}
    for buyer, relevant in held.items():
        ours = recommender.recommend(buyer, K, exclude=seen[buyer])
        totals[METHODS[0]] += metrics([item.org_id for item in ours], relevant)
        pool = baselines.candidates(buyer, seen[buyer])
        for method in METHODS[1:]:
            totals[method] += metrics(baselines.rank(method, buyer, pool), relevant)
    print(f"seed {seed}: {len(held)} buyers ranked", file=sys.stderr)
    return {
        "buyers": len(held),
        "held_out": sum(len(r) for r in held.values()),
        "train_interactions": len(train),
        "scores": {m: (totals[m] / len(held)).tolist() for m in METHODS},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=6000)
    parser.add_argument("--seeds", default="11,12,13")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    runs = [evaluate(args.size, seed) for seed in seeds]
    summary = {
        method: dict(
            zip(
                (f"precision@{K}", f"recall@{K}", f"ndcg@{K}"),
                (round(float(v), 4) for v in np.mean([r["scores"][method] for r in runs], 0)),
                strict=True,
            )
        )
        for method in METHODS
    }
    ours = summary[METHODS[0]]
    beats = all(
        ours[metric] > summary[m][metric]
        for m in METHODS[1:]
        for metric in (f"precision@{K}", f"ndcg@{K}")
    )
    report = {
        "size": args.size,
        "seeds": seeds,
        "buyers_per_seed": [r["buyers"] for r in runs],
        "held_out_per_seed": [r["held_out"] for r in runs],
        "methods": summary,
        "ours_beats_every_baseline": beats,
    }
    print(json.dumps(report, indent=2))
    print()
    print(f"| method | precision@{K} | recall@{K} | nDCG@{K} |")
    print("|---|---:|---:|---:|")
    for method, values in summary.items():
        print(f"| {method} | " + " | ".join(f"{v:.4f}" for v in values.values()) + " |")


if __name__ == "__main__":
    main()
