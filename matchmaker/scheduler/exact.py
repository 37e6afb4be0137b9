"""The most weight a schedule can have, by OR-Tools CP-SAT, for fairs small enough.

The model is the time-indexed one of ``bound`` with booleans instead of fractions: x[c, s] is
1 when candidate c meets in slot s; each candidate at most once, each organization at most
once per slot and at most its cap, each slot at most its free tables; maximise the weight.
The heuristic's placement is the hint, so CP-SAT starts from it and only reports better.

One worker and a deterministic time limit make the answer the same on every run for the
same problem and seed (the wall-clock limit is only a safety net).
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

# Beyond this many x variables CP-SAT rarely proves anything in seconds: the heuristic stays.
MAX_VARIABLES = 15_000


def model_size(common: list[list[int]]) -> int:
    return sum(len(slots) for slots in common)


def best_weight(
    ca: list[int],
    cb: list[int],
    w: list[int],
    common: list[list[int]],
    caps: list[int],
    capacity: list[int],
    hint: list[int],
    *,
    seconds: float,
    seed: int = 0,
) -> tuple[list[int], bool] | None:
    """Slot per candidate (-1: not placed) of the best schedule found, and whether it is
    proven optimal; None when CP-SAT found nothing (it always has the hint, so rarely)."""
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    by_org_slot: dict[tuple[int, int], list] = defaultdict(list)
    by_org: dict[int, list] = defaultdict(list)
    by_slot: dict[int, list] = defaultdict(list)
    terms = []
    for i, slots in enumerate(common):
        mine = []
        for s in slots:
            v = model.new_bool_var(f"x{i}_{s}")
            x[(i, s)] = v
            mine.append(v)
            by_org_slot[(ca[i], s)].append(v)
            by_org_slot[(cb[i], s)].append(v)
            by_org[ca[i]].append(v)
            by_org[cb[i]].append(v)
            by_slot[s].append(v)
            terms.append((v, w[i]))
            model.add_hint(v, hint[i] == s)
        if len(mine) > 1:
            model.add_at_most_one(mine)
    for vs in by_org_slot.values():
        if len(vs) > 1:
            model.add_at_most_one(vs)
    for org, vs in by_org.items():
        if caps[org] < len(vs):
            model.add(sum(vs) <= caps[org])
    for s, vs in by_slot.items():
        if capacity[s] < len(vs):
            model.add(sum(vs) <= capacity[s])
    if not terms:
        return None
    model.maximize(sum(weight * v for v, weight in terms))

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    # Roughly a second of work per unit on one core; this limit, unlike the clock, gives the
    # same answer on every run (so it is set to end first on an ordinary machine).
    solver.parameters.max_deterministic_time = max(0.03, seconds * 0.5)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    slot_of = [-1] * len(common)
    for (i, s), v in x.items():
        if solver.boolean_value(v):
            slot_of[i] = s
    return slot_of, status == cp_model.OPTIMAL
