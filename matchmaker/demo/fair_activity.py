"""What happens at a demo fair after registration: preferences, a schedule, and for a fair
that is over, check-ins, held meetings and their outcomes — so every organizer page is full
on a fresh `matchmaker demo`.

Everything goes through the services the site uses (the scheduler's commit, check-in,
marking, outcomes, exchange rates), acted by the demo accounts. Choices that real people
would make are derived from the data (shared services make a "must") and from a stable
hash of the pair, so loading is deterministic.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.numbers import get_territory_currencies
from sqlmodel import Session, select

from matchmaker.exhibitions import checkin, exchange_rates, outcomes
from matchmaker.exhibitions.models import Exhibition, Meeting, Registration
from matchmaker.profiles.models import Organization
from matchmaker.scheduler import preferences
from matchmaker.scheduler import service as scheduler

# What the organizer of a demo fair entered: US dollars per unit (demo values, rounded
# from published mid-market rates of late 2026; the report states the rates it used).
DEMO_RATES = {
    "AED": "0.2723",
    "SAR": "0.2667",
    "EGP": "0.0204",
    "CNY": "0.1390",
    "EUR": "1.0800",
    "GBP": "1.2700",
    "JPY": "0.0067",
    "KZT": "0.0020",
    "RUB": "0.0110",
    "SGD": "0.7400",
    "HKD": "0.1280",
    "QAR": "0.2747",
    "TRY": "0.0290",
    "PKR": "0.0036",
    "MYR": "0.2200",
    "BRL": "0.1800",
    "CHF": "1.1300",
    "KRW": "0.00072",
    "IDR": "0.000062",
    "THB": "0.0290",
    "VND": "0.000040",
    "INR": "0.0119",
}
# Stages in the order a meeting may reach them, and how often (per thousand) it does.
OUTCOME_SHARES = (("contract", 150), ("mou", 200), ("follow_up", 450), ("no_fit", 200))
SCHEDULE_SECONDS = 2.0


def _roll(*parts: object) -> int:
    """A stable number in 0..999 for these parts (the same on every machine and run)."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") % 1000


def _level(mine: Organization, theirs: Organization) -> str | None:
    """What ``mine`` says about meeting ``theirs``: shared services make the wish."""
    if mine.kind == theirs.kind:
        return None  # buyers meet providers, and the other way round
    shared = set(mine.services) & set(theirs.services)
    roll = _roll("level", mine.id, theirs.id)
    if len(shared) >= 2:
        return "must" if roll < 800 else "would_like"
    if shared:
        return "would_like" if roll < 700 else ("must" if roll < 800 else None)
    return "no_thanks" if roll < 60 else None


def load_activity(
    db: Session, actors, fair: Exhibition, spec: dict, today: date | None = None
) -> dict:
    """Preferences, the schedule if the data says so; at a fair that is over, what came of it."""
    registered = list(
        db.exec(
            select(Registration).where(
                Registration.exhibition_id == fair.id, Registration.status == "registered"
            )
        )
    )
    orgs = {
        o.id: o
        for o in db.exec(
            select(Organization).where(Organization.id.in_([r.organization_id for r in registered]))
        )
    }
    stated = 0
    for org_id, org in orgs.items():
        levels = {}
        for other_id, other in orgs.items():
            level = _level(org, other) if other_id != org_id else None
            if level:
                levels[other_id] = level
        if levels:
            stated += preferences.set_preferences(
                db, actors.member_of(org_id), fair.id, org_id, levels
            )
    for n, org_id in enumerate(sorted(orgs)):
        if n % 5 == 2:  # a few busy people cap their day
            preferences.set_meeting_cap(db, actors.member_of(org_id), fair.id, org_id, 4 + n % 3)
    summary = {"preferences": stated}
    if spec.get("schedule_committed"):
        result = scheduler.commit(db, actors.organizer, fair.id, time_limit=SCHEDULE_SECONDS)
        summary["scheduled"] = len(result.placed)
    if fair.ends_on < (today or date.today()):
        summary.update(_after_the_fair(db, actors, fair, registered, orgs))
    return summary


def _after_the_fair(db: Session, actors, fair: Exhibition, registered, orgs) -> dict:
    zone = ZoneInfo(fair.timezone)
    doors = datetime.combine(fair.starts_on, time(8, 40), tzinfo=zone)
    checked = 0
    for n, registration in enumerate(sorted(registered, key=lambda r: r.id)):
        if _roll("absent", registration.id) < 80:
            continue  # a few never came
        at = doors + timedelta(minutes=3 * n + _roll("late", registration.id) % 40)
        checkin.check_in(db, actors.organizer, fair.id, registration.id, now=at)
        checked += 1
    for currency, rate in DEMO_RATES.items():
        exchange_rates.set_rate(db, actors.organizer, fair.id, currency, rate)
    after = datetime.combine(fair.ends_on, time(20, 0), tzinfo=zone)
    accepted = list(
        db.exec(
            select(Meeting)
            .where(Meeting.exhibition_id == fair.id, Meeting.status == "accepted")
            .order_by(Meeting.id)
        )
    )
    held = 0
    for meeting in accepted:
        status = "no_show" if _roll("show", meeting.id) < 90 else "held"
        outcomes.mark_meeting(db, actors.organizer, meeting.id, status, now=after)
        held += status == "held"
    recorded = 0
    for meeting in db.exec(
        select(Meeting)
        .where(Meeting.exhibition_id == fair.id, Meeting.status == "held")
        .order_by(Meeting.id)
    ).all():
        for side in (meeting.requester_id, meeting.invitee_id):
            if _roll("says", meeting.id, side) < 250:
                continue  # not everybody fills in the form
            _record(db, actors, meeting, side, orgs)
            recorded += 1
    return {"checked_in": checked, "held": held, "outcomes": recorded}


def _record(db: Session, actors, meeting: Meeting, side: int, orgs: dict) -> None:
    roll = _roll("outcome", meeting.id)  # both sides mostly agree on how it went
    outcome, total = "no_fit", 0
    for name, share in OUTCOME_SHARES:
        total += share
        if roll < total:
            outcome = name
            break
    one, other = orgs[meeting.requester_id], orgs[meeting.invitee_id]
    provider = one if one.kind == "provider" else other
    buyer = other if provider is one else one
    shared = [s for s in provider.services if s in set(buyer.services)]
    service = (shared or provider.services or [None])[0]
    value = currency = None
    if outcome in ("follow_up", "mou", "contract"):
        currency = _currency(buyer.country)
        usd = {"follow_up": 40_000, "mou": 150_000, "contract": 400_000}[outcome]
        usd = usd * (50 + _roll("value", meeting.id) % 150) // 100
        rate = Decimal(DEMO_RATES.get(currency, "1"))
        value = (Decimal(usd) / rate).quantize(Decimal("1000"))
    outcomes.record_outcome(
        db, actors.member_of(side), meeting.id, side, outcome, service, value, currency
    )


def _currency(country: str) -> str:
    """The buyer's own currency when the demo organizer has a rate for it, else US dollars."""
    found = get_territory_currencies(country, date(2026, 11, 1), tender=True)
    return found[0] if found and found[0] in DEMO_RATES else "USD"
