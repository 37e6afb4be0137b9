"""One process's view of the index: the stored segment plus the documents changed since.

Documents written after the segment was built (the "delta") are appended as
extra positions; their old positions in the segment are marked dead. The delta
stays small because writers fold it into a new segment past a threshold.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from matchmaker.reference import VISIBILITIES
from matchmaker.search.base import FILTER_KEYS
from matchmaker.search.sqlite_filters import FilterColumn
from matchmaker.search.sqlite_segment import NAME, OTHER, IndexedDoc, Segment
from matchmaker.search.text import Term, strip_edges


def _words(text: str) -> set[str]:
    return {strip_edges(chunk) for chunk in text.split()}


@dataclass
class Snapshot:
    version: int
    generation: int
    base: Segment
    delta: list[IndexedDoc]
    ids: np.ndarray
    alive: np.ndarray
    visibility: np.ndarray
    names: list[str]
    rank: np.ndarray
    name_len: np.ndarray
    other_len: np.ndarray
    # Per filter key: every value code (the segment's first), and the delta's pairs.
    values: dict[str, list[str]]
    delta_filters: dict[str, FilterColumn]
    _delta_positions: dict[int, int] = field(default_factory=dict)
    _delta_words: list[tuple[set[str], set[str]]] | None = None
    _length_stats: tuple[int, float, float] | None = None
    _visible: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)
    _universe_counts: dict[tuple[str, tuple[str, ...]], np.ndarray] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.ids)

    @classmethod
    def combine(
        cls,
        base: Segment,
        delta: Sequence[IndexedDoc],
        deleted: Iterable[int],
        version: int,
        generation: int,
    ) -> Snapshot:
        """Overlay the changed documents ``delta`` and deletions on ``base``."""
        n = base.size
        alive = np.ones(n + len(delta), dtype=bool)
        gone = np.asarray([*deleted, *(doc.id for doc in delta)], dtype=np.int64)
        where = np.searchsorted(base.ids, gone)
        where = where[where < n]
        alive[where[np.isin(base.ids[where], gone)]] = False
        return cls(
            version=version,
            generation=generation,
            base=base,
            delta=list(delta),
            ids=np.concatenate([base.ids, np.asarray([d.id for d in delta], dtype=np.int64)]),
            alive=alive,
            visibility=np.concatenate(
                [base.visibility, np.asarray([d.visibility for d in delta], dtype=np.int8)]
            ),
            names=base.names + [doc.name for doc in delta],
            rank=np.concatenate([base.name_rank.astype(np.float64), _delta_ranks(base, delta)]),
            name_len=np.concatenate(
                [base.name_len, np.asarray([len(d.name.split()) for d in delta], np.float32)]
            ),
            other_len=np.concatenate(
                [base.other_len, np.asarray([len(d.other.split()) for d in delta], np.float32)]
            ),
            values={key: _values(base.filters[key], key, delta) for key in FILTER_KEYS},
            delta_filters={
                key: _delta_column(base.filters[key], key, delta, n) for key in FILTER_KEYS
            },
            _delta_positions={doc.id: n + i for i, doc in enumerate(delta)},
        )

    def length_stats(self) -> tuple[int, float, float]:
        """Return (live documents, mean name length, mean length of the other text)."""
        if self._length_stats is None:
            count = int(np.count_nonzero(self.alive))
            name = float(self.name_len[self.alive].sum()) / count if count else 1.0
            other = float(self.other_len[self.alive].sum()) / count if count else 1.0
            self._length_stats = (max(count, 1), max(name, 1.0), max(other, 1.0))
        return self._length_stats

    def positions_of(self, ids: np.ndarray) -> np.ndarray:
        """Return the live positions of the given document ids (unknown ids are dropped)."""
        ids = np.asarray(ids, dtype=np.int64)
        positions = [self._delta_positions[i] for i in ids.tolist() if i in self._delta_positions]
        where = np.searchsorted(self.base.ids, ids)
        where = where[where < self.base.size]
        where = where[np.isin(self.base.ids[where], ids)]
        found = np.concatenate([where, np.asarray(positions, dtype=np.int64)])
        return found[self.alive[found]]

    def visible(self, visibilities: tuple[str, ...]) -> np.ndarray:
        """Return which live documents the reader may see (do not modify the result)."""
        mask = self._visible.get(visibilities)
        if mask is None:
            allowed = np.zeros(len(VISIBILITIES), dtype=bool)
            allowed[[VISIBILITIES.index(v) for v in visibilities]] = True
            mask = self._visible[visibilities] = allowed[self.visibility] & self.alive
        return mask

    def filter_mask(self, key: str, values: Sequence[str]) -> np.ndarray:
        """Return which documents hold any of ``values`` for filter ``key``."""
        wanted = set(values)
        codes = [code for code, value in enumerate(self.values[key]) if value in wanted]
        mask = np.zeros(self.size, dtype=bool)
        mask[self.base.filters[key].holding(codes)] = True
        delta = self.delta_filters[key]
        mask[delta.positions[np.isin(delta.codes, codes)]] = True
        return mask

    def value_counts(self, key: str, mask: np.ndarray, visibilities: tuple[str, ...]) -> dict:
        """Count the values of ``key`` over ``mask`` (a subset of the visible documents)."""
        universe = self.visible(visibilities)
        if 2 * np.count_nonzero(mask) > np.count_nonzero(universe):
            # Most documents are in: count the few left out and subtract.
            cached = (key, visibilities)
            if cached not in self._universe_counts:
                self._universe_counts[cached] = self._count(key, universe)
            counts = self._universe_counts[cached] - self._count(key, universe & ~mask)
        else:
            counts = self._count(key, mask)
        values = self.values[key]
        present = np.flatnonzero(counts)
        return {values[code]: int(counts[code]) for code in present.tolist()}

    def _count(self, key: str, mask: np.ndarray) -> np.ndarray:
        length = len(self.values[key])
        n = self.base.size
        counts = self.base.filters[key].count(np.flatnonzero(mask[:n]), n, length)
        delta = self.delta_filters[key]
        if len(delta.positions):
            counts = counts + np.bincount(delta.codes[mask[delta.positions]], minlength=length)
        return counts

    def term_masks(self, term: Term) -> tuple[np.ndarray, np.ndarray]:
        """Return (in name, in another field) masks for ``term`` from the in-memory postings."""
        word_ids = self.base.vocabulary.find(term.text, term.whole_word)
        flags = np.zeros(self.size, dtype=np.uint8)
        if len(word_ids) <= 8:
            # A document appears once per word: or-ing word by word needs no dedup.
            for word in word_ids.tolist():
                positions, word_flags = self.base.word_postings(np.asarray([word]))
                flags[positions] |= word_flags
        else:
            positions, word_flags = self.base.word_postings(word_ids)
            for flag in (NAME, OTHER):
                flags[positions[(word_flags & flag) > 0]] |= flag
        for offset, (name_hit, other_hit) in enumerate(self._delta_hits(term)):
            flags[self.base.size + offset] = NAME * name_hit + OTHER * other_hit
        flags &= self.alive.view(np.uint8) * 3
        return (flags & NAME) > 0, (flags & OTHER) > 0

    def _delta_hits(self, term: Term) -> Iterable[tuple[bool, bool]]:
        if not term.whole_word:
            return ((term.text in doc.name, term.text in doc.other) for doc in self.delta)
        if self._delta_words is None:
            self._delta_words = [(_words(doc.name), _words(doc.other)) for doc in self.delta]
        return ((term.text in name, term.text in other) for name, other in self._delta_words)

    def name_hits(self, positions: np.ndarray, term: Term) -> np.ndarray:
        """Return which of ``positions`` hold ``term`` inside their name."""
        names = self.names
        return np.fromiter(
            (term.text in names[p] for p in positions.tolist()), dtype=bool, count=len(positions)
        )


def _delta_ranks(base: Segment, delta: Sequence[IndexedDoc]) -> np.ndarray:
    """Place changed documents between the segment's names, keeping (name, id) order."""
    if not delta:
        return np.empty(0, dtype=np.float64)
    keys = base.sorted_keys()
    order = sorted(range(len(delta)), key=lambda i: (delta[i].name, delta[i].id))
    ranks = np.empty(len(delta), dtype=np.float64)
    for step, i in enumerate(order):
        slot = bisect.bisect_left(keys, (delta[i].name, delta[i].id))
        ranks[i] = slot - 0.5 + step / (2 * len(delta) + 2)
    return ranks


def _values(column: FilterColumn, key: str, delta: Sequence[IndexedDoc]) -> list[str]:
    """The segment's values followed by those only changed documents hold."""
    values = list(column.values)
    known = set(values)
    for doc in delta:
        for value in doc.filters.get(key, ()):
            if value not in known:
                known.add(value)
                values.append(value)
    return values


def _delta_column(
    column: FilterColumn, key: str, delta: Sequence[IndexedDoc], n: int
) -> FilterColumn:
    values = _values(column, key, delta)
    code = {value: index for index, value in enumerate(values)}
    pairs = [(n + offset, code[v]) for offset, doc in enumerate(delta) for v in doc.filters[key]]
    positions = np.asarray([p for p, _ in pairs], dtype=np.int64)
    codes = np.asarray([c for _, c in pairs], dtype=np.int64)
    return FilterColumn(positions, codes, values)
