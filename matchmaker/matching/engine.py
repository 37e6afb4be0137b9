"""Partner recommendations: a live heterogeneous graph, a short random walk over it, a
collaborative factor model and a learned ranker that blends them with profile fit.

The ``networkx`` graph is the model (see :mod:`.graph`); two sparse matrices built
from it once (org×attribute and org×org, :mod:`.state`) carry the walk
(:mod:`.scoring`) and take point updates (:mod:`.matrix`), so
``upsert``/``remove``/``add_interaction`` cost microseconds to a few milliseconds and
show in the very next ``recommend``. :meth:`Recommender.refit_factors` fits the factor
model (:mod:`.factors`) from a snapshot of the same matrices, off the lock; each
request folds its source in as it is now, and :mod:`.ranker` turns the walk, the
factors and the profiles into the final order. One lock serialises everything:
gunicorn threads share an instance and a request is a few milliseconds of numpy.
"""

from __future__ import annotations

import gc
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import networkx as nx
import numpy as np

from matchmaker.reference import FAMILIES, family_of

from . import factors, ranker
from .explain import Reason, explain
from .factors import Factors
from .graph import (
    ATTRIBUTE_WEIGHTS,
    BUYER,
    INTERACTION_WEIGHT,
    ORG,
    PROVIDER,
    Node,
    PartnerGraph,
    attribute_edges,
    dismissed_by,
    is_partner,
    mark_bit,
    org_node,
    pair_key,
    pair_weight,
)
from .scoring import Walk, WalkParams, walk
from .state import WalkState, resized

__all__ = ["Reason", "Recommendation", "Recommender", "WalkParams"]

_KIND_CODES = {PROVIDER: 0, BUYER: 1}


def _weighted(stage: int) -> str:
    """The name of one stage's weighted sum of the attribute features."""
    return f"weighted attributes {stage}"


# A candidate the factor model ranks in the top tenth of the pool gets the "peers" reason
# (naming firms like the source that met it), if there are any.
COLLABORATIVE_PERCENTILE = 0.9
_FAMILY_BITS = {family: 1 << index for index, family in enumerate(FAMILIES)}


@dataclass(frozen=True)
class _Request:
    slot: int
    pool: np.ndarray  # candidate slots
    walk: Walk
    partners: np.ndarray  # slots the source shares a positive interaction with
    situation: str


@dataclass(frozen=True)
class Recommendation:
    org_id: int
    score: float  # higher is better; comparable within one call only
    reasons: tuple[Reason, ...]


