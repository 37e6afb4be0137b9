"""Ranking quality of the recommender against baselines and standard peers, on planted preferences.

A synthetic market (``synthetic.py``) plants latent buyer tastes; buyers' positive
interactions follow them. Three protocols, each its own split of the same market:

- **warm buyers**: for every buyer with at least three positive interactions, 30 %
  of them (at least one) are held out, along with anything else recorded between
  the same two firms;
- **new buyers**: 10 % of the buyers with a positive interaction lose every
  interaction (either side's) and are judged on all of their positives;
- **provider side**: buyers recommended to providers; a provider's positives are the
  buyers it shares a positive interaction with (either side's), held out as for warm
  buyers.

Each method ranks the organizations the source could be shown (the other kind,
visible, sharing a service family, not already interacted with, not dismissed; the
engine is asked with the same exclusions) and its top 10 is scored against the
held-out ones: precision@10, recall@10 and nDCG@10 (binary relevance), averaged over
sources, and coverage (share of the eligible organizations of the recommended kind
that appear in some top 10).

Baselines: random order, popularity (positive interactions in training) and
attribute overlap (Jaccard of the two organizations' attribute nodes). Peers
(``peers.py``): implicit ALS, ALS with attribute pseudo-items, an RP3β walk and
item-KNN. RP3β's alpha and beta and item-KNN's k are tuned on seed 7 (per protocol;
new buyers reuse the warm values). The engine is the product's ``Recommender`` with
its factor model fitted once on the training interactions (as a worker does in the
background); its walk settings and its ranker's weights (``fit_ranker.py``) were
fitted on seed 7 too.
The default report uses other seeds, then a sensitivity table over generator knobs
nobody tuned on (segments, choice noise, interactions per buyer, share of providers),
one seed per row.

    python benchmarks/recommend_eval.py [--size 6000] [--seeds 11,12,13]
        [--sensitivity-size 6000] [--no-sensitivity] [--quick]

Prints one JSON document on stdout; progress and a markdown summary go to stderr.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from scipy import sparse

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import peers
import synthetic

from matchmaker.matching.engine import Recommender
from matchmaker.matching.graph import INTERACTION_WEIGHTS, attribute_edges
from matchmaker.reference import FAMILIES, family_of

K = 10
HOLDOUT = 0.3
NEW_SHARE = 0.1
TUNE_SEED = 7
ENGINE = "matchmaker (ours)"
BASELINES = ("random", "popularity", "attribute overlap (Jaccard)")
METHODS = (ENGINE, *BASELINES, *peers.NAMES)
OTHERS = METHODS[1:]
PROTOCOLS = ("warm_buyers", "new_buyers", "provider_side")
METRICS = (f"precision@{K}", f"recall@{K}", f"ndcg@{K}", "coverage")
RP3_GRID = [
    {"alpha": a, "beta": b} for a in (0.25, 0.5, 0.75, 1.0) for b in (0.0, 0.1, 0.25, 0.5, 0.75)
]
KNN_GRID = [{"k": k} for k in (10, 25, 50, 100, 200, 500)]
# Generator knobs for the sensitivity table; the first value of each is the default.
KNOBS = {
    "segments": (24, 12, 48),
    "noise": (0.0, 0.5, 1.0),
    "per_buyer": (6.0, 3.0, 12.0),
    "provider_share": (0.6, 0.45, 0.75),
}

Edge = tuple[int, int, str]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- markets ------------------------------------------------------------------------------


class _NoisyOrgs(synthetic._Orgs):
    """The generator's organizations with Gaussian noise added to every planted affinity."""

    noise = 0.0

    def affinity(self, buyers: np.ndarray, providers: np.ndarray) -> np.ndarray:
        base = super().affinity(buyers, providers)
        return base + self.noise * self.rng.normal(size=base.shape)


@contextmanager
def _segments(count: int):
    saved = synthetic.N_SEGMENTS
    synthetic.N_SEGMENTS = count
    try:
        yield
    finally:
        synthetic.N_SEGMENTS = saved


def make_market(
    size: int,
    seed: int,
    *,
    segments: int = 24,
    noise: float = 0.0,
    per_buyer: float = 6.0,
    provider_share: float = 0.6,
) -> synthetic.Market:
    """``synthetic.generate`` (exactly, at the defaults), or a variant with other knobs."""
    if (segments, noise, provider_share) == (24, 0.0, 0.6):
        return synthetic.generate(size, seed=seed, per_buyer=per_buyer)
    with _segments(segments):
        rng = np.random.default_rng(seed)
        world = synthetic._World(rng)
        kinds = rng.random(size) < provider_share
        orgs = type("Orgs", (_NoisyOrgs,), {"noise": noise})(size, world, rng, kinds=kinds)
        docs = [orgs.doc(i) for i in range(size)]
        return synthetic.Market(docs, orgs.interactions(per_buyer), orgs.segment)


