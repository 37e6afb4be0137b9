"""The product's scheduler: first-fit's answer, then a better one by construction and local search.

Objective, in this order: the most total weight (``Candidate.weight``: mutual "must meet" above
one-sided, the matching engine's score only as a tie-breaker), then the fewest idle gaps in
each participant's days (``problem.gaps``, counting fixed meetings).

1. **Baseline**: ``greedy`` (first-fit by weight). Whatever follows is kept only if it is at
   least as good (more weight, or the same weight and fewer gaps), so ``solve`` never returns
   less than first-fit.
2. **Construction**: candidates by weight (the least flexible first among equals); each goes
   to the slot, among those where both sides are free, under their caps and with a table
   left, that adds the fewest gaps to the two days it touches, then the emptiest slot (so
   scarce tables are kept for the pairs that need them), then a seeded random order.
   Tables are interchangeable within a slot: only counts per slot are kept until the end.
3. **Insertion by ejection** (weight): every unplaced candidate, heaviest first, is tried in
   each common slot, removing what stands in the way (either side's meeting in that slot,
   the lightest meeting of a side at its cap, the lightest meeting of a full slot), placing
   it, and putting what was removed back elsewhere if it fits (with one more level of
   ejection for the removed meetings). The change is kept only if the total weight rises.
4. **Exact weight on small fairs**: when the time-indexed model has at most
   ``exact.MAX_VARIABLES`` variables (a few hundred participants), OR-Tools CP-SAT, hinted
   with the placement so far, looks for more weight in part of the time left (usually
   proving the optimum in a second or two); its placement replaces ours only if heavier.
5. **Compaction** (gaps, never losing weight): a placed meeting moves to another slot where
   it closes more gaps than it opens for its two sides, or swaps slots with a meeting there
   (tables stay counted), until no move helps.
6. **Tables**: per slot, placed meetings (by key) get the slot's free tables in order.

Steps 3 and 5 run passes until nothing improves (or a pass limit) or ``time_limit`` is near;
CP-SAT runs on one worker with a deterministic work limit. So with the same ``seed`` and no
time-out the answer is the same (the benchmark's fair of 2,000 participants and 10,000
requests converges in about 2.5 s of CPU). ``upper_bound`` (from ``bound``) is the LP
relaxation: a true upper bound on the weight of any schedule.
"""

from __future__ import annotations

import math
import random
import time

from . import exact
from .bound import upper_bound
from .greedy import greedy
from .problem import Problem, Solution, summarize

__all__ = ["solve", "upper_bound"]

# Part of the time limit kept for table assignment, summarizing and returning.
RESERVE = 0.15
# Part of the time left after the heuristic that CP-SAT may use on a small fair (the rest is
# for compaction).
EXACT_SHARE = 0.6
# Up to this size the bound in ``Solution.stats`` is the time-indexed LP (else aggregated).
BOUND_VARIABLES = 30_000
# How many target slots a compaction move tries swapping into (best first).
SWAP_TARGETS = 8


def _gaps(mask: int) -> int:
    """Idle slots between the first and the last set bit of a day's mask."""
    if not mask:
        return 0
    return mask.bit_length() - (mask & -mask).bit_length() + 1 - mask.bit_count()


class _GapTable(dict):
    """``_gaps`` memoised: a dict lookup is the cheapest call Python has."""

    def __missing__(self, mask: int) -> int:
        value = self[mask] = _gaps(mask)
        return value