class Recommender:
    """Complementary partners (providers for buyers, buyers for providers), explained."""

    def __init__(
        self,
        docs: Iterable[Mapping],
        interactions: Iterable[tuple[int, int, str]],
        *,
        params: WalkParams | None = None,
    ) -> None:
        self.params = params or WalkParams()
        self._lock = threading.RLock()
        self._graph = PartnerGraph()
        self._slots: dict[int, int] = {}
        self._free: list[int] = []
        self._n = 0
        self._ids = np.empty(0, dtype=np.int64)
        self._kind = np.empty(0, dtype=np.int8)
        self._families = np.empty(0, dtype=np.uint8)
        self._eligible = np.empty(0, dtype=bool)
        self._state = WalkState()
        self._factors: Factors | None = None
        self._types = np.empty(0, dtype=np.int64)
        self._type_weights = np.empty(0)
        # Interactions whose other side is not (or no longer) in the graph, kept so an
        # organization that comes back finds its edges again.
        self._detached: dict[tuple[int, int], int] = {}
        self._detached_of: defaultdict[int, set[tuple[int, int]]] = defaultdict(set)
        with _gc_paused():
            for doc in docs:
                self._place(doc)
            for source, target, kind in interactions:
                self._mark(source, target, kind, add=True)
            self._state.load(self._graph, self._slots, self._n, len(self._ids))

    # -- public API -----------------------------------------------------------------

    @property
    def graph(self) -> nx.Graph:
        """The live graph (read it under no other thread's writes; never mutate it)."""
        return self._graph

    def __len__(self) -> int:
        return len(self._slots)

    def __contains__(self, org_id: object) -> bool:
        return org_id in self._slots

    def upsert(self, doc: Mapping) -> None:
        """Add or replace one organization document."""
        with self._lock:
            self._place(doc)
            self._state.maybe_compact()

    def remove(self, org_id: int) -> None:
        """Drop an organization (unknown ids are ignored); its interactions are kept aside."""
        with self._lock:
            slot = self._slots.pop(org_id, None)
            if slot is None:
                return
            node = org_node(org_id)
            for other, data in list(self._graph.adj[node].items()):
                if other[0] == ORG:
                    pair = pair_key(org_id, other[1])
                    self._detach(pair, data["marks"])
                    if data["weight"]:
                        self._state.shift_pair(slot, self._slots[other[1]], -data["weight"])
                else:
                    self._state.shift_attr(slot, other, -data["weight"])
            self._graph.remove_node(node)
            self._ids[slot] = -1
            self._kind[slot] = -1
            self._families[slot] = 0
            self._eligible[slot] = False
            self._free.append(slot)
            self._state.maybe_compact()

    def add_interaction(self, source: int, target: int, kind: str) -> None:
        """Record that ``source`` did ``kind`` (saved, dismissed, meeting...) to ``target``."""
        with self._lock:
            self._mark(source, target, kind, add=True)
            self._state.maybe_compact()

    def remove_interaction(self, source: int, target: int, kind: str) -> None:
        """Forget one interaction (a no-op when it was never recorded)."""
        with self._lock:
            self._mark(source, target, kind, add=False)
            self._state.maybe_compact()

    def recommend(
        self, org_id: int, limit: int = 10, *, exclude: Iterable[int] = ()
    ) -> list[Recommendation]:
        """Best complementary partners for ``org_id``; ``exclude`` drops more ids.

        Raises ``KeyError`` for an unknown organization; returns ``[]`` when it has
        no services (nothing to match on).
        """
        with self._lock:
            request = self._request(org_id, exclude)
            if request is None or limit <= 0 or not len(request.pool):
                return []
            if self._factors is None:
                # Before the first factor fit: the walk alone, as it ranks on its own.
                pool_rank = request.walk.score[request.pool]
                collab_rank = np.zeros(len(request.pool))
            else:
                pool_rank, collab_rank = self._ranked(request)
            n = self._n
            rank = np.full(n, -np.inf)
            rank[request.pool] = pool_rank
            collaborative = np.zeros(n, dtype=bool)
            collaborative[request.pool] = collab_rank >= COLLABORATIVE_PERCENTILE
            candidates = np.zeros(n, dtype=bool)
            candidates[request.pool] = True
            top = _top(rank, candidates, self._ids[:n], limit)
            source_edges = self._attributes(org_node(org_id))
            index, result = self._state.attr_index, request.walk
            flow = result.attribute_flow
            return [
                Recommendation(
                    int(self._ids[t]),
                    float(rank[t]),
                    explain(
                        source_edges,
                        self._attributes(org_node(int(self._ids[t]))),
                        lambda node: float(flow[index[node]]),
                        float(result.peer_flow[t]),
                        float(result.score[t]),
                        self._lookalikes(request, t),
                        bool(collaborative[t]),
                    ),
                )
                for t in top
            ]

    def _ranked(self, request: _Request) -> tuple[np.ndarray, np.ndarray]:
        """Scores over the pool: the first stage's weights rank it all, the second's
        re-rank its head; and the factor model's percentiles."""
        first, second = ranker.WEIGHTS[request.situation], ranker.RERANK[request.situation]
        columns = dict(self._features(request, (first, second)))

        def score(weights: Mapping[str, float], stage: int, rows) -> np.ndarray:
            total = columns[_weighted(stage)][rows].copy()
            for name in ranker.BASE_FEATURES:
                total += weights[name] * columns[name][rows]
            return total

        everything = slice(None)
        first_score = score(first, 0, everything)
        # The head is always the same size, so a longer list extends a shorter one.
        depth = min(len(request.pool), ranker.RERANK_DEPTH)
        head = np.argpartition(-first_score, depth - 1)[:depth]
        second_score = score(second, 1, head)
        # Strengths in (0, 1], 1 for the best, comparable within one call: the head by
        # the second stage, then the rest by the first, below the head's weakest.
        pool_rank = np.exp(first_score - first_score.max())
        shown = np.exp(second_score - second_score.max())
        rest = np.ones(len(request.pool), dtype=bool)
        rest[head] = False
        if rest.any() and pool_rank[rest].max() > 0:
            pool_rank[rest] *= 0.5 * shown.min() / pool_rank[rest].max()
        pool_rank[head] = shown
        return pool_rank, columns["collab_rank"]

    def _lookalikes(self, request: _Request, slot: int, count: int = 3) -> tuple[int, ...]:
        """Up to ``count`` organizations of the source's kind that met or saved ``slot``,
        the closest to the source (by the walk) first."""
        cols, vals = self._state.orgs_orgs.row(slot)
        others = np.unique(cols[vals > 0])
        source_kind = self._kind[request.slot]
        others = others[(others != request.slot) & (self._kind[others] == source_kind)]
        if not len(others):
            return ()
        closeness = request.walk.score[others]
        order = np.lexsort((self._ids[others], -closeness))[:count]
        return tuple(int(self._ids[others[i]]) for i in order)

    def features(
        self, org_id: int, *, exclude: Iterable[int] = ()
    ) -> tuple[str, np.ndarray, np.ndarray] | None:
        """The ranker's inputs for one source: its situation, the candidate ids and a
        candidates × :data:`ranker.FEATURES` matrix (for ``benchmarks/fit_ranker.py``)."""
        with self._lock:
            request = self._request(org_id, exclude)
            if request is None:
                return None
            columns = dict(self._features(request))
            matrix = np.column_stack([columns[name] for name in ranker.FEATURES])
            return request.situation, self._ids[request.pool].copy(), matrix

    # -- the collaborative factors ----------------------------------------------------

    @property
    def factors(self) -> Factors | None:
        """The current factor fit (``None`` before the first)."""
        return self._factors

    def refit_factors(self, *, threads: int = 1, seed: int = 0) -> Factors:
        """Fit the factor model on the graph as it is now and start using it.

        Reads a snapshot under the lock, fits outside it (requests go on with the
        previous fit) and swaps the result in.
        """
        with self._lock:
            orgs_orgs = self._state.orgs_orgs.to_csr()
            orgs_attrs = self._state.orgs_attrs.to_csr()
            ids = self._ids[: self._n].copy()
        fitted = factors.fit(orgs_orgs, orgs_attrs, ids, seed=seed, threads=threads)
        with self._lock:
            self._factors = fitted
        return fitted

    def _request(self, org_id: int, exclude: Iterable[int]) -> _Request | None:
        slot = self._slots[org_id]
        source_kind = int(self._kind[slot])
        if not self._families[slot] or source_kind < 0:
            return None
        blocked, dismissed = self._blocked(org_id, exclude)
        state = self._state
        result = walk(
            state.orgs_attrs,
            state.orgs_orgs,
            state.inv_org[: self._n],
            state.inv_attr,
            slot,
            np.asarray(dismissed, dtype=np.int64),
            self.params,
        )
        n = self._n
        candidates = (
            self._eligible[:n]
            & (self._kind[:n] == 1 - source_kind)
            & ((self._families[:n] & self._families[slot]) != 0)
        )
        candidates[blocked] = False
        partner_cols, partner_vals = state.orgs_orgs.row(slot)
        partners = np.unique(partner_cols[partner_vals > 0])
        return _Request(
            slot=slot,
            pool=np.flatnonzero(candidates),
            walk=result,
            partners=partners,
            situation=ranker.situation(source_kind == 0, len(partners) > 0),
        )

    def _features(
        self, request: _Request, combine: Iterable[Mapping[str, float]] | None = None
    ) -> Iterator[tuple[str, np.ndarray]]:
        """Feature columns over the request's pool; with ``combine`` (sets of weights),
        the attribute features come as one already-weighted column per set,
        ``_weighted(i)`` (one sparse product each, not 14)."""
        state, pool, slot = self._state, request.pool, request.slot
        attr_cols, attr_vals = state.orgs_attrs.row(slot)
        own_cols = attr_cols[attr_vals > 0]
        fitted = self._factors
        if fitted is not None:
            user = fitted.fold_in(request.partners, own_cols)
            collab = fitted.item_scores(user, self._ids[: self._n])[pool]
        else:
            collab = np.zeros(len(pool))
        interactions = state.deg_pairs[pool] / INTERACTION_WEIGHT
        yield from ranker.base_features(
            request.walk.score[pool], collab, request.walk.peer_flow[pool], interactions
        ).items()
        types, type_weight = self._column_types()
        own = np.zeros(len(types))
        own[own_cols] = 1.0
        if len(request.partners):
            partners = (
                state.orgs_attrs.rmatvec_rows(request.partners, np.ones(len(request.partners)))
                / type_weight
            )
        else:
            partners = np.zeros(len(types))
        vectors = ranker.attribute_vectors(types, own, partners)
        if combine is not None:
            for stage, weights in enumerate(combine):
                combined = sum(weights[name] * vector for name, vector in vectors.items())
                yield _weighted(stage), state.orgs_attrs.matvec(combined / type_weight)[pool]
            return
        for name, vector in vectors.items():
            yield name, state.orgs_attrs.matvec(vector / type_weight)[pool]

    def _column_types(self) -> tuple[np.ndarray, np.ndarray]:
        """Each attribute column's type index and edge weight (cached until columns grow)."""
        index = self._state.attr_index
        if len(self._types) != len(index):
            self._types = np.array(
                [ranker.ATTRIBUTE_TYPES.index(node[0]) for node in index], dtype=np.int64
            )
            self._type_weights = np.array(
                [ATTRIBUTE_WEIGHTS[ranker.ATTRIBUTE_TYPES[t]] for t in self._types]
            )
        return self._types, self._type_weights

    # -- graph maintenance ------------------------------------------------------------

    def _place(self, doc: Mapping) -> None:
        """Put one document into the graph and the slot table (and the matrices once built)."""
        org_id = int(doc["id"])
        node = org_node(org_id)
        slot = self._slots.get(org_id)
        is_new = slot is None
        if is_new:
            slot = self._free.pop() if self._free else self._grow()
            self._slots[org_id] = slot
            self._ids[slot] = org_id
        old = self._attributes(node) if not is_new else {}
        new = attribute_edges(doc)
        self._graph.add_node(node, kind=doc.get("kind"), visibility=doc.get("visibility"))
        for attr, weight in old.items():
            if new.get(attr) != weight:
                self._graph.remove_edge(node, attr)
                self._state.shift_attr(slot, attr, -weight)
        added = [(attr, weight) for attr, weight in new.items() if old.get(attr) != weight]
        self._graph.add_edges_from((node, attr, {"weight": weight}) for attr, weight in added)
        for attr, weight in added:
            self._state.shift_attr(slot, attr, weight)
        services = doc.get("services") or ()
        self._kind[slot] = _KIND_CODES.get(doc.get("kind"), -1)
        self._families[slot] = sum(
            _FAMILY_BITS.get(family, 0) for family in {family_of(code) for code in services}
        )
        self._eligible[slot] = bool(services) and doc.get("visibility") != "hidden"
        if is_new:
            for pair in list(self._detached_of.get(org_id, ())):
                self._attach(pair)

    def _mark(self, source: int, target: int, kind: str, *, add: bool) -> None:
        """Set or clear one interaction bit, on the graph edge or aside if a side is absent."""
        if source == target:
            raise ValueError("an organization cannot interact with itself")
        bit = mark_bit(source, target, kind)
        pair = pair_key(source, target)
        edge = self._graph.get_edge_data(org_node(pair[0]), org_node(pair[1]))
        if edge is not None:
            self._set_pair(pair, edge["marks"] | bit if add else edge["marks"] & ~bit)
            return
        mask = self._detached.get(pair, 0)
        if mask:
            self._undetach(pair)
        mask = mask | bit if add else mask & ~bit
        if not mask:
            return
        if pair[0] in self._slots and pair[1] in self._slots:
            self._set_pair(pair, mask)
        else:
            self._detach(pair, mask)

    def _attach(self, pair: tuple[int, int]) -> None:
        """Turn a detached pair into an edge once both sides are present."""
        if pair[0] in self._slots and pair[1] in self._slots:
            mask = self._detached[pair]
            self._undetach(pair)
            self._set_pair(pair, mask)

    def _detach(self, pair: tuple[int, int], mask: int) -> None:
        self._detached[pair] = mask
        self._detached_of[pair[0]].add(pair)
        self._detached_of[pair[1]].add(pair)

    def _undetach(self, pair: tuple[int, int]) -> None:
        del self._detached[pair]
        for org_id in pair:
            pairs = self._detached_of[org_id]
            pairs.discard(pair)
            if not pairs:
                del self._detached_of[org_id]

    def _set_pair(self, pair: tuple[int, int], mask: int) -> None:
        """Give an attached pair its new interaction mask (0 removes the edge)."""
        u, v = org_node(pair[0]), org_node(pair[1])
        edge = self._graph.get_edge_data(u, v)
        old = edge["weight"] if edge else 0.0
        new = pair_weight(mask)
        if mask:
            self._graph.add_edge(u, v, weight=new, marks=mask)
        elif edge is not None:
            self._graph.remove_edge(u, v)
        if new != old:
            self._state.shift_pair(self._slots[pair[0]], self._slots[pair[1]], new - old)

    def _attributes(self, node: Node) -> dict[Node, float]:
        return {
            other: data["weight"]
            for other, data in self._graph.adj[node].items()
            if other[0] != ORG
        }

    def _blocked(self, org_id: int, exclude: Iterable[int]) -> tuple[list[int], list[int]]:
        """Slots never to recommend to ``org_id`` (itself, partners, dismissed, excluded)."""
        blocked, dismissed = [self._slots[org_id]], []
        for other, data in self._graph.adj[org_node(org_id)].items():
            if other[0] != ORG:
                continue
            pair, other_slot = pair_key(org_id, other[1]), self._slots[other[1]]
            if dismissed_by(pair, data["marks"], org_id):
                dismissed.append(other_slot)
                blocked.append(other_slot)
            elif is_partner(data["marks"]):
                blocked.append(other_slot)
        blocked.extend(self._slots[i] for i in exclude if i in self._slots)
        return blocked, dismissed

    def _grow(self) -> int:
        """A new slot at the end, growing the per-slot arrays by doubling."""
        slot = self._n
        self._n += 1
        if self._n > len(self._ids):
            size = max(1024, 2 * len(self._ids))
            self._ids = resized(self._ids, size, -1)
            self._kind = resized(self._kind, size, -1)
            self._families = resized(self._families, size, 0)
            self._eligible = resized(self._eligible, size, False)
        self._state.grow(self._n, len(self._ids))
        return slot


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector while loading millions of long-lived graph objects.

    Left on, it rescans the growing graph over and over (a third of the build time
    at 100k organizations) and finds nothing: the graph has no garbage cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _top(rank: np.ndarray, candidates: np.ndarray, ids: np.ndarray, limit: int) -> np.ndarray:
    """Slots of the ``limit`` best candidates; equal ranks go to the smaller org id."""
    pool = np.flatnonzero(candidates)
    if len(pool) > limit:
        values = rank[pool]
        kth = np.partition(values, len(values) - limit)[len(values) - limit]
        pool = pool[values >= kth]
    order = np.lexsort((ids[pool], -rank[pool]))
    return pool[order[:limit]]
