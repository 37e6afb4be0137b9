"""The in-process recommender of one worker, kept current from the database's change log.

Each worker builds its graph lazily on first use, then before answering it applies
the `graph_changes` rows it has not seen yet (a few cheap queries), so profile and
interaction changes made by any worker show up in the next request everywhere.

The collaborative factor model (:mod:`.factors`) is refitted in a background thread
once something changed, at most every ``MATCHMAKER_FACTORS_REFIT`` seconds (or ten
times the last fit's duration, if longer, so fitting never takes more than a tenth of
a worker's time). The organization a request is for is always folded in as it is
now; only the candidates' factors lag, by at most that interval plus one fit. With
0 (and under tests) the fit runs inline in the request that found the change.
"""

from __future__ import annotations

import logging
import threading
import time
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
    # The change id the current (or running) factor fit read the graph at; -1: none yet.
    fitted_change: int = -1
    fitting: bool = False
    fit_started: float = 0.0
    fit_seconds: float = 0.0


log = logging.getLogger(__name__)
# A fit may use at most this share of a worker's time.
FIT_SHARE = 0.1


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
    state.fitted_change = -1


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
        _maybe_refit(state)
        return state.recommender


def _maybe_refit(state: GraphState) -> None:
    """Refit the factor model when the graph changed since the last fit (see the module)."""
    if state.fitting or state.fitted_change == state.last_change:
        return
    interval = int(current_app.config["FACTORS_REFIT"])
    recommender = state.recommender
    if interval <= 0 or current_app.config.get("TESTING"):
        _fit(state, recommender, state.last_change)
        return
    now = time.monotonic()
    wait = max(interval, state.fit_seconds / FIT_SHARE)
    if recommender.factors is not None and now - state.fit_started < wait:
        return
    state.fitting, state.fit_started = True, now
    threading.Thread(
        target=_fit,
        args=(state, recommender, state.last_change),
        daemon=True,
        name="matchmaker-factors",
    ).start()


def _fit(state: GraphState, recommender, change: int) -> None:
    try:
        fitted = recommender.refit_factors()
        state.fit_seconds = fitted.seconds
        if state.recommender is recommender:
            state.fitted_change = change
    except Exception:  # the previous fit (or the walk alone) keeps serving
        log.exception("fitting the recommendation factors failed")
    finally:
        state.fitting = False
