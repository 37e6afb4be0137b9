"""The organizer's report on a big fair: how long the page takes to render.

Setup (not timed): a temporary SQLite database migrated with ``matchmaker.migrate.upgrade``;
a fair of 2 days of 20-minute slots (09:00-17:00, lunch 12:00-13:00) with 150 tables made
through the service; then, inserted in bulk: ``--participants`` organizations in 12 countries
(all four market groups) with registrations (a third checked in), ``--meetings``
accepted / held / no-show meetings spread over the slots and tables (nobody twice in a slot),
1,000 more requests that were declined, cancelled or are waiting, ``--outcomes`` outcomes on
held meetings (an eighth of those meetings with one from each side) in USD, CNY, EUR and KRW,
and rates for CNY and EUR (KRW stays "not converted").

Measured, p50 / p95 in ms over ``--repeat`` warm runs through the Flask test client, signed
in as an administrator:

* ``report_page``: GET /exhibitions/<id>/report (endpoint ``exhibitions.report``);
* ``statistics_api``: GET /api/v1/exhibitions/<id>/statistics;
* ``baseline_page``: a bare route rendering a ten-line template with the user's e-mail.

    python benchmarks/report.py [--participants 2000] [--meetings 6000] [--outcomes 4000]

Prints one JSON document on stdout (target: report_page p95 <= 300 ms); progress on stderr.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness import log, make_app, percentiles, timed
from sqlmodel import Session
from werkzeug.security import generate_password_hash

from matchmaker.accounts.models import User
from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import ExchangeRate, Meeting, MeetingOutcome, Registration
from matchmaker.profiles.models import Organization

PASSWORD = "bench-password"
TARGET_MS = 300
COUNTRIES = ("CN", "CN", "CN", "DE", "US", "JP", "FR", "KZ", "AE", "MY", "BR", "KR")
SERVICES = ("ito.software_rd", "ito.cloud_computing", "bpo.call_center", "kpo.legal_services")
CURRENCIES = ("USD", "USD", "CNY", "EUR", "KRW")
FAIR = {
    "name": {"en": "Benchmark Report Fair", "zh_Hans": "基准报告交易会"},
    "city": "Beijing",
    "venue": "Benchmark Convention Centre",
    "timezone": "Asia/Shanghai",
    "starts_on": "2027-09-01",
    "ends_on": "2027-09-02",
    "day_start": "09:00",
    "day_end": "17:00",
    "slot_minutes": 20,
    "breaks": [{"starts": "12:00", "ends": "13:00"}],
    "tables": 150,
    "status": "published",
}


def populate(db: Session, participants: int, meetings: int, outcomes: int) -> int:
    rng = random.Random(20270901)
    admin = User(
        email="admin@bench.example",
        password_hash=generate_password_hash(PASSWORD),
        role="admin",
    )
    db.add(admin)
    db.commit()
    fair = service.create_exhibition(db, admin, FAIR)
    slot_ids = [s.id for s in service.list_slots(db, None, fair.id)]
    table_ids = [t.id for t in service.exhibition_tables(db, fair.id)]
    per_slot = -(-meetings // len(slot_ids))
    if per_slot > len(table_ids) or 2 * per_slot > participants:
        raise SystemExit(f"{meetings} meetings do not fit {len(slot_ids)} slots")
    orgs = [
        Organization(
            kind="provider" if n % 3 else "buyer",
            name=f"Bench Organization {n:05d}",
            country=COUNTRIES[n % len(COUNTRIES)],
            services=[SERVICES[n % len(SERVICES)]],
            languages=["en"],
        )
        for n in range(participants)
    ]
    db.add_all(orgs)
    db.flush()
    org_ids = [o.id for o in orgs]
    checked = datetime(2027, 9, 1, 1, 0, tzinfo=UTC)
    db.add_all(
        Registration(
            exhibition_id=fair.id,
            organization_id=org_id,
            role=("exhibitor", "buyer", "visitor")[n % 3],
            status="registered",
            checked_in_at=checked if n % 3 == 0 else None,
        )
        for n, org_id in enumerate(org_ids)
    )
    rows = []
    left = meetings
    for index, slot_id in enumerate(slot_ids):
        count = min(left, meetings // len(slot_ids) + (index < meetings % len(slot_ids)))
        left -= count
        pool = rng.sample(org_ids, 2 * count)
        for k in range(count):
            status = rng.choices(("held", "no_show", "accepted"), (75, 10, 15))[0]
            rows.append(
                Meeting(
                    exhibition_id=fair.id,
                    requester_id=pool[2 * k],
                    invitee_id=pool[2 * k + 1],
                    slot_id=slot_id,
                    table_id=table_ids[k],
                    status=status,
                    placed_by=rng.choice(("people", "scheduler")),
                )
            )
    for n in range(1000):
        one, other = rng.sample(org_ids, 2)
        status = ("declined", "cancelled", "requested")[n % 3]
        rows.append(
            Meeting(exhibition_id=fair.id, requester_id=one, invitee_id=other, status=status)
        )
    db.add_all(rows)
    db.flush()
    held = [m for m in rows if m.status == "held"]
    records = []
    for m in held:
        sides = (m.requester_id, m.invitee_id) if len(records) % 8 == 0 else (m.invitee_id,)
        for org_id in sides:
            if len(records) == outcomes:
                break
            currency = rng.choice(CURRENCIES)
            records.append(
                MeetingOutcome(
                    meeting_id=m.id,
                    organization_id=org_id,
                    outcome=rng.choice(("no_fit", "follow_up", "mou", "contract")),
                    service=rng.choice((*SERVICES, None)),
                    value_cents=rng.randrange(1, 10**9) if currency else None,
                    currency=currency,
                )
            )
    db.add_all(records)
    db.add_all(
        [
            ExchangeRate(exhibition_id=fair.id, currency="CNY", usd_nanos_per_unit=138_900_000),
            ExchangeRate(exhibition_id=fair.id, currency="EUR", usd_nanos_per_unit=1_080_000_000),
        ]
    )
    db.commit()
    log(f"fair {fair.id}: {participants} participants, {len(rows)} meetings, "
        f"{len(records)} outcomes")  # fmt: skip
    return fair.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--meetings", type=int, default=6000)
    parser.add_argument("--outcomes", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        app = make_app(Path(workdir))
        with Session(app.extensions["matchmaker.engine"], expire_on_commit=False) as db:
            fair_id = populate(db, args.participants, args.meetings, args.outcomes)
        client = app.test_client()
        signed = client.post(
            "/account/login", data={"email": "admin@bench.example", "password": PASSWORD}
        )
        assert signed.status_code == 302, signed.status_code
        pages = {
            "report_page": f"/exhibitions/{fair_id}/report",
            "statistics_api": f"/api/v1/exhibitions/{fair_id}/statistics",
            "baseline_page": "/_bench/baseline",
        }
        results = {}
        for name, path in pages.items():
            first = client.get(path)  # warm: templates compiled, caches filled
            assert first.status_code == 200, (path, first.status_code)
            samples = [timed(lambda p=path: client.get(p).close()) for _ in range(args.repeat)]
            results[name] = percentiles(samples)
            log(f"{name}: {results[name]}")
        report = results["report_page"]
        print(
            json.dumps(
                {
                    "setup": vars(args),
                    **results,
                    "report_vs_baseline": round(
                        report["p50_ms"] / max(results["baseline_page"]["p50_ms"], 1e-9), 1
                    ),
                    "target_ms": TARGET_MS,
                    "meets_target": report["p95_ms"] <= TARGET_MS,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
