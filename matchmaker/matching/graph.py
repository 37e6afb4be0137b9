"""The heterogeneous partner graph and the vocabulary of its nodes and edges.

Organizations are joined to the attribute nodes they offer, seek, serve or speak,
and to each other by interactions. Nodes are tuples ``(type, code)`` such as
``("org", 17)`` or ``("service", "ito.software_rd")`` so one ``networkx.Graph``
holds every type without id clashes.

A buyer links to its own country and market groups; a provider links instead to
the markets it *targets* (a group code or a country), so a provider targeting
``belt_and_road`` shares a node with every buyer in a Belt and Road country. A
provider's own country is deliberately not linked: buyers pick providers by what
they offer and whom they serve, and linking ~all providers to ``CN`` would only
add a hub.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

import networkx as nx

from matchmaker.reference import MARKET_GROUPS, family_of

Node = tuple[str, int | str]

ORG = "org"
SERVICE = "service"
FAMILY = "family"
COUNTRY = "country"
MARKET = "market"
LANGUAGE = "language"
INDUSTRY = "industry"
CERTIFICATION = "certification"

# Edge weights steer the walk: a shared service says much more than a shared family,
# and nearly everyone speaks English. Tuned on benchmarks/recommend_eval.py; multiples
# of 1/4 keep incremental degree sums exact in binary floating point.
ATTRIBUTE_WEIGHTS: dict[str, float] = {
    SERVICE: 4.0,
    FAMILY: 1.0,
    COUNTRY: 1.0,
    MARKET: 1.0,
    LANGUAGE: 0.5,
    INDUSTRY: 1.0,
    CERTIFICATION: 0.75,
}

SAVED = "saved"
DISMISSED = "dismissed"
MEETING_REQUEST = "meeting_request"
MEETING = "meeting"
PARTNER = "partner"
# Positive interactions become org–org edges. They outweigh most of a profile's
# attributes: what firms do says more than what they declare. One weight for every
# kind: grading them by commitment (saved 2 … partner 4) measured worse on seed 7 of
# benchmarks/recommend_eval.py (a save is as telling of taste as a meeting).
INTERACTION_WEIGHT = 3.0
INTERACTION_WEIGHTS: dict[str, float] = {
    SAVED: INTERACTION_WEIGHT,
    MEETING_REQUEST: INTERACTION_WEIGHT,
    MEETING: INTERACTION_WEIGHT,
    PARTNER: INTERACTION_WEIGHT,
}
INTERACTION_KINDS: tuple[str, ...] = (SAVED, DISMISSED, MEETING_REQUEST, MEETING, PARTNER)

PROVIDER = "provider"
BUYER = "buyer"


_EDGE_KEYS = ("weight", "marks")


class EdgeData(MutableMapping):
    """Edge attributes in two slots instead of a dict.

    A 100k-organization graph has ~1.3M edges; a one-key dict costs ~180 bytes, this
    ~50, which saves ~170 MB per worker. Only ``weight`` and ``marks`` (org–org
    edges: the interaction bit mask) can be set.
    """

    __slots__ = _EDGE_KEYS

    def __getitem__(self, key: str) -> Any:
        try:
            return getattr(self, key) if key in _EDGE_KEYS else self._missing(key)
        except AttributeError:
            raise KeyError(key) from None

    @staticmethod
    def _missing(key: str) -> Any:
        raise KeyError(key)

    def __setitem__(self, key: str, value: Any) -> None:
        if key not in _EDGE_KEYS:
            raise KeyError(f"partner graph edges only hold {_EDGE_KEYS}, not {key!r}")
        setattr(self, key, value)

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        delattr(self, key)

    def update(self, other: Any = (), /, **kwargs: Any) -> None:
        """Faster than ``MutableMapping.update``: networkx calls it for every new edge."""
        if other:
            for key, value in other.items() if hasattr(other, "items") else other:
                self[key] = value
        for key, value in kwargs.items():
            self[key] = value

    def __iter__(self) -> Iterator[str]:
        return (key for key in _EDGE_KEYS if hasattr(self, key))

    def __len__(self) -> int:
        return sum(1 for _key in self)

    def __repr__(self) -> str:
        return repr(dict(self))


class PartnerGraph(nx.Graph):
    """An undirected ``networkx`` graph whose edges keep their attributes in slots."""

    edge_attr_dict_factory = EdgeData


def org_node(org_id: int) -> Node:
    return (ORG, org_id)


def attribute_edges(doc: Mapping) -> dict[Node, float]:
    """Return the attribute nodes an organization document links to, with edge weights."""
    edges: dict[Node, float] = {}

    def link(node_type: str, codes) -> None:
        for code in codes or ():
            edges[(node_type, code)] = ATTRIBUTE_WEIGHTS[node_type]

    services = list(doc.get("services") or ())
    link(SERVICE, services)
    families = dict.fromkeys(family_of(code) for code in services)
    link(FAMILY, families)
    if doc.get("kind") == PROVIDER:
        for code in doc.get("target_markets") or ():
            link(MARKET if code in MARKET_GROUPS else COUNTRY, (code,))
    else:
        if doc.get("country"):
            link(COUNTRY, (doc["country"],))
        link(MARKET, doc.get("markets"))
    link(LANGUAGE, doc.get("languages"))
    link(INDUSTRY, doc.get("industries"))
    link(CERTIFICATION, doc.get("certifications"))
    return edges


# Interactions of one unordered pair are kept as a bit mask: one bit per
# (direction, kind), so a pair costs one small int instead of a set of tuples.
_KINDS_COUNT = len(INTERACTION_KINDS)


def pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def mark_bit(source: int, target: int, kind: str) -> int:
    """The bit recording that ``source`` did ``kind`` to ``target``."""
    if kind not in INTERACTION_KINDS:
        raise ValueError(f"unknown interaction kind {kind!r}")
    direction = 0 if source < target else 1
    return 1 << (INTERACTION_KINDS.index(kind) + direction * _KINDS_COUNT)


def pair_weight(mask: int) -> float:
    """Weight of the org–org edge: the positive interactions of both sides, summed."""
    total = 0.0
    for index, kind in enumerate(INTERACTION_KINDS):
        both = (mask >> index & 1) + (mask >> (index + _KINDS_COUNT) & 1)
        if both:
            total += both * INTERACTION_WEIGHTS.get(kind, 0.0)
    return total


def is_partner(mask: int) -> bool:
    index = INTERACTION_KINDS.index(PARTNER)
    return bool(mask & (1 << index | 1 << (index + _KINDS_COUNT)))


def dismissed_by(pair: tuple[int, int], mask: int, source: int) -> bool:
    return bool(mask & mark_bit(source, pair[1] if source == pair[0] else pair[0], DISMISSED))
