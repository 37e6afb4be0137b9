"""The scheduler in the product: read a fair into a Problem, preview a schedule, commit it.

What becomes a candidate (decided here, shown on the schedule page):
- every pending request ("requested" meeting) between two registered participants; the
  requester counts as at least "would like"; a "no thanks" from either side leaves it out
  (reason "declined");
- every pair of registered participants who both said "must" or "would like" about each
  other and have no meeting row at all at the fair (none open, none declined or cancelled
  before): committing creates the meeting, asked by the side with the higher level (the
  lower organization id on a tie). A one-sided wish is not enough: send a request.
Accepted, held and locked meetings are fixed: their slots and tables are taken and they are
never moved; running again only adds.

The preview hands back a token: a digest of every row the problem is read from, plus the
placements. Committing with it rebuilds the problem under the fair's lock; a different digest
means something changed (a new acceptance, an unavailability, a preference) and the answer is
409 with nothing written. The placements are checked again against the rebuilt problem, and
the database's own constraints stop any double booking that slips past.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass, field

from flask import has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from matchmaker.accounts.models import User, utcnow
from matchmaker.errors import Conflict, NotFound, ValidationFailed
from matchmaker.exhibitions.access import editable_exhibition, lock_exhibition
from matchmaker.exhibitions.models import (
    Exhibition,
    Meeting,
    MeetingPreference,
    MeetingTable,
    Registration,
    Slot,
    SlotOccupancy,
)
from matchmaker.exhibitions.times import local
from matchmaker.notifications.service import notify_organization
from matchmaker.profiles.models import Interaction, Organization
from matchmaker.profiles.service import log_graph_change

from . import problem as p
from .solver import solve

FIXED = ("accepted", "held", "no_show")
WISHES = ("must", "would_like")
RANK = {"must": 2, "would_like": 1}
TIME_LIMIT = 10.0
# The matching engine's scores break ties; past this many seconds the rest go without.
SCORE_BUDGET = 1.5
MAX_TOKEN = 4_000_000
STALE = _l("The meetings changed since the preview; run it again.")
logger = logging.getLogger("matchmaker.scheduler")


@dataclass
class Context:
    """What the pages and the commit need besides the Problem."""

    exhibition: Exhibition
    state: str  # digest of the rows read
    slots: dict[int, Slot]
    tables: dict[int, str]  # table id -> name
    sides: dict[int, tuple[int, int]]  # candidate key -> (requester, invitee)
    levels: dict[int, tuple[str | None, str | None]]  # key -> (requester's, invitee's level)
    declined: dict[int, tuple[int, int]]  # requests left out for a "no thanks"
    fixed_count: dict[int, int]  # organization -> fixed meetings it has
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class PlacedMeeting:
    key: int
    meeting_id: int | None  # None: a new meeting from two preferences
    requester_id: int
    invitee_id: int
    slot_id: int
    table_id: int
    weight: int
    levels: tuple[str | None, str | None]


@dataclass
class UnplacedMeeting:
    key: int
    meeting_id: int | None
    requester_id: int
    invitee_id: int
    reason: str  # one of problem.REASONS


@dataclass
class ScheduleResult:
    exhibition_id: int
    token: str
    placed: list[PlacedMeeting]
    unplaced: list[UnplacedMeeting]
    preference: int
    gaps: int
    seconds: float
    upper_bound: int
    candidates: int
    committed: bool = False
    context: Context | None = None


# --- reading the fair ------------------------------------------------------------------


def _digest(*parts) -> str:
    text = json.dumps(parts, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def build_problem(
    db: Session, exhibition: Exhibition, *, with_scores: bool = True
) -> tuple[p.Problem, Context]:
    """The fair as a scheduling Problem, and the Context to explain and commit it."""
    fair_id = exhibition.id
    slot_rows = list(
        db.exec(select(Slot).where(Slot.exhibition_id == fair_id).order_by(Slot.starts_at))
    )
    day_of = {}
    slots, index_in_day = [], defaultdict(int)
    for row in slot_rows:
        day = local(row.starts_at, exhibition.timezone).date()
        day_index = day_of.setdefault(day, len(day_of))
        slots.append(p.Slot(row.id, day_index, index_in_day[day_index]))
        index_in_day[day_index] += 1
    tables = list(
        db.exec(
            select(MeetingTable.id, MeetingTable.name)
            .where(MeetingTable.exhibition_id == fair_id)
            .order_by(MeetingTable.position, MeetingTable.id)
        )
    )
    registered = dict(
        db.exec(
            select(Registration.organization_id, Registration.meeting_cap).where(
                Registration.exhibition_id == fair_id, Registration.status == "registered"
            )
        ).all()
    )
    occupancy = sorted(
        db.exec(
            select(
                SlotOccupancy.slot_id,
                SlotOccupancy.organization_id,
                SlotOccupancy.kind,
                SlotOccupancy.meeting_id,
            )
            .join(Slot, Slot.id == SlotOccupancy.slot_id)
            .where(Slot.exhibition_id == fair_id)
        ).all()
    )
    meetings = sorted(
        db.exec(
            select(
                Meeting.id,
                Meeting.requester_id,
                Meeting.invitee_id,
                Meeting.status,
                Meeting.slot_id,
                Meeting.table_id,
                Meeting.locked,
                Meeting.sequence,
            ).where(Meeting.exhibition_id == fair_id)
        ).all()
    )
    preferences = {
        (org, target): level
        for org, target, level in db.exec(
            select(
                MeetingPreference.organization_id,
                MeetingPreference.target_id,
                MeetingPreference.level,
            ).where(MeetingPreference.exhibition_id == fair_id)
        )
    }
    state = _digest(
        exhibition.status,
        [s.id for s in slots],
        [t[0] for t in tables],
        sorted(registered.items()),
        [tuple(r) for r in occupancy],
        [tuple(m) for m in meetings],
        sorted((k[0], k[1], v) for k, v in preferences.items()),
    )

    all_slots = {s.id for s in slots}
    taken: dict[int, set[int]] = defaultdict(set)
    busy: dict[int, set[int]] = defaultdict(set)
    for slot_id, org, kind, _meeting in occupancy:
        taken[org].add(slot_id)
        if kind == "meeting":
            busy[org].add(slot_id)
    free = {org: all_slots - taken.get(org, set()) for org in registered}

    taken_tables: dict[int, set[int]] = defaultdict(set)
    fixed_count: dict[int, int] = defaultdict(int)
    met: set[tuple[int, int]] = set()
    requests = []
    for mid, req, inv, status, slot_id, table_id, _locked, _seq in meetings:
        met.add((min(req, inv), max(req, inv)))
        if status in FIXED:
            fixed_count[req] += 1
            fixed_count[inv] += 1
            if slot_id is not None and table_id is not None:
                taken_tables[slot_id].add(table_id)
        elif status == "requested" and req in registered and inv in registered:
            requests.append((mid, req, inv))
    caps = {
        org: max(0, cap - fixed_count.get(org, 0))
        for org, cap in registered.items()
        if cap is not None
    }

    raw: list[tuple[int, int, int, str | None, str | None]] = []  # key, req, inv, levels
    declined: dict[int, tuple[int, int]] = {}
    for mid, req, inv in requests:
        mine, theirs = preferences.get((req, inv)), preferences.get((inv, req))
        if "no_thanks" in (mine, theirs):
            declined[mid] = (req, inv)
            continue
        raw.append((mid, req, inv, mine if mine == "must" else "would_like", theirs))
    pairs = []
    for (org, target), level in preferences.items():
        if org < target and level in WISHES and org in registered and target in registered:
            back = preferences.get((target, org))
            if back in WISHES and (org, target) not in met:
                pairs.append((org, target, level, back))
    for n, (one, other, level, back) in enumerate(sorted(pairs), start=1):
        if RANK[back] > RANK[level]:
            raw.append((-n, other, one, back, level))
        else:
            raw.append((-n, one, other, level, back))

    scores = _engine_scores(db, {x for r in raw for x in r[1:3]}) if with_scores else {}
    candidates = [
        p.Candidate(key, req, inv, p.weight(la, lb, _tie_break(scores, req, inv)))
        for key, req, inv, la, lb in raw
    ]
    problem = p.Problem(
        slots=slots,
        tables=[t[0] for t in tables],
        free=free,
        caps=caps,
        taken_tables=dict(taken_tables),
        busy={org: s for org, s in busy.items() if org in registered},
        candidates=candidates,
    )
    context = Context(
        exhibition=exhibition,
        state=state,
        slots={row.id: row for row in slot_rows},
        tables=dict(tables),
        sides={key: (req, inv) for key, req, inv, _la, _lb in raw},
        levels={key: (la, lb) for key, req, inv, la, lb in raw},
        declined=declined,
        fixed_count=dict(fixed_count),
        counts={
            "participants": len(registered),
            "requests": len(requests),
            "preferences": len(preferences),
            "accepted": sum(1 for m in meetings if m[3] == "accepted"),
            "locked": sum(1 for m in meetings if m[3] == "accepted" and m[6]),
            "slots": len(slots),
            "tables": len(tables),
        },
    )
    return problem, context


def _engine_scores(db: Session, orgs: set[int]) -> dict[tuple[int, int], float]:
    """{(a, b): score of b for a, scaled to [0, 1] per a}, within SCORE_BUDGET seconds.

    One engine call per participant. The scores only break ties: when the engine is not
    available (no application, an organization it does not know) they are left out.
    """
    if not orgs:
        return {}
    try:
        from matchmaker.matching.runtime import current_recommender

        recommender = current_recommender(db)
    except (RuntimeError, ImportError):  # outside an application (tests, scripts)
        return {}
    absent = set(db.exec(select(Organization.id).where(Organization.id.not_in(orgs))))
    scores: dict[tuple[int, int], float] = {}
    started = time.perf_counter()
    for org in sorted(orgs):
        if time.perf_counter() - started > SCORE_BUDGET:
            break
        if org not in recommender:
            continue
        try:
            found = recommender.recommend(org, limit=len(orgs), exclude=absent)
        except KeyError:
            continue
        top = max((item.score for item in found), default=0.0)
        for item in found:
            if top > 0:
                scores[(org, item.org_id)] = float(item.score) / top
    return scores


def _tie_break(scores: dict[tuple[int, int], float], a: int, b: int) -> float:
    return (scores.get((a, b), 0.0) + scores.get((b, a), 0.0)) / 2


# --- the token -------------------------------------------------------------------------


def _encode(state: str, placed: dict[int, tuple[int, int]]) -> str:
    rows = sorted([key, slot, table] for key, (slot, table) in placed.items())
    packed = zlib.compress(json.dumps(rows, separators=(",", ":")).encode(), 9)
    return f"v1.{state}.{base64.urlsafe_b64encode(packed).decode().rstrip('=')}"


def _decode(token: object) -> tuple[str, dict[int, tuple[int, int]]]:
    bad = ValidationFailed(fields={"token": _l("This preview is not valid; run it again.")})
    if not isinstance(token, str) or len(token) > MAX_TOKEN or token.count(".") != 2:
        raise bad
    version, state, body = token.split(".")
    if version != "v1" or len(state) != 32:
        raise bad
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        rows = json.loads(zlib.decompressobj().decompress(packed, MAX_TOKEN * 4))
        placed = {}
        for key, slot, table in rows:
            if not all(isinstance(x, int) and not isinstance(x, bool) for x in (key, slot, table)):
                raise ValueError
            placed[key] = (slot, table)
    except (ValueError, TypeError, zlib.error):
        raise bad from None
    return state, placed


# --- preview and commit ------------------------------------------------------------------


def _result(
    problem: p.Problem, context: Context, solution: p.Solution, upper: int
) -> ScheduleResult:
    by_key = {c.key: c for c in problem.candidates}
    order = {sid: n for n, sid in enumerate(s.id for s in problem.slots)}
    table_order = {tid: n for n, tid in enumerate(problem.tables)}
    placed = [
        PlacedMeeting(
            key,
            key if key > 0 else None,
            *context.sides[key],
            slot,
            table,
            by_key[key].weight,
            context.levels[key],
        )
        for key, (slot, table) in solution.placed.items()
    ]
    placed.sort(key=lambda m: (order.get(m.slot_id, 0), table_order.get(m.table_id, 0)))
    unplaced = [
        UnplacedMeeting(key, key if key > 0 else None, *context.sides[key], reason)
        for key, reason in solution.unplaced.items()
    ]
    unplaced += [
        UnplacedMeeting(mid, mid, req, inv, p.DECLINED)
        for mid, (req, inv) in context.declined.items()
    ]
    unplaced.sort(key=lambda u: (u.meeting_id is None, u.key if u.key > 0 else -u.key))
    return ScheduleResult(
        exhibition_id=context.exhibition.id,
        token=_encode(context.state, solution.placed),
        placed=placed,
        unplaced=unplaced,
        preference=solution.preference,
        gaps=solution.gaps,
        seconds=round(solution.seconds, 3),
        upper_bound=upper,
        candidates=len(problem.candidates),
        context=context,
    )


def _solve(problem: p.Problem, time_limit: float) -> tuple[p.Solution, int]:
    solution = solve(problem, time_limit=time_limit)
    p.check(problem, solution.placed)  # a solver bug must never reach the database
    trivial = sum(c.weight for c in problem.candidates)
    bound = solution.stats.get("upper_bound") if solution.stats else None
    upper = min(int(bound), trivial) if isinstance(bound, int | float) else trivial
    return solution, max(upper, solution.preference)


def preview(
    db: Session, actor: User | None, exhibition_id: int, *, time_limit: float = TIME_LIMIT
) -> ScheduleResult:
    """What the scheduler would place now, and why the rest not; writes nothing."""
    exhibition = editable_exhibition(db, actor, exhibition_id)
    problem, context = build_problem(db, exhibition)
    solution, upper = _solve(problem, time_limit)
    db.rollback()  # reads only: leave no transaction open while the organizer looks
    return _result(problem, context, solution, upper)


def overview(db: Session, actor: User | None, exhibition_id: int) -> Context:
    """The fair's counts for the schedule page (organizers); writes nothing."""
    exhibition = editable_exhibition(db, actor, exhibition_id)
    problem, context = build_problem(db, exhibition, with_scores=False)
    context.counts["candidates"] = len(problem.candidates)
    context.counts["declined"] = len(context.declined)
    return context