class _State:
    """Placements by slot counts, with O(1) updates and undo."""

    def __init__(self, problem: Problem, rng: random.Random):
        self.problem = problem
        slots = problem.slots
        self.S = len(slots)
        slot_pos = {s.id: n for n, s in enumerate(slots)}
        self.slot_pos = slot_pos
        self.day = [s.day for s in slots]
        self.bit = [1 << s.index for s in slots]
        days = sorted({s.day for s in slots})
        day_pos = {d: n for n, d in enumerate(days)}
        self.dpos = [day_pos[s.day] for s in slots]
        self.D = len(days)
        self.capacity = [max(0, problem.free_tables(s.id)) for s in slots]
        self.load = [0] * self.S
        self.members: list[set[int]] = [set() for _ in range(self.S)]

        orgs = set(problem.free) | set(problem.caps) | set(problem.busy)
        for c in problem.candidates:
            orgs.add(c.a)
            orgs.add(c.b)
        self.orgs = sorted(orgs)
        org_pos = {o: n for n, o in enumerate(self.orgs)}
        P = len(self.orgs)
        self.free = [bytearray(self.S) for _ in range(P)]
        for org, free in problem.free.items():
            row = self.free[org_pos[org]]
            for s in free:
                if s in slot_pos:
                    row[slot_pos[s]] = 1
        self.cap = [problem.cap(o) for o in self.orgs]
        self.count = [0] * P
        self.at = [[-1] * self.S for _ in range(P)]
        # Day masks: fixed meetings and placed ones, for the gaps.
        self.mask = [[0] * self.D for _ in range(P)]
        for org, busy in problem.busy.items():
            if org not in org_pos:
                continue
            row = self.mask[org_pos[org]]
            for s in busy:
                if s in slot_pos:
                    n = slot_pos[s]
                    row[self.dpos[n]] |= self.bit[n]

        cands = problem.candidates
        self.keys = [c.key for c in cands]
        self.ca = [org_pos[c.a] for c in cands]
        self.cb = [org_pos[c.b] for c in cands]
        self.w = [c.weight for c in cands]
        self.common: list[list[int]] = []
        for i in range(len(cands)):
            fa, fb = self.free[self.ca[i]], self.free[self.cb[i]]
            if self.ca[i] == self.cb[i]:
                self.common.append([])
                continue
            self.common.append(
                [s for s in range(self.S) if fa[s] and fb[s] and self.capacity[s] > 0]
            )
        self.where = [-1] * len(cands)
        self.by_org: list[set[int]] = [set() for _ in range(P)]
        self.weight = 0
        self.log: list[tuple[int, int, int]] | None = None
        self.rng = rng
        self.G = _GapTable()
        self.version = [0] * self.S
        # Slots with a table left.
        self.open = {s for s in range(self.S) if self.capacity[s] > 0}
        self.light: dict[int, tuple[int, list[int]]] = {}

    # --- moves ------------------------------------------------------------------------

    def place(self, i: int, s: int) -> None:
        a, b = self.ca[i], self.cb[i]
        self.where[i] = s
        self.at[a][s] = i
        self.at[b][s] = i
        self.count[a] += 1
        self.count[b] += 1
        self.by_org[a].add(i)
        self.by_org[b].add(i)
        self.load[s] += 1
        self.version[s] += 1
        if self.load[s] >= self.capacity[s]:
            self.open.discard(s)
        self.members[s].add(i)
        d, bit = self.dpos[s], self.bit[s]
        self.mask[a][d] |= bit
        self.mask[b][d] |= bit
        self.weight += self.w[i]
        if self.log is not None:
            self.log.append((1, i, s))

    def unplace(self, i: int) -> None:
        s = self.where[i]
        a, b = self.ca[i], self.cb[i]
        self.where[i] = -1
        self.at[a][s] = -1
        self.at[b][s] = -1
        self.count[a] -= 1
        self.count[b] -= 1
        self.by_org[a].discard(i)
        self.by_org[b].discard(i)
        self.load[s] -= 1
        self.version[s] += 1
        self.open.add(s)
        self.members[s].discard(i)
        d, bit = self.dpos[s], self.bit[s]
        self.mask[a][d] &= ~bit
        self.mask[b][d] &= ~bit
        self.weight -= self.w[i]
        if self.log is not None:
            self.log.append((0, i, s))

    def begin(self) -> None:
        self.log = []

    def commit(self) -> None:
        self.log = None

    def rollback(self) -> None:
        log, self.log = self.log, None
        for op, i, s in reversed(log):
            if op:
                self.unplace(i)
            else:
                self.place(i, s)

    # --- measures ---------------------------------------------------------------------

    def add_delta(self, p: int, s: int) -> int:
        m = self.mask[p][self.dpos[s]]
        return self.G[m | self.bit[s]] - self.G[m]

    def best_slot(self, i: int) -> int:
        """The free slot adding the fewest gaps (then the emptiest), or -1."""
        a, b = self.ca[i], self.cb[i]
        ata, atb = self.at[a], self.at[b]
        best, best_score = -1, None
        for s in self.common[i]:
            if ata[s] >= 0 or atb[s] >= 0 or self.load[s] >= self.capacity[s]:
                continue
            score = (self.add_delta(a, s) + self.add_delta(b, s), self.load[s] - self.capacity[s])
            if best_score is None or score < best_score:
                best, best_score = s, score
        return best

    def total_gaps(self) -> int:
        return sum(self.G[m] for row in self.mask for m in row)

    def slot_lightest(self, s: int, exclude: set[int]) -> int:
        """The lightest meeting in slot ``s`` outside ``exclude`` (cached per slot)."""
        cached = self.light.get(s)
        if cached is None or cached[0] != self.version[s]:
            order = sorted(self.members[s], key=lambda j: (self.w[j], self.keys[j]))[:4]
            cached = self.light[s] = (self.version[s], order)
        for j in cached[1]:
            if j not in exclude:
                return j
        return self.lightest(self.members[s], exclude)

    def lightest(self, items, exclude) -> int:
        best = -1
        for j in items:
            if j not in exclude and (
                best < 0 or (self.w[j], self.keys[j]) < (self.w[best], self.keys[best])
            ):
                best = j
        return best


