"""Load the demo trade fairs (fairs.json) through the exhibitions service.

Every row goes through the same service calls as the site (capacity, approval, booths,
slots, no double booking), acted by the demo accounts: the organizer sets the fair up and
decides registrations; an organization acts through its demo user, or else through the
demo administrator. A fair whose key is present is skipped, so loading again adds nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from matchmaker.accounts.models import User
from matchmaker.exhibitions import service
from matchmaker.exhibitions.models import Exhibition, Registration
from matchmaker.exhibitions.times import local
from matchmaker.profiles.models import Organization

from .fair_activity import load_activity

ORGANIZER_EMAIL = "organizer@matchmaker.example"
ADMIN_EMAIL = "admin@matchmaker.example"
WALL_FORMAT = "%Y-%m-%d %H:%M"
# Registrations that leave go first, waiting lists last (they wait because the rest is full).
_PHASES = (("declined", "withdrawn"), ("registered", "pending"), ("waitlisted",))


@cache
def demo_fairs() -> list[dict[str, Any]]:
    """The fairs of fairs.json, as plain data."""
    text = resources.files(__package__).joinpath("fairs.json").read_text(encoding="utf-8")
    return json.loads(text)["fairs"]


class _Actors:
    """Who acts for whom: the organizer, each organization's demo user, else the admin."""

    def __init__(self, db: Session, orgs: dict[str, int]):
        users = {
            u.email: u for u in db.exec(select(User).where(User.email.like("%@matchmaker.example")))
        }
        self.organizer = users[ORGANIZER_EMAIL]
        self.admin = users[ADMIN_EMAIL]
        self._members = {u.organization_id: u for u in users.values() if u.organization_id}
        self.orgs = orgs

    def org(self, key: str) -> int:
        return self.orgs[key]

    def member(self, key: str) -> User:
        return self.member_of(self.orgs[key])

    def member_of(self, org_id: int) -> User:
        return self._members.get(org_id, self.admin)


def load_fairs(db: Session, echo: Callable[[str], None] = lambda _msg: None) -> int:
    """Add the demo fairs that are missing (by key); returns how many were added."""
    fairs = demo_fairs()
    present = set(db.exec(select(Exhibition.key).where(Exhibition.key.is_not(None))))
    echo(f"• Demo fairs: {len(fairs)} ({len(present & {f['key'] for f in fairs})} present)")
    orgs = {key: oid for key, oid in db.exec(select(Organization.key, Organization.id)) if key}
    actors = _Actors(db, orgs)
    added = 0
    for spec in fairs:
        if spec["key"] in present:
            continue
        fair, activity = _load_fair(db, actors, spec)
        echo(
            f"  {fair.name_in('en')}: {len(spec['sessions'])} sessions, "
            f"{sum(h['rows'] * h['cols'] for h in spec['booths'])} booths, "
            f"{len(spec['registrations'])} registrations, {len(spec['meetings'])} meetings; "
            + ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in activity.items())
        )
        added += 1
    return added


def _load_fair(
    db: Session, actors: _Actors, spec: dict[str, Any]
) -> tuple[Exhibition, dict[str, int]]:
    data = {**spec["fair"], "key": spec["key"], "status": "published"}
    for role in ("exhibitor", "buyer", "visitor"):
        data[f"capacity_{role}"] = _capacity(spec["registrations"], role)
    fair = service.create_exhibition(db, actors.organizer, data)
    _lay_out_booths(db, actors, fair, spec["booths"])
    sessions = _add_sessions(db, actors, fair, spec["sessions"])
    slots = {
        local(s.starts_at, fair.timezone).strftime(WALL_FORMAT): s.id
        for s in service.list_slots(db, actors.organizer, fair.id)
    }
    _register(db, actors, fair, spec["registrations"])
    booths = {b.code: b.id for b in service.list_booths(db, actors.organizer, fair.id)}
    for item in spec["registrations"]:
        member = actors.member(item["org"])
        org_id = actors.org(item["org"])
        if "booth" in item:
            service.book_booth(db, member, booths[item["booth"]], org_id)
        for ref in item.get("sessions", ()):
            service.choose_session(db, member, sessions[ref], org_id)
        if "unavailable" in item:
            wanted = [_slot(slots, wall, fair) for wall in item["unavailable"]]
            service.set_unavailability(db, member, fair.id, org_id, wanted)
    for item in spec["meetings"]:
        _meeting(db, actors, fair, slots, item)
    return fair, load_activity(db, actors, fair, spec)


