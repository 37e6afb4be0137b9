"""Why a partner was recommended: shared attribute nodes and peer paths, by weight.

Reasons only name real overlaps between the two profiles (a code both sides list,
or a market the provider targets that the buyer is in); the walk decides their
order, by how much score flowed through each shared node. ``peers`` appears when a
noticeable share of the score came over interaction edges of other organizations,
or the collaborative factor model put the candidate near the top, and names a few of
those organizations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from matchmaker.reference import family_of

from .graph import (
    CERTIFICATION,
    COUNTRY,
    FAMILY,
    INDUSTRY,
    LANGUAGE,
    MARKET,
    SERVICE,
    Node,
)

REASON_TYPES = ("service", "family", "market", "language", "industry", "certification", "peers")
_REASON_OF_NODE = {
    SERVICE: "service",
    FAMILY: "family",
    MARKET: "market",
    COUNTRY: "market",
    LANGUAGE: "language",
    INDUSTRY: "industry",
    CERTIFICATION: "certification",
}
# Share of a candidate's score that must come from peers' interactions to say so.
PEER_SHARE = 0.1


@dataclass(frozen=True)
class Reason:
    type: str
    code: str
    # For "peers": organizations of the reader's kind that met or saved the candidate,
    # closest to the reader first (the caller shows those the reader may see).
    organizations: tuple[int, ...] = ()


def explain(
    source: Mapping[Node, float],
    candidate: Mapping[Node, float],
    flow: Callable[[Node], float],
    peer_flow: float,
    total: float,
    lookalikes: tuple[int, ...] = (),
    collaborative: bool = False,
) -> tuple[Reason, ...]:
    """Reasons for one candidate, most important first.

    ``source`` and ``candidate`` map attribute nodes to edge weights; ``flow(node)``
    is the walk mass per unit edge weight that passed through ``node``; ``total`` is
    the candidate's raw score and ``peer_flow`` the part that came from peers.
    ``lookalikes`` are firms like the source that met or saved the candidate; they
    are named when the peers' part of the walk is noticeable or ``collaborative``
    (the factor model ranks the candidate high).
    """
    shared = [node for node in candidate if node in source]
    shared_families = {family_of(str(code)) for kind, code in shared if kind == SERVICE}
    weighted: list[tuple[float, Reason]] = []
    for node in shared:
        kind, code = node
        if kind == FAMILY and code in shared_families:
            continue  # "offers Software R&D" already says "works in ITO"
        weighted.append((flow(node) * candidate[node], Reason(_REASON_OF_NODE[kind], str(code))))
    walked = total > 0 and peer_flow >= PEER_SHARE * total
    if lookalikes and (walked or collaborative):
        weight = max(peer_flow, PEER_SHARE * total) if collaborative else peer_flow
        weighted.append((weight, Reason("peers", "", lookalikes)))
    weighted.sort(key=lambda item: (-item[0], REASON_TYPES.index(item[1].type), item[1].code))
    return tuple(reason for _weight, reason in weighted)
