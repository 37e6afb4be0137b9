"""One process's view of the index: the stored segment plus the documents changed since.

Documents written after the segment was built (the "delta") are appended as
extra positions; their old positions in the segment (or earlier in the delta)
are marked dead. A newer snapshot on the same segment extends the previous one
with only the documents changed since (``extend``), so a search after a save
costs as much as that save's documents, not the whole delta. The delta stays
bounded because it is folded into a new segment in the background past a
threshold (see sqlite_merge).
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
    # Live delta documents: id -> position, and per name slot of the segment (see
    # _rank_slots) the (name, id, position) of those sorting into it, in order.
    _delta_positions: dict[int, int] = field(default_factory=dict)
    _slots: dict[int, list[tuple[str, int, int]]] = field(default_factory=dict)
    _delta_slots: list[int] = field(default_factory=list)
    # Words of the delta's first documents, made on first use by a whole-word term and
    # handed on by extend(): never changed in place, only replaced by a longer list.
    _delta_words: list[tuple[set[str], set[str]]] = field(default_factory=list)
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
        return cls.extend(cls._of_segment(base, generation), delta, deleted, version, generation)

    @classmethod
    def _of_segment(cls, base: Segment, generation: int) -> Snapshot:
        empty = np.empty(0, dtype=np.int64)
        return cls(
            version=base.seq,
            generation=generation,
            base=base,
            delta=[],
            ids=base.ids,
            alive=np.ones(base.size, dtype=bool),
            visibility=base.visibility,
            names=base.names,
            rank=base.name_rank.astype(np.float64),
            name_len=base.name_len,
            other_len=base.other_len,
            values={key: list(base.filters[key].values) for key in FILTER_KEYS},
            delta_filters={
                key: FilterColumn(empty, empty, base.filters[key].values) for key in FILTER_KEYS
            },
        )

    @classmethod
    def extend(
        cls,
        previous: Snapshot,
        changed: Sequence[IndexedDoc],
        deleted: Iterable[int],
        version: int,
        generation: int,
    ) -> Snapshot:
        """Return ``previous`` with ``changed`` (re)written and ``deleted`` gone.

        ``previous`` is not modified: searches may still be using it.
        """
        base = previous.base
        n, start = base.size, previous.size
        changed = list({doc.id: doc for doc in changed}.values())
        alive = np.concatenate([previous.alive, np.ones(len(changed), dtype=bool)])
        positions = dict(previous._delta_positions)
        slots = dict(previous._slots)
        delta_slots = list(previous._delta_slots)
        touched: set[int] = set()
        gone = [*deleted, *(doc.id for doc in changed)]
        for org_id in gone:
            position = positions.pop(org_id, None)
            if position is not None:  # an older version in the delta
                alive[position] = False
                slot = delta_slots[position - n]
                if slot not in touched:
                    slots[slot] = list(slots[slot])
                    touched.add(slot)
                slots[slot] = [entry for entry in slots[slot] if entry[2] != position]
        gone_ids = np.asarray(gone, dtype=np.int64)
        where = np.searchsorted(base.ids, gone_ids)
        where = where[where < n]
        alive[where[np.isin(base.ids[where], gone_ids)]] = False
        keys = base.sorted_keys() if changed else []
        for offset, doc in enumerate(changed):
            position = start + offset
            positions[doc.id] = position
            slot = bisect.bisect_left(keys, (doc.name, doc.id))
            delta_slots.append(slot)
            if slot not in touched:
                slots[slot] = list(slots.get(slot, ()))
                touched.add(slot)
            bisect.insort(slots[slot], (doc.name, doc.id, position))
        rank = np.concatenate([previous.rank, np.zeros(len(changed), dtype=np.float64)])
        _rank_slots(rank, slots, touched)
        values = {key: _values(previous.values[key], key, changed) for key in FILTER_KEYS}
        return cls(
            version=version,
            generation=generation,
            base=base,
            delta=previous.delta + changed,
            ids=np.concatenate([previous.ids, np.asarray([d.id for d in changed], np.int64)]),
            alive=alive,
            visibility=np.concatenate(
                [previous.visibility, np.asarray([d.visibility for d in changed], dtype=np.int8)]
            ),
            names=previous.names + [doc.name for doc in changed],
            rank=rank,
            name_len=np.concatenate(
                [previous.name_len, np.asarray([len(d.name.split()) for d in changed], np.float32)]
            ),
            other_len=np.concatenate(
                [
                    previous.other_len,
                    np.asarray([len(d.other.split()) for d in changed], np.float32),
                ]
            ),
            values=values,
            delta_filters={
                key: _extend_column(previous.delta_filters[key], key, values[key], changed, start)
                for key in FILTER_KEYS
            },
            _delta_positions=positions,
            _slots=slots,
            _delta_slots=delta_slots,
            _delta_words=previous._delta_words,
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
        words = self._delta_words
        if len(words) < len(self.delta):
            words = words + [(_words(d.name), _words(d.other)) for d in self.delta[len(words) :]]
            self._delta_words = words
        return ((term.text in name, term.text in other) for name, other in words)

    def name_hits(self, positions: np.ndarray, term: Term) -> np.ndarray:
        """Return which of ``positions`` hold ``term`` inside their name."""
        names = self.names
        return np.fromiter(
            (term.text in names[p] for p in positions.tolist()), dtype=bool, count=len(positions)
        )


def _rank_slots(
    rank: np.ndarray, slots: dict[int, list[tuple[str, int, int]]], touched: Iterable[int]
) -> None:
    """Rank the live delta documents of each touched slot between the segment's names.

    Slot ``s`` lies between the segment documents ranked s - 1 and s, so its k-th of g
    documents (in (name, id) order) ranks s - 1 + (k + 1) / (g + 1).
    """
    for slot in touched:
        entries = slots[slot]
        if not entries:
            del slots[slot]
            continue
        for k, (_, _, position) in enumerate(entries):
            rank[position] = slot - 1 + (k + 1) / (len(entries) + 1)


def _values(values: list[str], key: str, changed: Sequence[IndexedDoc]) -> list[str]:
    """The values known so far followed by those only the changed documents hold."""
    known = set(values)
    extra: list[str] = []
    for doc in changed:
        for value in doc.filters.get(key, ()):
            if value not in known:
                known.add(value)
                extra.append(value)
    return values + extra if extra else values


def _extend_column(
    column: FilterColumn, key: str, values: list[str], changed: Sequence[IndexedDoc], start: int
) -> FilterColumn:
    code = {value: index for index, value in enumerate(values)}
    pairs = [
        (start + offset, code[v]) for offset, doc in enumerate(changed) for v in doc.filters[key]
    ]
    positions = np.asarray([p for p, _ in pairs], dtype=np.int64)
    codes = np.asarray([c for _, c in pairs], dtype=np.int64)
    return FilterColumn(
        np.concatenate([column.positions, positions]), np.concatenate([column.codes, codes]), values
    )
