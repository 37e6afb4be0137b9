"""The scheduling problem as plain data, and what every solver's answer is measured by.

A *candidate* is a meeting the scheduler may place: a pending request, or a pair of
participants who asked for each other only through their preferences. Its weight says how
much the two sides want it (see ``weight``). Meetings already accepted or locked are not
candidates: they are fixed, their participants are busy in their slots and their tables are
taken.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

# What one side's stated wish is worth. "no_thanks" is never scheduled.
LEVEL_POINTS = {"must": 3, "would_like": 1}
# Weights are integers (CP-SAT wants them so): preference points × SCALE, plus a tie-breaker
# from the matching engine's score in [0, 1] worth less than one point.
SCALE = 100
TIE_BREAK = 10

# Why a candidate was left out; the preview says it per request.
DECLINED = "declined"  # one side said "no thanks"
NO_COMMON_SLOT = "no_common_slot"  # the two are never free at the same time
TABLES_FULL = "tables_full"  # they were free together, but every table was taken then
CAP_REACHED = "cap_reached"  # one side has as many meetings as it wants (or has free slots)
REASONS = (DECLINED, NO_COMMON_SLOT, TABLES_FULL, CAP_REACHED)


def weight(level_a: str | None, level_b: str | None, tie_break: float = 0.0) -> int:
    """The worth of a meeting from each side's level ("must" / "would_like" / None).

    Mutual "must" (6) > "must" and "would like" (4) > one-sided "must" (3) > mutual
    "would like" (2) > one-sided "would like" (1). A pending request with no stated level
    counts as "would like" for the side that sent it (the caller passes that).
    """
    points = LEVEL_POINTS.get(level_a or "", 0) + LEVEL_POINTS.get(level_b or "", 0)
    bonus = round(max(0.0, min(1.0, tie_break)) * TIE_BREAK)
    return points * SCALE + min(bonus, SCALE - 1)


@dataclass(frozen=True)
class Slot:
    id: int
    day: int  # 0, 1, ... in the fair's local calendar
    index: int  # position within its day (breaks leave no slot, so 0, 1, 2, ... run on)


@dataclass(frozen=True)
class Candidate:
    key: int  # a meeting id (> 0), or a negative number for a pair without a meeting row
    a: int  # organization ids of the two sides
    b: int
    weight: int  # > 0


@dataclass
class Problem:
    slots: list[Slot]  # in time order
    tables: list[int]  # table ids in the order to fill them
    free: dict[int, set[int]]  # organization -> slot ids where it is available and not busy
    caps: dict[int, int]  # organization -> how many more meetings it may get (absent: no cap)
    taken_tables: dict[int, set[int]] = field(default_factory=dict)  # slot -> tables in use
    busy: dict[int, set[int]] = field(default_factory=dict)  # organization -> fixed meetings' slots
    candidates: list[Candidate] = field(default_factory=list)

    def cap(self, org: int) -> int:
        return self.caps.get(org, len(self.slots))

    def free_tables(self, slot_id: int) -> int:
        return len(self.tables) - len(self.taken_tables.get(slot_id, ()))


@dataclass
class Solution:
    placed: dict[int, tuple[int, int]]  # candidate key -> (slot id, table id)
    unplaced: dict[int, str]  # candidate key -> one of REASONS
    preference: int  # total weight placed
    gaps: int  # idle slots between a participant's first and last meeting of a day, summed
    seconds: float = 0.0
    stats: dict = field(default_factory=dict)


def check(problem: Problem, placed: dict[int, tuple[int, int]]) -> None:
    """Raise AssertionError unless ``placed`` keeps every hard constraint."""
    by_key = {c.key: c for c in problem.candidates}
    seen_org: set[tuple[int, int]] = set()
    seen_table: set[tuple[int, int]] = set()
    count: dict[int, int] = defaultdict(int)
    tables = set(problem.tables)
    for key, (slot, table) in placed.items():
        c = by_key[key]
        assert table in tables, f"{key}: unknown table {table}"
        assert table not in problem.taken_tables.get(slot, ()), f"{key}: table {table} taken"
        assert (slot, table) not in seen_table, f"{key}: table {table} twice in slot {slot}"
        seen_table.add((slot, table))
        for org in (c.a, c.b):
            assert slot in problem.free.get(org, ()), f"{key}: {org} not free in slot {slot}"
            assert (org, slot) not in seen_org, f"{key}: {org} twice in slot {slot}"
            seen_org.add((org, slot))
            count[org] += 1
    for org, n in count.items():
        assert n <= problem.cap(org), f"organization {org}: {n} meetings over its cap"


def gaps(problem: Problem, placed: dict[int, tuple[int, int]]) -> int:
    """Idle slots between each participant's first and last meeting of each day, summed."""
    where = {s.id: (s.day, s.index) for s in problem.slots}
    by_key = {c.key: c for c in problem.candidates}
    days: dict[tuple[int, int], list[int]] = defaultdict(list)
    for org, slots in problem.busy.items():
        for slot in slots:
            if slot in where:
                day, index = where[slot]
                days[(org, day)].append(index)
    for key, (slot, _table) in placed.items():
        day, index = where[slot]
        c = by_key[key]
        days[(c.a, day)].append(index)
        days[(c.b, day)].append(index)
    return sum(max(ix) - min(ix) + 1 - len(ix) for ix in days.values())


def explain(problem: Problem, placed: dict[int, tuple[int, int]]) -> dict[int, str]:
    """Why each candidate left out of ``placed`` is out: one of REASONS."""
    by_key = {c.key: c for c in problem.candidates}
    used: dict[int, set[int]] = defaultdict(set)
    table_use: dict[int, int] = defaultdict(int)
    for key, (slot, _table) in placed.items():
        c = by_key[key]
        used[c.a].add(slot)
        used[c.b].add(slot)
        table_use[slot] += 1
    reasons = {}
    for c in problem.candidates:
        if c.key in placed:
            continue
        if len(used[c.a]) >= problem.cap(c.a) or len(used[c.b]) >= problem.cap(c.b):
            reasons[c.key] = CAP_REACHED
            continue
        common = problem.free.get(c.a, set()) & problem.free.get(c.b, set())
        open_ = common - used[c.a] - used[c.b]
        if not open_:
            reasons[c.key] = NO_COMMON_SLOT
        else:
            reasons[c.key] = TABLES_FULL
    return reasons


def summarize(problem: Problem, placed: dict[int, tuple[int, int]], seconds: float) -> Solution:
    by_key = {c.key: c for c in problem.candidates}
    return Solution(
        placed=placed,
        unplaced=explain(problem, placed),
        preference=sum(by_key[k].weight for k in placed),
        gaps=gaps(problem, placed),
        seconds=seconds,
    )