def _construct(st: _State, order: list[int]) -> None:
    for i in order:
        a, b = st.ca[i], st.cb[i]
        if st.count[a] >= st.cap[a] or st.count[b] >= st.cap[b]:
            continue
        s = st.best_slot(i)
        if s >= 0:
            st.place(i, s)


def _reinsert(st: _State, i: int, depth: int) -> bool:
    """Put unplaced ``i`` back: directly, or (``depth`` > 0) by relocating one blocker or
    ejecting lighter meetings in a slot. The caller judges the total weight."""
    a, b = st.ca[i], st.cb[i]
    if st.count[a] >= st.cap[a] or st.count[b] >= st.cap[b]:
        return False
    s = st.best_slot(i)
    if s >= 0:
        st.place(i, s)
        return True
    if depth <= 0:
        return False
    # One blocker in a slot: move it to a slot with a table left where it fits directly.
    if st.open:
        free, at = st.free, st.at
        for s in st.common[i]:
            blockers = {j for j in (st.at[a][s], st.at[b][s]) if j >= 0}
            if len(blockers) != 1:
                continue
            (j,) = blockers
            ja, jb = st.ca[j], st.cb[j]
            fa, fb, ata, atb = free[ja], free[jb], at[ja], at[jb]
            t = -1
            for u in sorted(st.open):
                if u != s and fa[u] and fb[u] and ata[u] < 0 and atb[u] < 0:
                    t = u
                    break
            if t < 0:
                continue
            st.unplace(j)
            st.place(j, t)
            st.place(i, s)
            return True
    # Eject lighter meetings (either side's, or the slot's lightest when it is full).
    best, best_loss = None, st.w[i]
    for s in st.common[i]:
        out = {j for j in (st.at[a][s], st.at[b][s]) if j >= 0}
        if st.load[s] - len(out) >= st.capacity[s]:
            j = st.slot_lightest(s, out)
            if j < 0:
                continue
            out.add(j)
        loss = sum(st.w[j] for j in out)
        if loss < best_loss:
            best, best_loss = (s, out), loss
    if best is None:
        return False
    s, out = best
    for j in sorted(out):
        st.unplace(j)
    st.place(i, s)
    return True