def _capacity(registrations: list[dict], role: str) -> int | None:
    """A role with a waiting list is full: its capacity is the places held (no limit else)."""
    of_role = [r for r in registrations if r["role"] == role]
    if not any(r["status"] == "waitlisted" for r in of_role):
        return None
    return sum(r["status"] in ("registered", "pending") for r in of_role)


def _lay_out_booths(db: Session, actors: _Actors, fair: Exhibition, halls: list[dict]) -> None:
    """Rows of booths with an aisle between rows, numbered along each row."""
    for hall in halls:
        number = 0
        for row in range(hall["rows"]):
            for col in range(hall["cols"]):
                number += 1
                booth = {
                    "code": f"{hall['prefix']}{number:02d}",
                    "hall": hall["hall"],
                    "size": hall["size"],
                    "row": row * 2,
                    "col": col,
                }
                service.create_booth(db, actors.organizer, fair.id, booth)


def _add_sessions(db: Session, actors: _Actors, fair: Exhibition, items: list[dict]) -> dict:
    zone = ZoneInfo(fair.timezone)
    refs = {}
    for item in items:
        data = {
            "kind": item["kind"],
            "hall": item["hall"],
            "starts_at": datetime.strptime(item["starts"], WALL_FORMAT).replace(tzinfo=zone),
            "ends_at": datetime.strptime(item["ends"], WALL_FORMAT).replace(tzinfo=zone),
            "title": item["title"],
            "speakers": item.get("speakers", {}),
        }
        refs[item["ref"]] = service.create_session(db, actors.organizer, fair.id, data).id
    return refs


def _register(db: Session, actors: _Actors, fair: Exhibition, items: list[dict]) -> None:
    for phase in _PHASES:
        for item in (i for i in items if i["status"] in phase):
            registration = service.register(
                db, actors.member(item["org"]), fair.id, actors.org(item["org"]), item["role"]
            )
            decision = {"declined": "declined", "withdrawn": "withdrawn"}.get(item["status"])
            if item["status"] == "registered" and registration.status == "pending":
                decision = "approved"
            if decision:
                actor = actors.member(item["org"]) if decision == "withdrawn" else actors.organizer
                registration = service.decide_registration(
                    db, actor, registration.id, decision, item.get("reason", "")
                )
            _expect(registration, item)


def _expect(registration: Registration, item: dict) -> None:
    if registration.status != item["status"]:
        raise ValueError(
            f"demo fair data: {item['org']} ended {registration.status}, not {item['status']}"
        )


def _slot(slots: dict[str, int], wall: str, fair: Exhibition) -> int:
    if wall not in slots:
        raise ValueError(f"demo fair data: no meeting slot at {wall} ({fair.key})")
    return slots[wall]


def _meeting(db: Session, actors: _Actors, fair: Exhibition, slots: dict, item: dict) -> None:
    """Request, then answer as the data says: accept, decline, propose, cancel, mark."""
    requester, invitee = item["from"], item["to"]
    slot_id = _slot(slots, item["slot"], fair) if "slot" in item else None
    meeting = service.request_meeting(
        db,
        actors.member(requester),
        fair.id,
        actors.org(requester),
        actors.org(invitee),
        slot_id,
        item.get("message", ""),
    )
    status = item["status"]
    answer = actors.member(invitee)
    if status in ("accepted", "held", "no_show") or item.get("accepted_first"):
        service.accept_meeting(db, answer, meeting.id, slot_id)
    if status in ("held", "no_show"):
        service.mark_meeting(db, actors.organizer, meeting.id, status)
    elif status == "declined":
        service.decline_meeting(db, answer, meeting.id, item.get("reason", ""))
    elif status == "proposed":
        service.propose_slot(
            db, answer, meeting.id, _slot(slots, item["propose"], fair), actors.org(invitee)
        )
    elif status == "cancelled":
        side = requester if item.get("by", "from") == "from" else invitee
        service.cancel_meeting(db, actors.member(side), meeting.id, item.get("reason", ""))
