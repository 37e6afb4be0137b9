"""The in-process recommender of one worker, kept current from the database's change log.

Each worker builds its graph lazily on first use, then before answering it applies
the `graph_changes` rows it has not seen yet (a few cheap queries), so profile and
interaction changes made by any worker show up in the next request everywhere.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import Flask, current_app
from sqlalchemy import func
from sqlmodel import Session, select

from matchmaker.profiles.models import GraphChange, Interaction

# How far back each catch-up looks again: on PostgreSQL a change id can commit after a
# higher one (sequences hand out ids before commit), so a worker re-reads a trailing
# window and applies only the ids it has not applied yet.
REVISIT_WINDOW = 500


@dataclass
class GraphState:
    recommender: object | None = None
    last_change: int = 0
    applied: set[int] = field(default_factory=set)  # applied ids within the trailing window
    edges: set[tuple[int, int, str]] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


def init_app(app: Flask) -> None:
    app.extensions["matchmaker.matching"] = GraphState()


def _documents(db: Session):
    from matchmaker.profiles.service import all_organizations, organization_document

    for org in all_organizations(db):
        yield organization_document(org, with_terms=False)


def _edges_of(db: Session, org_ids: set[int]) -> set[tuple[int, int, str]]:
    rows = db.exec(
        select(Interaction.source_id, Interaction.target_id, Interaction.kind).where(
            Interaction.source_id.in_(org_ids) | Interaction.target_id.in_(org_ids)
        )
    )
    return {(s, t, k) for s, t, k in rows}


def _build(db: Session, state: GraphState) -> None:
    from matchmaker.matching.engine import Recommender

    state.last_change = db.exec(select(func.coalesce(func.max(GraphChange.id), 0))).one()
    # Everything in the window is in the build already (it reads the tables as they are now).
    state.applied = set(
        db.exec(select(GraphChange.id).where(GraphChange.id > state.last_change - REVISIT_WINDOW))
    )
    rows = db.exec(select(Interaction.source_id, Interaction.target_id, Interaction.kind))
    state.edges = {(s, t, k) for s, t, k in rows}
    state.recommender = Recommender(_documents(db), sorted(state.edges))


def _catch_up(db: Session, state: GraphState) -> None:
    from matchmaker.profiles.service import organization_document, organizations_by_ids

    low = state.last_change - REVISIT_WINDOW
    changes = [
        (change_id, org_id)
        for change_id, org_id in db.exec(
            select(GraphChange.id, GraphChange.organization_id)
            .where(GraphChange.id > low)
            .order_by(GraphChange.id)
        )
        if change_id not in state.applied
    ]
    if not changes:
        return
    changed = {org_id for _id, org_id in changes}
    recommender = state.recommender
    # One query for all of them, as committed (not as this session may have cached them).
    found = organizations_by_ids(db, sorted(changed))
    for org_id in sorted(changed):
        if org_id in found:
            recommender.upsert(organization_document(found[org_id], with_terms=False))
        else:
            recommender.remove(org_id)
    current = _edges_of(db, changed)
    known = {edge for edge in state.edges if edge[0] in changed or edge[1] in changed}
    for edge in known - current:
        recommender.remove_interaction(*edge)
        state.edges.discard(edge)
    for edge in current - known:
        recommender.add_interaction(*edge)
        state.edges.add(edge)
    state.last_change = max(state.last_change, changes[-1][0])
    state.applied.update(change_id for change_id, _org in changes)
    floor = state.last_change - REVISIT_WINDOW
    state.applied = {change_id for change_id in state.applied if change_id > floor}


def _missed_pruned_changes(db: Session, state: GraphState) -> bool:
    """True when entries this worker never applied have been pruned (it slept for days)."""
    oldest = db.exec(select(func.min(GraphChange.id))).one()
    return oldest is not None and oldest > state.last_change + 1


def current_recommender(db: Session):
    """Return this worker's recommender, built on first use and brought up to date."""
    state: GraphState = current_app.extensions["matchmaker.matching"]
    with state.lock:
        if state.recommender is None or _missed_pruned_changes(db, state):
            _build(db, state)
        else:
            _catch_up(db, state)
        return state.recommender
