"""The walk's numeric mirror of the graph: two live matrices and the degrees.

Slots index organizations (rows) and columns index attribute nodes. While the
``Recommender`` loads its first documents the matrices do not exist yet and the
shifts are skipped; :meth:`WalkState.load` then reads the finished graph once.
After that every graph change is mirrored here as a point update.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping

import networkx as nx
import numpy as np

from .graph import ORG, Node
from .matrix import DTYPE, LiveMatrix
from .scoring import inverse

# Fold pending matrix entries into the base once they reach this share of it.
COMPACT_SHARE = 1 / 32
COMPACT_MIN = 4096


class WalkState:
    """Org×attribute and org×org weights, weighted degrees and their inverses.

    ``deg`` is each organization's whole weighted degree, ``deg_pairs`` the part over
    interaction edges.
    """

    def __init__(self) -> None:
        self.attr_index: dict[Node, int] = {}
        self.loaded = False

    def load(self, graph: nx.Graph, slots: Mapping[int, int], rows: int, capacity: int) -> None:
        """Read the graph's weighted edges into the two CSR matrices and the degrees."""
        attr_rows, attr_cols, attr_vals = array("q"), array("q"), array("d")
        org_rows, org_cols, org_vals = array("q"), array("q"), array("d")
        columns = self.attr_index
        for node, neighbours in graph.adjacency():
            if node[0] != ORG:
                continue
            slot = slots[node[1]]
            for other, data in neighbours.items():
                if other[0] != ORG:
                    attr_rows.append(slot)
                    attr_cols.append(columns[other])
                    attr_vals.append(data["weight"])
                elif data["weight"]:  # each org-org edge is met from both ends
                    org_rows.append(slot)
                    org_cols.append(slots[other[1]])
                    org_vals.append(data["weight"])
        shape = (rows, len(columns))
        self.orgs_attrs = LiveMatrix.from_entries(attr_rows, attr_cols, attr_vals, shape)
        self.orgs_orgs = LiveMatrix.from_entries(org_rows, org_cols, org_vals, (rows, rows))
        self.capacity = capacity
        self._refresh_degrees()
        self.loaded = True

    def attr_col(self, attr: Node) -> int:
        col = self.attr_index.get(attr)
        if col is None:
            col = self.attr_index[attr] = len(self.attr_index)
            if self.loaded:
                self.deg_attr = np.append(self.deg_attr, 0.0)
                self.inv_attr = np.append(self.inv_attr, 0.0)
                self.orgs_attrs.resize(self.orgs_attrs.shape[0], col + 1)
        return col

    def grow(self, rows: int, capacity: int) -> None:
        """Make room for organization slots up to ``rows`` (arrays sized ``capacity``)."""
        if not self.loaded:
            return
        if capacity > self.capacity:
            self.capacity = capacity
            self.deg = resized(self.deg, capacity, 0.0)
            self.inv_org = resized(self.inv_org, capacity, 0.0)
            self.deg_pairs = resized(self.deg_pairs, capacity, 0.0)
        self.orgs_attrs.resize(rows, self.orgs_attrs.shape[1])
        self.orgs_orgs.resize(rows, rows)

    def shift_attr(self, slot: int, attr: Node, delta: float) -> None:
        """Change the weight of one org–attribute edge by ``delta``."""
        col = self.attr_col(attr)
        if not self.loaded:
            return
        self.orgs_attrs.add(slot, col, delta)
        self.deg[slot] += delta
        self.deg_attr[col] += delta
        self.inv_org[slot] = 1.0 / self.deg[slot] if self.deg[slot] > 0 else 0.0
        self.inv_attr[col] = 1.0 / self.deg_attr[col] if self.deg_attr[col] > 0 else 0.0

    def shift_pair(self, a: int, b: int, delta: float) -> None:
        """Change the weight of one org–org edge by ``delta`` (both directions)."""
        if not self.loaded:
            return
        self.orgs_orgs.add(a, b, delta)
        self.orgs_orgs.add(b, a, delta)
        for slot in (a, b):
            self.deg[slot] += delta
            self.deg_pairs[slot] += delta
            self.inv_org[slot] = 1.0 / self.deg[slot] if self.deg[slot] > 0 else 0.0

    def maybe_compact(self) -> None:
        """Fold pending entries into the base CSRs once they pile up (O(nnz), rare)."""
        compacted = False
        for matrix in (self.orgs_attrs, self.orgs_orgs):
            if matrix.churn > max(COMPACT_MIN, matrix.nnz * COMPACT_SHARE):
                matrix.compact()
                compacted = True
        if compacted:
            self._refresh_degrees()

    def _refresh_degrees(self) -> None:
        """Recompute degrees from the matrices, dropping any drift of the running sums."""
        attrs, orgs = self.orgs_attrs.to_csr(), self.orgs_orgs.to_csr()
        pairs = np.asarray(orgs.sum(axis=1), dtype=DTYPE)
        self.deg_pairs = resized(pairs, self.capacity, 0.0)
        self.deg = resized(np.asarray(attrs.sum(axis=1), dtype=DTYPE) + pairs, self.capacity, 0.0)
        self.inv_org = inverse(self.deg)
        self.deg_attr = np.asarray(attrs.sum(axis=0), dtype=DTYPE)
        self.inv_attr = inverse(self.deg_attr)


def resized(values: np.ndarray, size: int, fill) -> np.ndarray:
    """A copy of ``values`` cut or padded with ``fill`` to ``size``."""
    out = np.full(size, fill, dtype=values.dtype)
    out[: min(size, len(values))] = values[:size]
    return out
