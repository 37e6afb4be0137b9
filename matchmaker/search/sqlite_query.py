"""Run a validated query against a snapshot: masks, facet counts, ranking.

Everything is a boolean array over document positions, so filters, the
disjunctive facets and the ranking of 100k documents stay a few milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from matchmaker.search.base import FILTER_KEYS, SearchQuery
from matchmaker.search.sqlite_snapshot import Snapshot
from matchmaker.search.text import Term

# BM25F over presence per field: descriptions are short, so how often a word is
# repeated says little, while where it occurs (the name) and the field length do.
K1 = 1.2
B = 0.75
NAME_WEIGHT = 3.0

TermMasks = tuple[np.ndarray, np.ndarray]
# Returns the (in name, in other fields) masks of a term from FTS5, or None when
# FTS5 is the slower way for it (a common term).
TermLookup = Callable[[Term], TermMasks | None]


@dataclass(frozen=True)
class Ranked:
    total: int
    positions: list[int]
    scores: list[float]
    facets: dict[str, dict[str, int]]


def execute(
    snapshot: Snapshot, query: SearchQuery, terms: Sequence[Term], lookup: TermLookup
) -> Ranked:
    """Return the page of ``query`` (validated) as positions in ``snapshot``."""
    matched = snapshot.visible(query.visibilities).copy()
    per_term: list[TermMasks] = []
    for term in terms:
        masks = lookup(term) or snapshot.term_masks(term)
        per_term.append(masks)
        matched &= masks[0] | masks[1]
    filter_masks = {key: snapshot.filter_mask(key, values) for key, values in query.filters.items()}
    selected = matched.copy()
    for mask in filter_masks.values():
        selected &= mask
    facets = facet_counts(snapshot, query, matched, selected, filter_masks)
    candidates = np.flatnonzero(selected)
    scores = _bm25f(snapshot, candidates, per_term) if terms else np.zeros(len(candidates))
    by_name = not terms or query.sort == "name"
    top = _top(candidates, scores, snapshot.rank[candidates], query.page * query.per_page, by_name)
    page = top[(query.page - 1) * query.per_page :]
    return Ranked(
        total=len(candidates),
        positions=candidates[page].tolist(),
        scores=[round(float(s), 6) for s in scores[page]],
        facets=facets,
    )


def facet_counts(
    snapshot: Snapshot,
    query: SearchQuery,
    matched: np.ndarray,
    selected: np.ndarray,
    filter_masks: dict[str, np.ndarray],
) -> dict[str, dict[str, int]]:
    """Count values per filter key, applying every filter but the key's own."""
    facets = {}
    for key in FILTER_KEYS:
        mask = selected
        if key in filter_masks:
            mask = matched.copy()
            for other, other_mask in filter_masks.items():
                if other != key:
                    mask &= other_mask
        counts = snapshot.value_counts(key, mask, query.visibilities)
        facets[key] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return facets


def _bm25f(snapshot: Snapshot, candidates: np.ndarray, per_term: Sequence[TermMasks]):
    alive, average_name, average_other = snapshot.length_stats()
    name_norm = 1 - B + B * snapshot.name_len[candidates] / average_name
    other_norm = 1 - B + B * snapshot.other_len[candidates] / average_other
    scores = np.zeros(len(candidates))
    for in_name, in_other in per_term:
        df = int(np.count_nonzero(in_name | in_other))
        idf = math.log(1 + (alive - df + 0.5) / (df + 0.5))
        weight = NAME_WEIGHT * in_name[candidates] / name_norm + in_other[candidates] / other_norm
        scores += idf * weight * (K1 + 1) / (weight + K1)
    return scores


def _top(candidates, scores, ranks, limit: int, by_name: bool) -> np.ndarray:
    """Return indexes into ``candidates`` of the first ``limit`` in result order."""
    index = np.arange(len(candidates))
    if len(candidates) > 2 * limit:
        # Only the best ``limit`` (plus ties at the border) need a full sort.
        if by_name:
            index = np.argpartition(ranks, limit - 1)[:limit]
        else:
            border = np.partition(scores, len(scores) - limit)[len(scores) - limit]
            index = np.flatnonzero(scores >= border)
    keys = (ranks[index],) if by_name else (ranks[index], -scores[index])
    return index[np.lexsort(keys)][:limit]
