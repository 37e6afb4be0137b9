"""First-fit: the baseline every scheduler is compared with (and what most tools do).

Requests by weight, highest first; each goes into the earliest slot where both sides are
free and under their caps, at the first free table.
"""

from __future__ import annotations

import time
from collections import defaultdict

from .problem import Problem, Solution, summarize


def greedy(problem: Problem) -> Solution:
    started = time.perf_counter()
    order = sorted(problem.candidates, key=lambda c: (-c.weight, c.key))
    used: dict[int, set[int]] = defaultdict(set)
    tables_used: dict[int, set[int]] = {
        slot: set(tables) for slot, tables in problem.taken_tables.items()
    }
    placed: dict[int, tuple[int, int]] = {}
    for c in order:
        if len(used[c.a]) >= problem.cap(c.a) or len(used[c.b]) >= problem.cap(c.b):
            continue
        free_a = problem.free.get(c.a, set())
        free_b = problem.free.get(c.b, set())
        for slot in problem.slots:
            s = slot.id
            if s not in free_a or s not in free_b or s in used[c.a] or s in used[c.b]:
                continue
            taken = tables_used.setdefault(s, set())
            table = next((t for t in problem.tables if t not in taken), None)
            if table is None:
                continue
            taken.add(table)
            used[c.a].add(s)
            used[c.b].add(s)
            placed[c.key] = (s, table)
            break
    return summarize(problem, placed, time.perf_counter() - started)
