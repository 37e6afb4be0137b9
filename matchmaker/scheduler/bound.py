"""An upper bound on the total weight any schedule can place: the LP relaxation.

The *time-indexed* relaxation has one variable x[c, s] in [0, 1] per candidate c and slot s
where both sides are free and a table is left, and keeps every hard constraint as a linear
one: each candidate at most once (sum over s <= 1), each organization at most once per slot,
each organization at most its cap in all, each slot at most its free tables. Every schedule
is an integral point of this polytope, so the LP optimum (maximising the sum of weight × x)
is a true upper bound. HiGHS (through SciPy's ``linprog``) needs 13 s or more for 10,000
candidates and 42 slots (300,000 variables), well under a second for a few thousand.

Beyond ``max_variables`` (200,000 by default) the *aggregated* relaxation is used instead
(weaker, still a bound): one variable per candidate, each organization at most
min(cap, its open slots) meetings, all meetings at most the table-slots left.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

from .problem import Problem


def _solve_lp(costs: list[float], rows: list[list[int]], uppers: list[float]) -> float:
    """max costs·x subject to sum(x[j] for j in row) <= upper, 0 <= x <= 1; the optimum.

    HiGHS through SciPy (``linprog(method="highs")``): the same solver as highspy, without
    the banner highspy prints on stdout.
    """
    n = len(costs)
    if n == 0:
        return 0.0
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.fromiter((j for r in rows for j in r), dtype=np.int64, count=int(indptr[-1]))
    matrix = csr_array((np.ones(len(indices)), indices, indptr), shape=(len(rows), n))
    result = linprog(
        -np.asarray(costs, dtype=float),
        A_ub=matrix if rows else None,
        b_ub=np.asarray(uppers, dtype=float) if rows else None,
        bounds=(0, 1),
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"LP bound: HiGHS ended with {result.message}")
    return float(-result.fun)


def _open_slots(problem: Problem) -> set[int]:
    return {s.id for s in problem.slots if problem.free_tables(s.id) > 0}


def time_indexed_bound(problem: Problem) -> float:
    open_ = _open_slots(problem)
    costs: list[float] = []
    by_candidate: list[list[int]] = []
    by_org_slot: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_org: dict[int, list[int]] = defaultdict(list)
    by_slot: dict[int, list[int]] = defaultdict(list)
    for c in problem.candidates:
        common = problem.free.get(c.a, set()) & problem.free.get(c.b, set()) & open_
        if c.a == c.b or not common:
            continue
        mine = []
        for s in sorted(common):
            j = len(costs)
            costs.append(float(c.weight))
            mine.append(j)
            by_org_slot[(c.a, s)].append(j)
            by_org_slot[(c.b, s)].append(j)
            by_org[c.a].append(j)
            by_org[c.b].append(j)
            by_slot[s].append(j)
        by_candidate.append(mine)
    rows, uppers = [], []
    for mine in by_candidate:
        if len(mine) > 1:
            rows.append(mine)
            uppers.append(1.0)
    for cols in by_org_slot.values():
        if len(cols) > 1:
            rows.append(cols)
            uppers.append(1.0)
    for org, cols in by_org.items():
        cap = problem.cap(org)
        if cap < len(problem.free.get(org, ())):
            rows.append(cols)
            uppers.append(float(cap))
    for s, cols in by_slot.items():
        if problem.free_tables(s) < len(cols):
            rows.append(cols)
            uppers.append(float(problem.free_tables(s)))
    return _solve_lp(costs, rows, uppers)


def aggregated_bound(problem: Problem) -> float:
    open_ = _open_slots(problem)
    costs: list[float] = []
    by_org: dict[int, list[int]] = defaultdict(list)
    for c in problem.candidates:
        if c.a == c.b or not (problem.free.get(c.a, set()) & problem.free.get(c.b, set()) & open_):
            continue
        j = len(costs)
        costs.append(float(c.weight))
        by_org[c.a].append(j)
        by_org[c.b].append(j)
    rows, uppers = [], []
    for org, cols in by_org.items():
        rows.append(cols)
        uppers.append(float(min(problem.cap(org), len(problem.free.get(org, set()) & open_))))
    rows.append(list(range(len(costs))))
    uppers.append(float(sum(problem.free_tables(s) for s in open_)))
    return _solve_lp(costs, rows, uppers)


def upper_bound(problem: Problem, *, max_variables: int = 200_000) -> float:
    """A true upper bound on the total weight of any feasible schedule (see the module)."""
    open_ = _open_slots(problem)
    size = sum(
        len(problem.free.get(c.a, set()) & problem.free.get(c.b, set()) & open_)
        for c in problem.candidates
    )
    if size <= max_variables:
        return time_indexed_bound(problem)
    return aggregated_bound(problem)
