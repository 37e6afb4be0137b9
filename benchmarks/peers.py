"""The standard recommenders the engine is measured against in ``recommend_eval.py``.

All four see the same training interactions as the engine, as one symmetric
organization×organization matrix ``X`` (1 where two firms share a positive
interaction, whichever side made it), so the same code recommends providers to
buyers and buyers to providers:

- implicit ALS (the ``implicit`` library): 64 factors, regularization 0.05,
  20 iterations, confidence alpha 20, fitted on ``X``;
- the same ALS on ``[X | A]``, ``A`` the organization×attribute matrix (each
  attribute node of the engine's graph a pseudo-item column), so organizations with
  no interactions still get a factor from their profile;
- RP3β (Paudel et al. 2017): a three-step walk source → partner → partner's
  partner → candidate over the row-normalised ``X`` with transition probabilities
  raised to ``alpha``, the arrival score divided by the candidate's degree ** ``beta``;
- item-KNN: cosine similarity between the columns of ``X``, each item keeping its
  ``k`` nearest neighbours; a source scores a candidate by summing the similarities
  of the candidate to everything the source interacted with.

``scores(method, rows)`` gives a dense block of scores (rows × organizations);
the caller masks candidates and breaks ties.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

ALS = "implicit ALS"
HYBRID = "ALS + attribute pseudo-items"
RP3 = "RP3β walk"
KNN = "item-KNN (cosine)"
NAMES = (ALS, HYBRID, RP3, KNN)

ALS_SETTINGS = {"factors": 64, "regularization": 0.05, "iterations": 20, "alpha": 20.0}
RP3_DEFAULT = {"alpha": 1.0, "beta": 0.5}
KNN_DEFAULT = {"k": 100}


def interaction_matrix(n: int, pairs: np.ndarray) -> sparse.csr_array:
    """Binary symmetric n×n matrix of ``pairs`` (row indices, shape (m, 2))."""
    if len(pairs) == 0:
        return sparse.csr_array((n, n))
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    x = sparse.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    x.sum_duplicates()
    x.data[:] = 1.0
    return x


def _row_normalised(x: sparse.csr_array) -> sparse.csr_array:
    degree = np.asarray(x.sum(axis=1)).ravel()
    inverse = np.divide(1.0, degree, out=np.zeros_like(degree), where=degree > 0)
    return sparse.csr_array(sparse.diags_array(inverse) @ x)


class Peers:
    """Peer models over one training set; each is fitted on first use."""

    def __init__(
        self,
        interactions: sparse.csr_array,
        attributes: sparse.csr_array,
        *,
        seed: int,
        rp3: dict | None = None,
        knn: dict | None = None,
    ) -> None:
        self.x = interactions
        self.attrs = attributes
        self.n = interactions.shape[0]
        self.seed = seed
        self.rp3 = dict(rp3 or RP3_DEFAULT)
        self.knn = dict(knn or KNN_DEFAULT)
        self._fitted: dict[str, object] = {}

    # -- fitting ----------------------------------------------------------------------

    def _als(self, hybrid: bool) -> tuple[np.ndarray, np.ndarray]:
        from implicit.cpu.als import AlternatingLeastSquares
        from threadpoolctl import threadpool_limits

        matrix = sparse.hstack([self.x, self.attrs]) if hybrid else self.x
        # implicit parallelises itself; a threaded BLAS underneath only fights it.
        with threadpool_limits(1, "blas"):
            model = AlternatingLeastSquares(**ALS_SETTINGS, random_state=self.seed)
            model.fit(sparse.csr_matrix(matrix), show_progress=False)
        users = np.asarray(model.user_factors)
        items = np.asarray(model.item_factors)[: self.n]
        return users, items

    def _rp3(self) -> tuple[sparse.csr_array, np.ndarray]:
        p = _row_normalised(self.x)
        p.data **= self.rp3["alpha"]
        degree = np.asarray(self.x.sum(axis=0)).ravel()
        penalty = np.divide(
            1.0, degree ** self.rp3["beta"], out=np.zeros_like(degree), where=degree > 0
        )
        return p, penalty

    def _knn(self) -> sparse.csr_array:
        norms = np.sqrt(np.asarray(self.x.multiply(self.x).sum(axis=0)).ravel())
        inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
        normed = sparse.csr_array(self.x @ sparse.diags_array(inverse))
        similarity = sparse.csr_array(normed.T @ normed)
        similarity.setdiag(0.0)
        similarity.eliminate_zeros()
        k = int(self.knn["k"])
        keep_rows, keep_cols, keep_vals = [], [], []
        indptr, indices, data = similarity.indptr, similarity.indices, similarity.data
        for row in range(self.n):
            start, end = indptr[row], indptr[row + 1]
            values = data[start:end]
            if end - start > k:
                best = np.argpartition(-values, k - 1)[:k]
            else:
                best = np.arange(end - start)
            keep_rows.append(np.full(len(best), row))
            keep_cols.append(indices[start:end][best])
            keep_vals.append(values[best])
        # Row j holds item j's neighbours; scoring needs item j → neighbour i.
        return sparse.csr_array(
            (np.concatenate(keep_vals), (np.concatenate(keep_rows), np.concatenate(keep_cols))),
            shape=(self.n, self.n),
        )

    def _model(self, method: str):
        if method not in self._fitted:
            if method in (ALS, HYBRID):
                self._fitted[method] = self._als(method == HYBRID)
            elif method == RP3:
                self._fitted[method] = self._rp3()
            elif method == KNN:
                self._fitted[method] = self._knn()
            else:
                raise KeyError(method)
        return self._fitted[method]

    # -- scoring ----------------------------------------------------------------------

    def scores(self, method: str, rows: np.ndarray) -> np.ndarray:
        """Dense scores of every organization for the source ``rows``."""
        model = self._model(method)
        if method in (ALS, HYBRID):
            users, items = model
            return users[rows] @ items.T
        if method == RP3:
            p, penalty = model
            reach = (p[rows] @ p) @ p
            return reach.toarray() * penalty
        return (self.x[rows] @ model).toarray()