# -- splits -------------------------------------------------------------------------------


def positives(interactions: list[Edge], sources: set[int], both_ways: bool) -> dict[int, list]:
    """Per source, the organizations it shares a positive interaction with, in first-seen order."""
    out: dict[int, list[int]] = defaultdict(list)
    for source, target, kind in interactions:
        if kind not in INTERACTION_WEIGHTS:
            continue
        for a, b in ((source, target), (target, source)) if both_ways else ((source, target),):
            if a in sources and b not in out[a]:
                out[a].append(b)
    return out


def hold_out(
    interactions: list[Edge], pos: dict[int, list[int]], rng: np.random.Generator
) -> tuple[list[Edge], dict[int, set[int]]]:
    """Hold out 30 % of each source's positives (3 or more); drop every edge of a held pair."""
    held: dict[int, set[int]] = {}
    for source, targets in sorted(pos.items()):
        if len(targets) >= 3:
            count = max(1, round(HOLDOUT * len(targets)))
            held[source] = {int(t) for t in rng.choice(targets, size=count, replace=False)}
    hidden_pairs = {frozenset((s, t)) for s, targets in held.items() for t in targets}
    train = [edge for edge in interactions if frozenset(edge[:2]) not in hidden_pairs]
    return train, held


def split(
    protocol: str, market: synthetic.Market, seed: int
) -> tuple[list[Edge], dict[int, set[int]], dict[int, set[int]]]:
    """Training interactions, held-out positives per source and what each source has seen."""
    kinds = {doc["id"]: doc["kind"] for doc in market.docs}
    buyers = {org for org, kind in kinds.items() if kind == "buyer"}
    providers = set(kinds) - buyers
    seen: dict[int, set[int]] = defaultdict(set)
    if protocol == "warm_buyers":  # as before this table had peers: same draws
        pos = positives(market.interactions, buyers, both_ways=False)
        train, held = hold_out(market.interactions, pos, np.random.default_rng(seed))
        for source, target, _kind in train:
            seen[source].add(target)
    elif protocol == "new_buyers":
        pos = positives(market.interactions, buyers, both_ways=False)
        active = sorted(b for b, targets in pos.items() if targets)
        rng = np.random.default_rng([seed, 1])
        new = {
            int(b) for b in rng.choice(active, size=round(NEW_SHARE * len(active)), replace=False)
        }
        train = [e for e in market.interactions if e[0] not in new and e[1] not in new]
        held = {b: set(pos[b]) for b in sorted(new)}
    else:
        pos = positives(market.interactions, providers, both_ways=True)
        train, held = hold_out(market.interactions, pos, np.random.default_rng([seed, 2]))
        for source, target, _kind in train:
            seen[source].add(target)
            seen[target].add(source)
    return train, held, seen


def metrics(ranked: list[int], relevant: set[int]) -> tuple[float, float, float]:
    hits = [1.0 if org in relevant else 0.0 for org in ranked[:K]]
    dcg = sum(hit / math.log2(rank + 2) for rank, hit in enumerate(hits))
    ideal = sum(1.0 / math.log2(rank + 2) for rank in range(min(K, len(relevant))))
    return sum(hits) / K, sum(hits) / len(relevant), dcg / ideal


# -- methods ------------------------------------------------------------------------------


class Methods:
    """Baselines and peers over the same candidate sets as the recommender."""

    def __init__(self, docs: list[dict], train: list[Edge], seed: int, tuned: dict) -> None:
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
        pairs = []
        for source, target, kind in train:
            if kind in INTERACTION_WEIGHTS:
                self.popularity[self.row[source]] += 1
                self.popularity[self.row[target]] += 1
                pairs.append((self.row[source], self.row[target]))
        x = peers.interaction_matrix(len(docs), np.array(pairs, dtype=np.int64).reshape(-1, 2))
        self.peers = peers.Peers(x, self.attrs, seed=seed, **tuned)
        self.rng = np.random.default_rng(seed)

    def candidates(self, source: int, seen: set[int]) -> np.ndarray:
        row = self.row[source]
        mask = (
            (self.provider != self.provider[row])
            & self.visible
            & ((self.families & self.families[row]) != 0)
        )
        mask[[self.row[org] for org in seen if org in self.row]] = False
        mask[row] = False
        return np.flatnonzero(mask)

    def eligible(self, source_is_provider: bool) -> int:
        return int(((self.provider != source_is_provider) & self.visible).sum())

    def top(self, score: np.ndarray, pool: np.ndarray) -> list[int]:
        jitter = self.rng.random(len(pool))  # random tie-breaking, fair to every method
        order = np.lexsort((jitter, -score))[:K]
        return [int(self.ids[pool[i]]) for i in order]

    def baseline(self, method: str, source: int, pool: np.ndarray) -> list[int]:
        if method == "random":
            score = np.zeros(len(pool))
        elif method == "popularity":
            score = self.popularity[pool]
        else:
            x = self.attrs[[self.row[source]]]
            overlap = (self.attrs[pool] @ x.T).toarray().ravel()
            union = self.attr_count[pool] + self.attr_count[self.row[source]] - overlap
            score = overlap / np.maximum(union, 1)
        return self.top(score, pool)


