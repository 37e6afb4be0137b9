"""Factories for fairs, participants and meetings."""

from __future__ import annotations

import itertools

import pytest
from sqlmodel import Session, func, select

from matchmaker.accounts.models import User
from matchmaker.exhibitions import service
from matchmaker.profiles.models import Organization

_counter = itertools.count(1)

FAIR = {
    "name": {"en": "Service Outsourcing Fair", "zh_Hans": "服务外包交易会"},
    "description": {"en": "B2B meetings for the outsourcing trade."},
    "city": "Dalian",
    "venue": "Dalian World Expo Center",
    "timezone": "Asia/Shanghai",
    "starts_on": "2026-06-10",
    "ends_on": "2026-06-11",
    "day_start": "09:00",
    "day_end": "12:00",
    "slot_minutes": 30,
    "tables": 3,
    "status": "published",
}


def add_user(db: Session, *, role: str = "member", organization_id: int | None = None) -> User:
    """A user row without the (slow) password hashing; services only need the row."""
    n = next(_counter)
    user = User(
        email=f"fair-user{n}@example.com",
        password_hash="unused",
        role=role,
        organization_id=organization_id,
    )
    db.add(user)
    db.commit()
    return user


def add_org(db: Session, **fields) -> Organization:
    """An organization row (not indexed for search: fairs do not need it)."""
    n = next(_counter)
    values = {
        "kind": "provider",
        "name": f"Fair org {n}",
        "country": "CN",
        "services": ["ito.software_rd"],
    }
    values.update(fields)
    org = Organization(**values)
    db.add(org)
    db.commit()
    return org


def count(db: Session, model) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def organizer(db):
    return add_user(db, role="organizer")


@pytest.fixture
def admin(db):
    return add_user(db, role="admin")


@pytest.fixture
def make_fair(db, organizer):
    def make(actor: User | None = None, **overrides):
        data = {**FAIR, **overrides}
        return service.create_exhibition(db, actor or organizer, data)

    return make


@pytest.fixture
def make_member(db):
    """An organization with one member: returns (org, user)."""

    def make(**org_fields):
        org = add_org(db, **org_fields)
        return org, add_user(db, organization_id=org.id)

    return make


@pytest.fixture
def make_participant(db, make_member):
    """An organization registered at a fair: returns (org, user, registration)."""

    def make(fair, role: str = "exhibitor", **org_fields):
        org, user = make_member(**org_fields)
        registration = service.register(db, user, fair.id, org.id, role)
        return org, user, registration

    return make


@pytest.fixture
def slots(db):
    def of(fair):
        return service.list_slots(db, None, fair.id)

    return of
