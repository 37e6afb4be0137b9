"""A sparse matrix that takes cheap point updates between occasional compactions.

Rebuilding a CSR matrix with a million entries costs tens of milliseconds, too much
for every profile edit. Here an update changes the base CSR in place when the entry
already exists (its slot stays, possibly as an explicit zero) and otherwise lands
in a small dictionary of pending entries; products add the two. When the pending
part grows past a fraction of the base, :meth:`LiveMatrix.compact` folds it in.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

DTYPE = np.float64


def _empty(rows: int, cols: int) -> sparse.csr_array:
    return sparse.csr_array((rows, cols), dtype=DTYPE)


class LiveMatrix:
    """CSR base plus pending entries; shape may grow (new organizations, new attributes)."""

    def __init__(self, base: sparse.csr_array, shape: tuple[int, int] | None = None) -> None:
        self._base = base.tocsr().astype(DTYPE)
        self._base.sum_duplicates()
        self._base.sort_indices()
        self.shape = shape or self._base.shape
        self._pending: dict[tuple[int, int], float] = {}
        self._zeroed = 0
        self._delta: sparse.csr_array | None = None

    @classmethod
    def from_entries(cls, rows, cols, values, shape: tuple[int, int]) -> LiveMatrix:
        coo = sparse.coo_array(
            (np.asarray(values, dtype=DTYPE), (np.asarray(rows), np.asarray(cols))), shape=shape
        )
        return cls(coo.tocsr())

    @property
    def nnz(self) -> int:
        return self._base.nnz + len(self._pending)

    @property
    def churn(self) -> int:
        """Pending entries plus base entries emptied since the last compaction."""
        return len(self._pending) + self._zeroed

    def resize(self, rows: int, cols: int) -> None:
        if (rows, cols) != self.shape:
            self.shape = (max(rows, self.shape[0]), max(cols, self.shape[1]))
            self._delta = None

    def add(self, row: int, col: int, value: float) -> None:
        """Add ``value`` to one entry (the shape must already cover it)."""
        base = self._base
        if row < base.shape[0] and col < base.shape[1]:
            start, end = base.indptr[row], base.indptr[row + 1]
            pos = start + np.searchsorted(base.indices[start:end], col)
            if pos < end and base.indices[pos] == col:
                base.data[pos] += value
                if base.data[pos] == 0.0:
                    self._zeroed += 1
                return
        key = (row, col)
        total = self._pending.get(key, 0.0) + value
        if total == 0.0:
            self._pending.pop(key, None)
        else:
            self._pending[key] = total
        self._delta = None

    def row(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """Columns and values of one row (may hold explicit zeros)."""
        base = self._base
        if row < base.shape[0]:
            start, end = base.indptr[row], base.indptr[row + 1]
            cols, vals = base.indices[start:end], base.data[start:end]
        else:
            cols, vals = np.empty(0, dtype=np.int32), np.empty(0, dtype=DTYPE)
        delta = self._delta_csr()
        if delta.nnz:
            start, end = delta.indptr[row], delta.indptr[row + 1]
            if end > start:
                cols = np.concatenate([cols, delta.indices[start:end]])
                vals = np.concatenate([vals, delta.data[start:end]])
        return cols, vals

    def matvec(self, vector: np.ndarray) -> np.ndarray:
        """``M @ vector``."""
        out = np.zeros(self.shape[0], dtype=DTYPE)
        rows, cols = self._base.shape
        out[:rows] = self._base @ vector[:cols]
        delta = self._delta_csr()
        if delta.nnz:
            out += delta @ vector
        return out

    def rmatvec(self, vector: np.ndarray) -> np.ndarray:
        """``M.T @ vector``."""
        out = np.zeros(self.shape[1], dtype=DTYPE)
        rows, cols = self._base.shape
        out[:cols] = self._base.T @ vector[:rows]
        delta = self._delta_csr()
        if delta.nnz:
            out += delta.T @ vector
        return out

    def rmatvec_rows(self, rows: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """``M.T @ v`` for a vector ``v`` that is zero outside ``rows``: touches those rows only."""
        out = np.zeros(self.shape[1], dtype=DTYPE)
        base_rows, cols = self._base.shape
        inside = rows < base_rows
        if inside.any():
            out[:cols] = self._base[rows[inside]].T @ weights[inside]
        delta = self._delta_csr()
        if delta.nnz:
            out += delta[rows].T @ weights
        return out

    def to_csr(self) -> sparse.csr_array:
        """The current matrix as one canonical CSR (explicit zeros dropped)."""
        base = self._base.copy()
        base.resize(self.shape)
        merged = (base + self._delta_csr()).tocsr()
        merged.eliminate_zeros()
        merged.sort_indices()
        return merged

    def compact(self) -> None:
        """Fold pending entries into the base: O(nnz), done rarely."""
        self._base = self.to_csr()
        self._pending.clear()
        self._zeroed = 0
        self._delta = None

    def _delta_csr(self) -> sparse.csr_array:
        if self._delta is None:
            if self._pending:
                keys = np.fromiter(
                    (v for key in self._pending for v in key),
                    dtype=np.int64,
                    count=2 * len(self._pending),
                ).reshape(-1, 2)
                values = np.fromiter(self._pending.values(), dtype=DTYPE, count=len(self._pending))
                self._delta = sparse.coo_array(
                    (values, (keys[:, 0], keys[:, 1])), shape=self.shape
                ).tocsr()
            else:
                self._delta = _empty(*self.shape)
        return self._delta
