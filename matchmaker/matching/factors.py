"""The collaborative part: an implicit-feedback factor model of who works with whom.

``implicit``'s alternating least squares (Hu, Koren and Volinsky 2008) factorises
``[X | A]``: ``X`` the organization×organization matrix of positive interactions
(1 where two firms share one, whichever side made it) and ``A`` the organization×
attribute matrix, each attribute node of the graph a pseudo-item column, so a firm
with no interactions still gets a position from its profile.

A fit takes seconds (about a second at 10k organizations) and runs in the
background; between fits the *source* of a request is always folded in from its
current row (its partners and attributes as they are now, one f×f solve), so a save
moves the very next request's results. Only the candidates' factors wait for the
next fit; an organization added since then has none (a zero vector) until it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

# The peers' settings in benchmarks/peers.py: the engine carries the same model.
SETTINGS = {"factors": 64, "regularization": 0.05, "iterations": 20, "alpha": 20.0}
# An attribute column's entry relative to an interaction's: a quarter (its confidence
# alpha/4) let interactions lead where a firm has them (best of 1, 1/4, 1/20 on seed 7).
ATTRIBUTE_WEIGHT = 0.25


@dataclass(frozen=True)
class Factors:
    """One fit: every organization slot and attribute column as an item vector."""

    orgs: np.ndarray  # slots at fit time × factors (zero rows: slots free at fit time)
    attrs: np.ndarray  # attribute columns at fit time × factors
    gram: np.ndarray  # YᵀY + λI over every item column, for folding in
    ids: np.ndarray  # the organization id each slot held at fit time (-1: free)
    seconds: float  # how long the fit took

    def item_scores(self, user: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """``orgs @ user`` for every current slot; slots re-used since the fit score 0."""
        out = np.zeros(len(ids), dtype=np.float64)
        known = min(len(ids), len(self.orgs))
        out[:known] = self.orgs[:known] @ user
        out[:known][self.ids[:known] != ids[:known]] = 0.0
        return out

    def fold_in(self, org_cols: np.ndarray, attr_cols: np.ndarray) -> np.ndarray:
        """The least-squares user vector of a row with these positive columns.

        The same normal equations ALS solves for a user, with every positive
        entry at confidence ``alpha``: (YᵀY + λI + (α−1)·Σ yyᵀ) u = α·Σ y.
        """
        org_cols = org_cols[org_cols < len(self.orgs)]
        attr_cols = attr_cols[attr_cols < len(self.attrs)]
        rows = np.concatenate([self.orgs[org_cols], self.attrs[attr_cols]]).astype(np.float64)
        if not len(rows):
            return np.zeros(self.gram.shape[0])
        confidence = SETTINGS["alpha"] * np.concatenate(
            [np.ones(len(org_cols)), np.full(len(attr_cols), ATTRIBUTE_WEIGHT)]
        )
        system = self.gram + (rows.T * (confidence - 1.0)) @ rows
        return np.linalg.solve(system, confidence @ rows)


def fit(
    orgs_orgs: sparse.csr_array,
    orgs_attrs: sparse.csr_array,
    ids: np.ndarray,
    *,
    seed: int = 0,
    threads: int = 1,
) -> Factors:
    """Fit ALS on the positive interactions and attributes (any positive weight counts as 1)."""
    import time

    from implicit.cpu.als import AlternatingLeastSquares
    from threadpoolctl import threadpool_limits

    started = time.perf_counter()
    n = orgs_orgs.shape[0]
    x = _binary(orgs_orgs)
    a = _binary(orgs_attrs) * ATTRIBUTE_WEIGHT
    matrix = sparse.csr_matrix(sparse.hstack([x, a], format="csr"), dtype=np.float32)
    # implicit parallelises itself (``threads``); a threaded BLAS underneath only fights it.
    with threadpool_limits(1, "blas"):
        model = AlternatingLeastSquares(**SETTINGS, random_state=seed, num_threads=threads)
        model.fit(matrix, show_progress=False)
    items = np.asarray(model.item_factors, dtype=np.float32)
    wide = items.astype(np.float64)
    gram = wide.T @ wide + SETTINGS["regularization"] * np.eye(items.shape[1])
    return Factors(
        orgs=items[:n],
        attrs=items[n:],
        gram=gram,
        ids=np.array(ids[:n], dtype=np.int64),
        seconds=time.perf_counter() - started,
    )


def _binary(matrix: sparse.csr_array) -> sparse.csr_array:
    out = sparse.csr_array(matrix, copy=True)
    out.data = (out.data > 0).astype(np.float32)
    out.eliminate_zeros()
    return out