def replay(db: Session, actor: User | None, exhibition_id: int, token: str) -> ScheduleResult:
    """The preview a token holds, read again without solving (for the CSV download).

    Conflict when the meetings changed since: the preview no longer says what would happen.
    """
    exhibition = editable_exhibition(db, actor, exhibition_id)
    state, placed = _decode(token)
    problem, context = build_problem(db, exhibition, with_scores=False)
    db.rollback()
    if context.state != state or not set(placed) <= {c.key for c in problem.candidates}:
        raise Conflict(STALE)
    solution = p.summarize(problem, placed, 0.0)
    return _result(problem, context, solution, sum(c.weight for c in problem.candidates))


def commit(
    db: Session,
    actor: User | None,
    exhibition_id: int,
    token: str | None = None,
    *,
    time_limit: float = TIME_LIMIT,
) -> ScheduleResult:
    """Write a schedule in one transaction: the previewed one (``token``) or a new one.

    Meetings changed since the preview: Conflict, nothing written.
    """
    exhibition = editable_exhibition(db, actor, exhibition_id)
    if exhibition.status != "published":
        raise Conflict(_l("Meetings are open only while the exhibition is published."))
    if token is None:  # solve first, outside the lock; then commit it like a preview
        token = preview(db, actor, exhibition_id, time_limit=time_limit).token
    state, placed = _decode(token)
    try:
        lock_exhibition(db, exhibition_id)
        problem, context = build_problem(db, exhibition, with_scores=False)
        if context.state != state:
            raise Conflict(STALE)
        keys = {c.key for c in problem.candidates}
        if not set(placed) <= keys:
            raise Conflict(STALE)
        try:
            p.check(problem, placed)
        except AssertionError:
            raise Conflict(STALE) from None
        _write(db, exhibition, context, placed)
        db.commit()
    except IntegrityError:
        db.rollback()
        raise Conflict(STALE) from None
    except Exception:
        db.rollback()
        raise
    solution = p.summarize(problem, placed, 0.0)
    result = _result(problem, context, solution, sum(c.weight for c in problem.candidates))
    result.committed = True
    return result


