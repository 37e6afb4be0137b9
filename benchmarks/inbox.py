"""Conversation speed: a busy organization's inbox, a long thread, and sending a reply.

Setup (not timed): a temporary SQLite database migrated with ``matchmaker.migrate.upgrade``;
``--organizations`` organizations inserted in bulk; ``--conversations`` conversations with
their two member rows and ``--messages`` messages inserted in bulk (rows that respect every
constraint). One organization (the "focus") takes part in ``--focus-conversations`` of
them, one of which holds ``--thread-messages`` messages; the rest pair other organizations
at random. The focus organization and its partner in the long thread each get a member
with a verified e-mail (the partner's member receives the notification and the e-mail).

Measured, p50 / p95 in ms over ``--repeat`` runs, through the Flask test client signed in
as the focus organization's member:

* ``inbox_page``: GET /conversations (first page of the focus organization's inbox, with
  unread counts; endpoint ``conversations.inbox``);
* ``inbox_search``: GET /conversations?q=… (subject, messages and partner name; no target);
* ``thread_page``: GET /conversations/<id> of the long thread (all its messages);
* ``send``: POST /conversations/<id> with a reply (the message, the unread count of the
  other side, its in-app notification and its queued e-mail; nothing is sent inline).

Baseline in the same run: ``baseline_page``, a bare route rendering a ten-line template that
shows the signed-in user's e-mail (session cookie and user load), same test client.

    python benchmarks/inbox.py [--organizations 10000] [--conversations 50000]
                               [--messages 500000] [--repeat 200]

Prints one JSON document on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import log, make_app, percentiles, timed
from sqlalchemy import insert
from sqlmodel import Session

from matchmaker.accounts.models import utcnow
from matchmaker.accounts.service import create_user
from matchmaker.profiles.models import Organization

PASSWORD = "bench-password"
TARGETS_MS = {"inbox_page": 30, "thread_page": 30, "send": 20}

# Words of message bodies, in several scripts.
_WORDS_TEXT = """claims processing contact center software testing payroll cloud migration data
annotation 数据 标注 呼叫中心 软件 测试 مركز اتصال معالجة المطالبات выставление счетов
proposal budget timeline quarter team meeting Chengdu Dalian Hamburg Riyadh"""
WORDS = tuple(_WORDS_TEXT.split())


# --- setup -----------------------------------------------------------------------------


def insert_organizations(engine, count: int) -> list[int]:
    now = utcnow()
    rows = [
        {
            "kind": "provider" if n % 2 else "buyer",
            "name": f"Benchmark Firm {n:05d}",
            "country": ("CN", "DE", "SA", "US", "RU", "BR")[n % 6],
            "city": "",
            "website": "",
            "services": ["ito.software_rd"],
            "target_markets": [],
            "languages": ["en"],
            "certifications": [],
            "industries": [],
            "visibility": "public",
            "verified": False,
            "created_at": now,
            "updated_at": now,
        }
        for n in range(count)
    ]
    with engine.begin() as connection:
        connection.execute(insert(Organization.__table__), rows)
        ids = [row[0] for row in connection.exec_driver_sql("SELECT id FROM organizations")]
    return sorted(ids)


def _iso(moment: datetime) -> str:
    # SQLAlchemy's SQLite DateTime storage format.
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def _text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))


def insert_conversations(path: Path, org_ids: list[int], args, rng: random.Random) -> dict:
    """Bulk rows; returns the focus organization, its long thread and that thread's partner."""
    focus = org_ids[0]
    others = org_ids[1:]
    counts = [args.messages // args.conversations] * args.conversations
    counts[0] = args.thread_messages
    # Keep the total exact: take the long thread's surplus from the other conversations.
    surplus = sum(counts) - args.messages
    n = 1
    while surplus > 0:
        if counts[n] > 1:
            counts[n] -= 1
            surplus -= 1
        n = n % (args.conversations - 1) + 1
    start = utcnow() - timedelta(days=400)
    conversations, members, messages = [], [], []
    message_id = 0
    for index in range(args.conversations):
        cid = index + 1
        if index < args.focus_conversations:
            a, b = focus, others[index % len(others)]
        else:
            a, b = rng.sample(others, 2)
        created = start + timedelta(minutes=10 * index)
        moment = created
        for k in range(counts[index]):
            message_id += 1
            moment = created + timedelta(seconds=30 * k)
            messages.append(
                (message_id, cid, None, a if k % 2 == 0 else b, _text(rng), "en", _iso(moment))
            )
        last = _iso(moment)
        conversations.append((cid, f"Inquiry {cid}: {rng.choice(WORDS)}", a, _iso(created), last))
        unread_b = rng.randint(0, 3)
        members.append((2 * cid - 1, cid, a, b, last, last, 0))
        members.append((2 * cid, cid, b, a, last, None, unread_b))
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            "INSERT INTO conversations (id, subject, started_by_org_id, created_at, "
            "last_message_at, services, budget, timeline) VALUES (?, ?, ?, ?, ?, '[]', NULL, '')",
            conversations,
        )
        connection.executemany(
            "INSERT INTO conversation_members (id, conversation_id, organization_id, "
            "partner_id, last_message_at, last_read_at, unread, archived_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
            members,
        )
        connection.executemany(
            "INSERT INTO messages (id, conversation_id, author_user_id, organization_id, body, "
            "language, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            messages,
        )
    connection.execute("ANALYZE")
    connection.close()
    return {"focus": focus, "thread": 1, "partner": others[0]}


