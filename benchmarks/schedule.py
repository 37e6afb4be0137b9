"""The meeting scheduler against first-fit on one big, tight fair, and against an upper bound.

The fair (a fixed seed; no database: the problem is built directly, as the product's
``matchmaker.scheduler.preferences`` builds it from a fair's rows):

* ``--participants`` organizations, 60 % exhibitors (providers) and 40 % buyers;
* two days of 20-minute slots 09:00-17:00 with a 12:00-13:00 lunch: 21 slots a day, 42;
* ``--tables`` tables (150: 6,300 table-slots for ``--requests`` 10,000 requests, so tables
  are the scarce resource, as at a real brokerage event);
* unavailability: 20 % of participants miss a half-day, everyone misses a few scattered slots;
* caps: 15 % of participants want at most 4-8 meetings;
* ``--requests`` requests: exhibitors ask buyers (and some buyers ask exhibitors); popular
  buyers get many requests (Zipf-like popularity); the sender says "must meet" (35 %) or
  "would like" (65 %); the receiver's own rating is "must meet" (15 %), "would like" (35 %),
  nothing (45 %) or "no thanks" (5 %, such pairs are not candidates: the builder drops them);
  a recommendation score in [0, 1] breaks ties;
* 1 % as many fixed (accepted) meetings as requests, already in slots and at tables.

Measured for ``matchmaker.scheduler.solver.solve`` (``--time-limit``, default 10 s) and for
``greedy`` (first-fit by weight) in the same run: seconds, meetings placed, total preference
(weights), idle gaps (and per participant); and
``upper_bound``: the time-indexed LP relaxation solved by HiGHS (see
``matchmaker.scheduler.bound``; it takes longer than the solver and is not timed as its
part), and the weaker ``aggregated_bound`` (one variable per request) beside it.

    python benchmarks/schedule.py [--seed 7] [--participants 2000] [--requests 10000]
        [--tables 150] [--time-limit 10] [--quick]

Prints one JSON document on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matchmaker.scheduler.bound import aggregated_bound, upper_bound
from matchmaker.scheduler.greedy import greedy
from matchmaker.scheduler.problem import Candidate, Problem, Slot, check, weight
from matchmaker.scheduler.solver import solve

DAYS = 2
MORNING = 9  # 09:00-12:00: 9 slots of 20 minutes
AFTERNOON = 12  # 13:00-17:00: 12 slots


def log(message: str) -> None:
    """Progress on stderr (as harness.log, without importing the web app it sets up)."""
    print(message, file=sys.stderr, flush=True)


TARGETS = {"seconds": 10.0, "preference_vs_greedy": 1.05, "of_upper_bound": 0.95}


def make_problem(
    seed: int, participants: int, requests: int, tables: int
) -> tuple[Problem, dict[str, int]]:
    rng = random.Random(seed)
    per_day = MORNING + AFTERNOON
    slots = [
        Slot(id=day * per_day + index + 1, day=day, index=index)
        for day in range(DAYS)
        for index in range(per_day)
    ]
    table_ids = list(range(1, tables + 1))
    exhibitors = list(range(1, round(participants * 0.6) + 1))
    buyers = list(range(len(exhibitors) + 1, participants + 1))
    orgs = exhibitors + buyers

    # Availability: a missed half-day for one in five, a few scattered slots for everyone.
    free: dict[int, set[int]] = {}
    for org in orgs:
        available = {s.id for s in slots}
        if rng.random() < 0.2:
            day = rng.randrange(DAYS)
            morning = rng.random() < 0.5
            available -= {s.id for s in slots if s.day == day and (s.index < MORNING) == morning}
        for _ in range(rng.choice((0, 0, 1, 2, 3, 4))):
            available.discard(rng.choice(slots).id)
        free[org] = available
    caps = {org: rng.randint(4, 8) for org in orgs if rng.random() < 0.15}

    # Popularity: buyers by a Zipf-like law (a few get dozens of requests), exhibitors milder.
    buyer_pop = [1.0 / (rank + 8) ** 0.9 for rank in range(len(buyers))]
    rng.shuffle(buyer_pop)
    exhibitor_pop = [1.0 / (rank + 30) ** 0.5 for rank in range(len(exhibitors))]
    rng.shuffle(exhibitor_pop)

    pairs: set[tuple[int, int]] = set()
    candidates: list[Candidate] = []
    declined = 0
    attempts = 0
    while len(pairs) < requests and attempts < requests * 20:
        attempts += 1
        exhibitor = rng.choices(exhibitors, exhibitor_pop)[0]
        buyer = rng.choices(buyers, buyer_pop)[0]
        pair = (exhibitor, buyer)
        if pair in pairs:
            continue
        pairs.add(pair)
        sender = "must" if rng.random() < 0.35 else "would_like"
        r = rng.random()
        receiver = "must" if r < 0.15 else "would_like" if r < 0.5 else None if r < 0.95 else "no"
        if receiver == "no":
            declined += 1  # "no thanks": never a candidate
            continue
        levels = (sender, receiver) if rng.random() < 0.85 else (receiver, sender)
        key = len(candidates) + 1 if rng.random() < 0.9 else -(len(candidates) + 1)
        candidates.append(
            Candidate(key=key, a=exhibitor, b=buyer, weight=weight(*levels, rng.random()))
        )

    # Fixed (accepted) meetings: 1 % of the requests, already in a slot at a table.
    taken: dict[int, set[int]] = {}
    busy: dict[int, set[int]] = {}
    fixed = 0
    for _ in range(requests // 100):
        one, other = rng.choice(exhibitors), rng.choice(buyers)
        common = sorted(free[one] & free[other])
        if not common:
            continue
        slot = rng.choice(common)
        used = taken.setdefault(slot, set())
        table = rng.choice([t for t in table_ids if t not in used])
        used.add(table)
        for org in (one, other):
            free[org].discard(slot)
            busy.setdefault(org, set()).add(slot)
            if org in caps:
                caps[org] = max(0, caps[org] - 1)
        fixed += 1
    problem = Problem(
        slots=slots,
        tables=table_ids,
        free=free,
        caps=caps,
        taken_tables=taken,
        busy=busy,
        candidates=candidates,
    )
    size = {
        "participants": participants,
        "exhibitors": len(exhibitors),
        "buyers": len(buyers),
        "requests": requests,
        "candidates": len(candidates),
        "no_thanks_dropped": declined,
        "slots": len(slots),
        "tables": tables,
        "table_slots": sum(problem.free_tables(s.id) for s in slots),
        "fixed_meetings": fixed,
        "capped_participants": len(caps),
        "seed": seed,
    }
    return problem, size


def measure(problem: Problem, solution) -> dict:
    """The figures for one schedule; gaps per participant are over every participant."""
    return {
        "seconds": round(solution.seconds, 3),
        "placed": len(solution.placed),
        "preference": solution.preference,
        "gaps": solution.gaps,
        "gaps_per_participant": round(solution.gaps / max(1, len(problem.free)), 4),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--tables", type=int, default=150)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--quick", action="store_true", help="a small fair, for a smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.participants, args.requests, args.tables = 120, 500, 8
        args.time_limit = min(args.time_limit, 2.0)

    log(f"generating {args.participants} participants, {args.requests} requests")
    problem, size = make_problem(args.seed, args.participants, args.requests, args.tables)

    log("greedy first-fit")
    base = greedy(problem)
    check(problem, base.placed)

    log(f"solver (time limit {args.time_limit} s)")
    started, cpu = time.perf_counter(), time.process_time()
    ours = solve(problem, time_limit=args.time_limit, seed=args.seed)
    ours.seconds = time.perf_counter() - started  # the whole call, not what it reports
    ours_cpu = time.process_time() - cpu  # what it costs on a machine busy with other work
    check(problem, ours.placed)

    log("upper bound (time-indexed LP relaxation, HiGHS)")
    started = time.perf_counter()
    bound = upper_bound(problem, max_variables=10**8)
    bound_seconds = time.perf_counter() - started
    coarse = aggregated_bound(problem)

    o, g = measure(problem, ours), measure(problem, base)
    o["cpu_seconds"] = round(ours_cpu, 3)
    ratios = {
        "preference_vs_greedy": round(o["preference"] / max(1, g["preference"]), 4),
        "placed_vs_greedy": round(o["placed"] / max(1, g["placed"]), 4),
        "of_upper_bound": round(o["preference"] / bound, 4) if bound else None,
        "greedy_of_upper_bound": round(g["preference"] / bound, 4) if bound else None,
        # The most any scheduler could gain over first-fit here (the 5 % target needs >= 1.05).
        "upper_bound_vs_greedy": round(bound / max(1, g["preference"]), 4),
        "gaps_vs_greedy": round(o["gaps"] / max(1, g["gaps"]), 4),
    }
    met = {
        "seconds": o["seconds"] <= TARGETS["seconds"],
        "placed": o["placed"] >= g["placed"],
        "preference": ratios["preference_vs_greedy"] >= TARGETS["preference_vs_greedy"],
        "upper_bound": (ratios["of_upper_bound"] or 0) >= TARGETS["of_upper_bound"],
        "gaps": o["gaps"] < g["gaps"],
    }
    print(
        json.dumps(
            {
                "ours": o,
                "greedy": g,
                "upper_bound": round(bound, 1),
                "upper_bound_seconds": round(bound_seconds, 3),
                "aggregated_bound": round(coarse, 1),
                "ratios": ratios,
                "targets_met": met,
                "solver_stats": ours.stats,
                "size": size,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