def _try_insert(st: _State, i: int) -> bool:
    """Insert unplaced ``i`` by ejection if the total weight rises; True if it did."""
    a, b = st.ca[i], st.cb[i]
    wi = st.w[i]
    # A side at its cap must give up a lighter meeting: if it has none, nothing can gain.
    capped = {}
    for p in (a, b):
        if st.count[p] >= st.cap[p]:
            j = st.lightest(st.by_org[p], ())
            if j < 0 or st.w[j] >= wi:
                return False
            capped[p] = j
    options = []
    for s in st.common[i]:
        out: set[int] = set()
        for j in (st.at[a][s], st.at[b][s]):
            if j >= 0:
                out.add(j)
        for p, j in capped.items():
            if not any(p in (st.ca[k], st.cb[k]) for k in out):
                out.add(j)
        if st.load[s] - sum(1 for j in out if st.where[j] == s) >= st.capacity[s]:
            j = st.slot_lightest(s, out)
            if j < 0:
                continue
            out.add(j)
        loss = sum(st.w[j] for j in out)
        if loss < wi or not capped:
            options.append((loss, len(out), st.add_delta(a, s) + st.add_delta(b, s), s, out))
    options.sort(key=lambda o: o[:4])
    for _loss, _n, _d, s, out in options[:3]:
        before = st.weight
        st.begin()
        for j in sorted(out):
            st.unplace(j)
        st.place(i, s)
        for j in sorted(out, key=lambda j: -st.w[j]):
            _reinsert(st, j, 1)
        if st.weight > before:
            st.commit()
            return True
        st.rollback()
    return False


def _compact(st: _State, order: list[int], deadline: float) -> int:
    """One pass of gap-reducing moves and swaps; how many were made."""
    G, mask, at, dpos, bit = st.G, st.mask, st.at, st.dpos, st.bit
    free, load, capacity = st.free, st.load, st.capacity
    made = 0
    for n, i in enumerate(order):
        if not n % 256 and time.perf_counter() > deadline:
            break
        s = st.where[i]
        if s < 0:
            continue
        a, b = st.ca[i], st.cb[i]
        d = dpos[s]
        before = G[mask[a][d]] + G[mask[b][d]]
        if before == 0:
            continue
        st.unplace(i)
        # Gain of taking i out; now find where putting it back costs less than that.
        gain = before - G[mask[a][d]] - G[mask[b][d]]
        best, best_delta = -1, gain
        swaps = []
        ata, atb, ma, mb = at[a], at[b], mask[a], mask[b]
        for t in st.common[i]:
            if t == s:
                continue
            e, x = dpos[t], bit[t]
            delta = G[ma[e] | x] - G[ma[e]] + G[mb[e] | x] - G[mb[e]]
            if delta >= gain:
                continue
            if ata[t] < 0 and atb[t] < 0 and load[t] < capacity[t]:
                if delta < best_delta:
                    best, best_delta = t, delta
            else:
                swaps.append((delta, t))
        if best >= 0:
            st.place(i, best)
            made += 1
            continue
        # Swap: a meeting j at t goes to s (j may share a side with i).
        done = False
        swaps.sort()
        for _delta, t in swaps[:SWAP_TARGETS]:
            ja, jb = ata[t], atb[t]
            if ja >= 0 and jb >= 0 and ja != jb:
                continue
            pool = [ja] if ja >= 0 else [jb] if jb >= 0 else sorted(st.members[t])
            e, bs, bt = dpos[t], bit[s], bit[t]
            for j in pool:
                pa, pb = st.ca[j], st.cb[j]
                if not (free[pa][s] and free[pb][s]) or at[pa][s] >= 0 or at[pb][s] >= 0:
                    continue
                # Masks after the swap (i is out already: i to t, j from t to s).
                after: dict[tuple[int, int], int] = {}
                for q in (pa, pb):
                    after[(q, e)] = mask[q][e] & ~bt
                for q in (pa, pb):
                    after[(q, d)] = after.get((q, d), mask[q][d]) | bs
                for q in (a, b):
                    after[(q, e)] = after.get((q, e), mask[q][e]) | bt
                change = sum(G[m] - G[mask[q][day]] for (q, day), m in after.items())
                # Against the state with i still in s, whose removal gained ``gain``.
                if change < gain:
                    st.unplace(j)
                    st.place(i, t)
                    st.place(j, s)
                    made += 1
                    done = True
                    break
            if done:
                break
        if not done:
            st.place(i, s)
    return made