def add_members(engine, focus: int, partner: int) -> str:
    with Session(engine, expire_on_commit=False) as db:
        emails = []
        for org_id in (focus, partner):
            user = create_user(
                db, f"member{org_id}@bench.example", PASSWORD, organization_id=org_id
            )
            user.email_verified_at = utcnow()
            db.add(user)
            emails.append(user.email)
        db.commit()
    return emails[0]


# --- measurements ----------------------------------------------------------------------


def measure(client, request: Callable[[], object], repeat: int, status: int) -> dict:
    response = request()  # warm-up, and a check that the page works
    if response.status_code != status:
        return {"error": f"HTTP {response.status_code}"}
    return percentiles([timed(request) for _ in range(repeat)])


def run(workdir: Path, args) -> dict:
    started = time.perf_counter()
    rng = random.Random(7)
    app = make_app(workdir, CONVERSATIONS_PER_DAY=10**9)
    engine = app.extensions["matchmaker.engine"]
    org_ids = insert_organizations(engine, args.organizations)
    log(f"{len(org_ids)} organizations")
    ids = insert_conversations(workdir / "bench.sqlite3", org_ids, args, rng)
    email = add_members(engine, ids["focus"], ids["partner"])
    setup_s = time.perf_counter() - started
    log(f"setup in {setup_s:.1f}s")

    client = app.test_client()
    response = client.post("/account/login", data={"email": email, "password": PASSWORD})
    if response.status_code != 302:
        raise SystemExit(f"sign-in failed: HTTP {response.status_code}")
    thread = f"/conversations/{ids['thread']}"
    report: dict = {
        "machine": {"cpus": os.cpu_count(), "sqlite": sqlite3.sqlite_version},
        "setup": {
            "organizations": args.organizations,
            "conversations": args.conversations,
            "messages": args.messages,
            "focus_conversations": args.focus_conversations,
            "thread_messages": args.thread_messages,
            "seconds": round(setup_s, 1),
        },
        "targets_p95_ms": TARGETS_MS,
    }
    repeat = args.repeat
    report["baseline_page"] = measure(client, lambda: client.get("/_bench/baseline"), repeat, 200)
    log("inbox")
    report["inbox_page"] = measure(client, lambda: client.get("/conversations"), repeat, 200)
    report["inbox_search"] = measure(
        client, lambda: client.get("/conversations?q=Hamburg"), max(10, repeat // 10), 200
    )
    log("thread")
    report["thread_page"] = measure(client, lambda: client.get(thread), repeat, 200)
    log("send")
    texts = iter(f"Reply number {n}: {_text(rng)}" for n in range(repeat + 1))
    report["send"] = measure(
        client, lambda: client.post(thread, data={"body": next(texts)}), repeat, 303
    )
    base = report["baseline_page"]["p50_ms"]
    report["ratios_p50"] = {
        name: round(report[name]["p50_ms"] / base, 1)
        for name in ("inbox_page", "inbox_search", "thread_page", "send")
        if "p50_ms" in report[name]
    }
    report["targets_met"] = {
        name: report[name].get("p95_ms", float("inf")) <= limit
        for name, limit in TARGETS_MS.items()
    }
    log(f"done in {time.perf_counter() - started:.1f}s")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", type=int, default=10_000)
    parser.add_argument("--conversations", type=int, default=50_000)
    parser.add_argument("--messages", type=int, default=500_000)
    parser.add_argument("--focus-conversations", type=int, default=2_000)
    parser.add_argument("--thread-messages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temp dir")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="matchmaker-inbox-bench-") as temp:
        report = run(args.workdir or Path(temp), args)
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
