"""Partner recommendations: a live heterogeneous graph scored by a short random walk.

The ``networkx`` graph is the model (see :mod:`.graph`); two sparse matrices built
from it once (org×attribute and org×org, :mod:`.state`) carry the walk
(:mod:`.scoring`) and take point updates (:mod:`.matrix`), so
``upsert``/``remove``/``add_interaction`` cost microseconds to a few milliseconds and
show in the very next ``recommend``. One lock serialises everything: gunicorn
threads share an instance and a request is a few milliseconds of numpy.
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

from .explain import Reason, explain
from .graph import (
    BUYER,
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
from .scoring import WalkParams, walk
from .state import WalkState, resized

__all__ = ["Reason", "Recommendation", "Recommender", "WalkParams"]

_KIND_CODES = {PROVIDER: 0, BUYER: 1}
_FAMILY_BITS = {family: 1 << index for index, family in enumerate(FAMILIES)}


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
            slot = self._slots[org_id]
            source_kind = int(self._kind[slot])
            if limit <= 0 or not self._families[slot] or source_kind < 0:
                return []
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
            rank = result.score
            if self.params.damping:
                rank = rank * state.inv_org[:n] ** self.params.damping
            top = _top(rank, candidates, self._ids[:n], limit)
            source_edges = self._attributes(org_node(org_id))
            index, flow = state.attr_index, result.attribute_flow
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
                    ),
                )
                for t in top
            ]

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