def _write(
    db: Session, exhibition: Exhibition, context: Context, placed: dict[int, tuple[int, int]]
) -> None:
    now = utcnow()
    new_meetings: dict[int, int] = defaultdict(int)
    for key, (slot_id, table_id) in sorted(placed.items()):
        requester, invitee = context.sides[key]
        if key > 0:
            changed = db.exec(
                sql_update(Meeting)
                .where(Meeting.id == key, Meeting.status == "requested")
                .values(
                    status="accepted",
                    slot_id=slot_id,
                    table_id=table_id,
                    placed_by="scheduler",
                    proposed_slot_id=None,
                    proposed_by_id=None,
                    sequence=Meeting.sequence + 1,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            if changed.rowcount != 1:
                raise Conflict(STALE)
            meeting_id = key
        else:
            meeting = Meeting(
                exhibition_id=exhibition.id,
                requester_id=requester,
                invitee_id=invitee,
                slot_id=slot_id,
                table_id=table_id,
                status="accepted",
                placed_by="scheduler",
            )
            db.add(meeting)
            db.flush()
            meeting_id = meeting.id
        for org in (requester, invitee):
            db.add(
                SlotOccupancy(
                    slot_id=slot_id, organization_id=org, meeting_id=meeting_id, kind="meeting"
                )
            )
            new_meetings[org] += 1
    db.flush()
    _record_edges(db, [context.sides[key] for key in placed])
    exhibition.schedule_published_at = now
    db.add(exhibition)
    if not has_app_context():  # mails need the app; a bare call (demo loader, scripts) sends none
        logger.warning("no application context: schedule notifications not sent")
        return
    names = exhibition.name_map()  # rendered in each reader's language when read
    link = f"/exhibitions/{exhibition.id}/agenda"
    for org in sorted(new_meetings):
        total = context.fixed_count.get(org, 0) + new_meetings[org]
        notify_organization(db, org, "schedule_published", {"fair": names, "count": total}, link)


def _record_edges(db: Session, pairs: list[tuple[int, int]]) -> None:
    """A scheduled meeting is an interaction for matching, as an accepted one is."""
    if not pairs:
        return
    orgs = {x for pair in pairs for x in pair}
    existing = set(
        db.exec(
            select(Interaction.source_id, Interaction.target_id).where(
                Interaction.kind == "meeting",
                Interaction.source_id.in_(orgs),
                Interaction.target_id.in_(orgs),
            )
        ).all()
    )
    for source, target in sorted(set(pairs)):
        if (source, target) not in existing:
            db.add(Interaction(source_id=source, target_id=target, kind="meeting"))
    for org in sorted(orgs):
        log_graph_change(db, org)


# --- locks ----------------------------------------------------------------------------------


def set_meeting_lock(db: Session, actor: User | None, meeting_id: int, locked: bool) -> Meeting:
    """Lock (or unlock) an accepted meeting: the organizer fixed it where it is."""
    meeting = db.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(_l("No meeting with this id."))
    editable_exhibition(db, actor, meeting.exhibition_id)
    if meeting.status != "accepted":
        raise Conflict(_l("Only accepted meetings can be locked."))
    meeting.locked = bool(locked)
    db.add(meeting)
    db.commit()
    return meeting


def accepted_meetings(
    db: Session, actor: User | None, exhibition_id: int, *, offset: int = 0, limit: int = 50
) -> tuple[list[Meeting], int]:
    """The fair's accepted meetings in time order, a page at a time, and how many there are."""
    editable_exhibition(db, actor, exhibition_id)
    base = select(Meeting).where(
        Meeting.exhibition_id == exhibition_id, Meeting.status == "accepted"
    )
    total = len(db.exec(base.with_only_columns(Meeting.id)).all())
    rows = db.exec(
        base.join(Slot, Slot.id == Meeting.slot_id, isouter=True)
        .order_by(Slot.starts_at, Meeting.table_id, Meeting.id)
        .offset(offset)
        .limit(limit)
    )
    return list(rows), total


def organization_names(db: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.exec(select(Organization.id, Organization.name).where(Organization.id.in_(ids)))
    return dict(rows.all())


def open_with(db: Session, exhibition_id: int, org_id: int) -> set[int]:
    """Organizations ``org_id`` has a requested or accepted meeting with at the fair."""
    rows = db.exec(
        select(Meeting.requester_id, Meeting.invitee_id).where(
            Meeting.exhibition_id == exhibition_id,
            Meeting.status.in_(("requested", "accepted")),
            or_(Meeting.requester_id == org_id, Meeting.invitee_id == org_id),
        )
    )
    return {inv if req == org_id else req for req, inv in rows}
