"""Filter values of the in-memory index: postings per value and values per document.

Both layouts of the same (document position, value code) pairs are kept, so
that a filter costs as much as the documents holding the value, and a facet
count as much as the documents being counted, never a pass over every pair.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def gather_ranges(offsets: np.ndarray, items: np.ndarray) -> np.ndarray:
    """Return the indexes offsets[i]..offsets[i+1] of every i in ``items``, concatenated."""
    starts = offsets[items]
    lengths = offsets[items + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    # Without a Python loop: index = start of its range + rank inside the range.
    before = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=before[1:])
    return np.repeat(starts - before, lengths) + np.arange(total)


class FilterColumn:
    """(document position, value code) pairs of one filter key, positions ascending."""

    def __init__(self, positions: np.ndarray, codes: np.ndarray, values: Sequence[str]):
        self.positions = positions
        self.codes = codes
        self.values = list(values)
        # Built on first use; each is assigned in one step, so threads may race harmlessly.
        self._by_value_cache: tuple[np.ndarray, np.ndarray] | None = None
        self._doc_offsets: np.ndarray | None = None
        self._doc_code: np.ndarray | None = None

    def _by_value(self) -> tuple[np.ndarray, np.ndarray]:
        if self._by_value_cache is None:
            order = np.argsort(self.codes, kind="stable")
            offsets = np.searchsorted(self.codes[order], np.arange(len(self.values) + 1))
            self._by_value_cache = (offsets.astype(np.int64), self.positions[order])
        return self._by_value_cache

    def holding(self, codes: Sequence[int]) -> np.ndarray:
        """Return the positions of documents holding any of the value ``codes``."""
        offsets, positions = self._by_value()
        wanted = np.asarray([c for c in codes if c < len(self.values)], dtype=np.int64)
        return positions[gather_ranges(offsets, wanted)]

    def count(self, documents: np.ndarray, size: int, minlength: int) -> np.ndarray:
        """Count value codes over the given (ascending) positions of a ``size``-document index."""
        if self._doc_offsets is None:
            offsets = np.searchsorted(self.positions, np.arange(size + 1)).astype(np.int64)
            if len(self.positions) == 0 or np.all(np.diff(offsets) <= 1):
                # At most one value per document (kind, country, size): a code per document.
                doc_code = np.zeros(size, dtype=np.int64)
                doc_code[self.positions] = self.codes + 1
                self._doc_code = doc_code
            self._doc_offsets = offsets
        if self._doc_code is not None:
            return np.bincount(self._doc_code[documents], minlength=minlength + 1)[1:]
        return np.bincount(
            self.codes[gather_ranges(self._doc_offsets, documents)], minlength=minlength
        )