def score_methods(
    docs: list[dict],
    train: list[Edge],
    held: dict[int, set[int]],
    seen: dict[int, set[int]],
    seed: int,
    tuned: dict,
    methods: tuple[str, ...] = METHODS,
) -> dict[str, list[float]]:
    """Mean precision, recall, nDCG at 10 and coverage of each method on one split."""
    table = Methods(docs, train, seed, tuned)
    recommender = Recommender(docs, train) if ENGINE in methods else None
    if recommender is not None:
        recommender.refit_factors(threads=2)
    sources = sorted(held)
    pools = {s: table.candidates(s, seen.get(s, set())) for s in sources}
    totals = {m: np.zeros(3) for m in methods}
    shown: dict[str, set[int]] = {m: set() for m in methods}

    def record(method: str, ranked: list[int], source: int) -> None:
        totals[method] += metrics(ranked, held[source])
        shown[method].update(ranked)

    for source in sources:
        if recommender is not None:
            ours = recommender.recommend(source, K, exclude=seen.get(source, ()))
            record(ENGINE, [item.org_id for item in ours], source)
        for method in BASELINES:
            if method in methods:
                record(method, table.baseline(method, source, pools[source]), source)
    for method in peers.NAMES:
        if method not in methods:
            continue
        for start in range(0, len(sources), 512):
            chunk = sources[start : start + 512]
            block = table.peers.scores(method, np.array([table.row[s] for s in chunk]))
            for i, source in enumerate(chunk):
                record(method, table.top(block[i, pools[source]], pools[source]), source)
    source_is_provider = bool(sources) and bool(table.provider[table.row[sources[0]]])
    eligible = max(1, table.eligible(source_is_provider))
    return {
        m: [*(totals[m] / max(1, len(sources))).tolist(), len(shown[m]) / eligible] for m in methods
    }


# -- tuning and runs ----------------------------------------------------------------------


def tune(size: int, quick: bool = False) -> dict[str, dict]:
    """RP3β (alpha, beta) and item-KNN k by nDCG@10 on seed 7, per protocol."""
    grids = (
        {"rp3": RP3_GRID[-2:], "knn": KNN_GRID[2:4]}
        if quick
        else {"rp3": RP3_GRID, "knn": KNN_GRID}
    )
    market = make_market(size, TUNE_SEED)
    chosen: dict[str, dict] = {}
    for protocol in ("warm_buyers", "provider_side"):
        train, held, seen = split(protocol, market, TUNE_SEED)
        best: dict = {}
        for key, method in (("rp3", peers.RP3), ("knn", peers.KNN)):
            results = []
            for values in grids[key]:
                ndcg = score_methods(
                    market.docs, train, held, seen, TUNE_SEED, {key: values}, (method,)
                )[method][2]
                results.append((ndcg, values))
            ndcg, values = max(results, key=lambda r: r[0])
            best[key] = values
            log(f"tuning {protocol}: {method} {values} nDCG@{K} {ndcg:.4f}")
        chosen[protocol] = best
    chosen["new_buyers"] = chosen["warm_buyers"]
    return chosen


def run(size: int, seed: int, tuned: dict, protocols=PROTOCOLS, **knobs) -> dict[str, dict]:
    started = time.perf_counter()
    market = make_market(size, seed, **knobs)
    out = {}
    for protocol in protocols:
        train, held, seen = split(protocol, market, seed)
        scores = score_methods(market.docs, train, held, seen, seed, tuned[protocol])
        out[protocol] = {
            "sources": len(held),
            "held_out": sum(len(r) for r in held.values()),
            "train_interactions": len(train),
            "scores": scores,
        }
    label = ", ".join(f"{k}={v}" for k, v in knobs.items()) or "defaults"
    log(f"seed {seed} ({label}, {size} orgs): {time.perf_counter() - started:.1f}s")
    return out


def rounded(values) -> dict[str, float]:
    return {name: round(float(v), 4) for name, v in zip(METRICS, values, strict=True)}


def best_other(scores: dict[str, list[float]]) -> str:
    return max(OTHERS, key=lambda m: scores[m][2])


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b > 0 else None


