"""Fit the ranker's weights (``matchmaker/matching/ranker.py``) on seed 7 only.

For each situation the engine distinguishes, the split of ``recommend_eval.py`` that
exercises it — a buyer with partners: warm buyers; a provider with partners: the
provider side; anyone without: new buyers — on seed 7 (never a reported seed): the
engine's own feature matrix for every held-out source (``Recommender.features``, the
code that serves requests), then one linear weight per feature minimising a listwise
softmax loss (each source's held-out partners against its whole candidate pool) with
a little L2, by L-BFGS: the first stage. The second stage is fitted the same way on
each list cut to the first stage's best ``RERANK_DEPTH``: what separates partners
near the top is not what separates them from the bulk of the pool.

    python benchmarks/fit_ranker.py [--size 6000] [--seed 7]

Prints the ``WEIGHTS`` and ``RERANK`` literals to paste into ranker.py (stdout) and each situation's
training nDCG@10 before/after (stderr).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import recommend_eval as ev

from matchmaker.matching import ranker
from matchmaker.matching.engine import Recommender

SPLITS = {
    ranker.WARM_BUYER: "warm_buyers",
    ranker.WARM_PROVIDER: "provider_side",
    ranker.NEW: "new_buyers",
}
L2 = 1e-3


def lists(size: int, seed: int, protocol: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """(features, relevant) per held-out source of one split."""
    market = ev.make_market(size, seed)
    train, held, seen = ev.split(protocol, market, seed)
    engine = Recommender(market.docs, train)
    engine.refit_factors(threads=2)
    out = []
    for source in sorted(held):
        found = engine.features(source, exclude=seen.get(source, ()))
        if found is None:
            continue
        _situation, ids, matrix = found
        relevant = np.isin(ids, list(held[source]))
        if relevant.any():
            out.append((matrix, relevant))
    return out


def fit(data: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    width = data[0][0].shape[1]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros(width)
        for matrix, relevant in data:
            score = matrix @ w
            score -= score.max()
            expo = np.exp(score)
            share = expo / expo.sum()
            count = relevant.sum()
            total -= score[relevant].sum() - count * np.log(expo.sum())
            grad -= matrix[relevant].sum(axis=0) - count * (share @ matrix)
        return total / len(data) + L2 * w @ w, grad / len(data) + 2 * L2 * w

    return minimize(loss, np.zeros(width), jac=True, method="L-BFGS-B").x


def ndcg(data, w: np.ndarray) -> float:
    total = 0.0
    discount = 1 / np.log2(np.arange(2, ev.K + 2))
    for matrix, relevant in data:
        top = np.argsort(-(matrix @ w), kind="stable")[: ev.K]
        ideal = discount[: min(ev.K, relevant.sum())].sum()
        total += (relevant[top] * discount[: len(top)]).sum() / ideal
    return total / len(data)


def head(data, w: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each list cut to the first stage's best ``RERANK_DEPTH`` (lists with a hit left)."""
    out = []
    for matrix, relevant in data:
        top = np.argsort(-(matrix @ w), kind="stable")[: ranker.RERANK_DEPTH]
        if relevant[top].any():
            out.append((matrix[top], relevant[top]))
    return out


def literal(name: str, weights: dict[str, dict[str, float]]) -> str:
    lines = [f"{name}: dict[str, dict[str, float]] = {{"]
    for situation, values in weights.items():
        lines.append(f"    {situation.upper()}: {{")
        lines += [f'        "{feature}": {value},' for feature, value in values.items()]
        lines.append("    },")
    return "\n".join([*lines, "}"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=ev.TUNE_SEED)
    args = parser.parse_args(argv)
    first, second = {}, {}
    for situation, protocol in SPLITS.items():
        started = time.perf_counter()
        data = lists(args.size, args.seed, protocol)
        w1 = fit(data)
        w2 = fit(head(data, w1))
        walk_only = np.array([name == "walk_rank" for name in ranker.FEATURES], dtype=float)
        ev.log(
            f"{situation} ({protocol}, {len(data)} sources): training nDCG@{ev.K} "
            f"walk {ndcg(data, walk_only):.4f} → first stage {ndcg(data, w1):.4f} "
            f"({time.perf_counter() - started:.0f}s)"
        )
        first[situation] = {n: round(float(v), 3) for n, v in zip(ranker.FEATURES, w1, strict=True)}
        second[situation] = {
            n: round(float(v), 3) for n, v in zip(ranker.FEATURES, w2, strict=True)
        }
    print(literal("WEIGHTS", first))
    print()
    print(literal("RERANK", second))


if __name__ == "__main__":
    main()