def _tables(problem: Problem, st: _State) -> dict[int, tuple[int, int]]:
    placed: dict[int, tuple[int, int]] = {}
    for n, slot in enumerate(problem.slots):
        taken = problem.taken_tables.get(slot.id, set())
        free = [t for t in problem.tables if t not in taken]
        for i, table in zip(sorted(st.members[n], key=lambda i: st.keys[i]), free, strict=False):
            placed[st.keys[i]] = (slot.id, table)
    return placed


def _better(x: Solution, y: Solution) -> bool:
    return (x.preference, -x.gaps, len(x.placed)) > (y.preference, -y.gaps, len(y.placed))


def solve(problem: Problem, *, time_limit: float = 10.0, seed: int = 0) -> Solution:
    """The best schedule found within ``time_limit`` seconds (never worse than ``greedy``)."""
    started = time.perf_counter()
    deadline = started + max(0.0, time_limit * (1 - RESERVE) - 0.05)
    base = greedy(problem)
    rng = random.Random(seed)
    st = _State(problem, rng)
    n = len(st.w)
    tie = list(range(n))
    rng.shuffle(tie)
    rank = {i: r for r, i in enumerate(tie)}
    order = sorted(range(n), key=lambda i: (-st.w[i], len(st.common[i]), rank[i]))
    _construct(st, order)
    stats = {"construct_weight": st.weight, "construct_gaps": st.total_gaps()}
    if st.weight < base.preference:
        # First-fit did better here: improve its placement instead.
        st = _State(problem, rng)
        index = {key: i for i, key in enumerate(st.keys)}
        for key, (slot, _table) in sorted(base.placed.items()):
            st.place(index[key], st.slot_pos[slot])
        stats["started_from"] = "greedy"

    inserted = passes = 0
    while time.perf_counter() < deadline:
        passes += 1
        changed = 0
        for i in order:
            if st.where[i] >= 0 or not st.common[i]:
                continue
            if time.perf_counter() > deadline:
                break
            if _try_insert(st, i):
                changed += 1
        inserted += changed
        if not changed or passes >= 5:
            break
    stats.update(insert_passes=passes, inserted=inserted, insert_weight=st.weight)

    left = deadline - time.perf_counter()
    if exact.model_size(st.common) <= exact.MAX_VARIABLES and left > 0.5:
        found = exact.best_weight(
            st.ca,
            st.cb,
            st.w,
            st.common,
            st.cap,
            st.capacity,
            st.where,
            seconds=left * EXACT_SHARE,
            seed=seed,
        )
        if found is not None:
            slot_of, proven = found
            stats["exact_proven"] = proven
            if sum(st.w[i] for i, s in enumerate(slot_of) if s >= 0) > st.weight:
                st = _State(problem, rng)
                for i, s in enumerate(slot_of):
                    if s >= 0:
                        st.place(i, s)
                stats["exact_weight"] = st.weight

    # A bound for the preview ("x % of the best possible"): the proven optimum, else the LP
    # relaxation (time-indexed while small, aggregated beyond: both cheap here).
    if stats.get("exact_proven") and "exact_weight" in stats:
        stats["upper_bound"] = stats["exact_weight"]
    elif stats.get("exact_proven"):
        stats["upper_bound"] = st.weight
    else:
        bound = upper_bound(problem, max_variables=BOUND_VARIABLES)
        stats["upper_bound"] = max(st.weight, math.floor(bound + 1e-6))

    compacted = cpasses = 0
    while time.perf_counter() < deadline:
        cpasses += 1
        placed = [i for i in tie if st.where[i] >= 0]
        made = _compact(st, placed, deadline)
        compacted += made
        if not made or cpasses >= 30:
            break
    stats.update(
        compact_passes=cpasses, compacted=compacted, timed_out=time.perf_counter() > deadline
    )

    ours = summarize(problem, _tables(problem, st), 0.0)
    best = ours if _better(ours, base) else base
    best.seconds = time.perf_counter() - started
    best.stats = {
        **stats,
        "greedy_preference": base.preference,
        "chosen": "solver" if best is ours else "greedy",
    }
    return best