def sensitivity(size: int, seed: int, tuned: dict, quick: bool = False) -> list[dict]:
    rows = []
    settings = [{}] + [{knob: value} for knob, values in KNOBS.items() for value in values[1:]]
    if quick:
        settings = settings[:2]
    for knobs in settings:
        result = run(size, seed, tuned, **knobs)
        for protocol in PROTOCOLS:
            scores = result[protocol]["scores"]
            best = best_other(scores)
            rows.append(
                {
                    "knob": next(iter(knobs), "defaults"),
                    "value": next(iter(knobs.values()), None),
                    "protocol": protocol,
                    "engine": rounded(scores[ENGINE]),
                    "best_peer": best,
                    "best_peer_scores": rounded(scores[best]),
                    f"ndcg@{K}_ratio": ratio(scores[ENGINE][2], scores[best][2]),
                    f"precision@{K}_ratio": ratio(scores[ENGINE][0], scores[best][0]),
                }
            )
    return rows


def markdown(report: dict) -> str:
    lines = []
    for protocol, block in report["protocols"].items():
        lines += [
            f"**{protocol.replace('_', ' ')}** (seeds {', '.join(map(str, report['seeds']))})",
            "",
            f"| method | P@{K} | R@{K} | nDCG@{K} | coverage |",
            "|---|---:|---:|---:|---:|",
        ]
        for method, values in block["methods"].items():
            cells = " | ".join(f"{values[m]:.4f}" for m in METRICS)
            lines.append(f"| {method} | {cells} |")
        lines.append("")
    if report.get("sensitivity"):
        sens = report["sensitivity"]
        lines += [
            f"**sensitivity** ({sens['size']} organizations, seed {sens['seed']}; nDCG@{K})",
            "",
            "| knob | value | protocol | ours | best other | method | ratio |",
            "|---|---|---|---:|---:|---|---:|",
        ]
        for row in sens["rows"]:
            lines.append(
                f"| {row['knob']} | {row['value'] if row['value'] is not None else '–'} "
                f"| {row['protocol'].replace('_', ' ')} | {row['engine'][f'ndcg@{K}']:.4f} "
                f"| {row['best_peer_scores'][f'ndcg@{K}']:.4f} | {row['best_peer']} "
                f"| {row[f'ndcg@{K}_ratio']} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=6000)
    parser.add_argument("--seeds", default="11,12,13")
    parser.add_argument("--sensitivity-size", type=int, default=6000)
    parser.add_argument("--sensitivity-seed", type=int, default=11)
    parser.add_argument("--no-sensitivity", action="store_true")
    parser.add_argument("--quick", action="store_true", help="a small smoke run (seconds)")
    args = parser.parse_args(argv)
    if args.quick:
        args.size, args.seeds, args.sensitivity_size = 800, "11", 600
    started = time.perf_counter()
    seeds = [int(s) for s in args.seeds.split(",")]
    tuned = tune(args.size, args.quick)
    runs = {seed: run(args.size, seed, tuned) for seed in seeds}
    protocols = {}
    for protocol in PROTOCOLS:
        mean = {
            m: np.mean([runs[s][protocol]["scores"][m] for s in seeds], axis=0) for m in METHODS
        }
        best = best_other(mean)
        protocols[protocol] = {
            "sources_per_seed": [runs[s][protocol]["sources"] for s in seeds],
            "held_out_per_seed": [runs[s][protocol]["held_out"] for s in seeds],
            "methods": {m: rounded(mean[m]) for m in METHODS},
            "per_seed": {
                str(s): {m: rounded(runs[s][protocol]["scores"][m]) for m in METHODS} for s in seeds
            },
            "best_other": best,
            f"ndcg@{K}_ratio": ratio(mean[ENGINE][2], mean[best][2]),
            f"precision@{K}_ratio": ratio(mean[ENGINE][0], max(mean[m][0] for m in OTHERS)),
        }
    report = {
        "size": args.size,
        "seeds": seeds,
        "tuned_on_seed": TUNE_SEED,
        "tuned": tuned,
        "als": peers.ALS_SETTINGS,
        "protocols": protocols,
        "engine_leads_by_5_percent": all(
            (block[f"ndcg@{K}_ratio"] or 0) >= 1.05 and (block[f"precision@{K}_ratio"] or 0) >= 1.05
            for block in protocols.values()
        ),
    }
    if not args.no_sensitivity:
        rows = sensitivity(args.sensitivity_size, args.sensitivity_seed, tuned, args.quick)
        report["sensitivity"] = {
            "size": args.sensitivity_size,
            "seed": args.sensitivity_seed,
            "knobs": dict(KNOBS),
            "rows": rows,
        }
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    log("")
    log(markdown(report))


if __name__ == "__main__":
    main()
