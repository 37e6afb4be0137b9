"""Two organizations with a verified member each, ready to talk."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from matchmaker.accounts.models import utcnow


@dataclass
class Side:
    org: object
    user: object


@pytest.fixture
def member(db, make_user):
    """A member of ``org`` whose e-mail is verified (unless told otherwise)."""

    def make(org, verified: bool = True, **fields) -> object:
        user = make_user(organization_id=org.id, **fields)
        if verified:
            user.email_verified_at = utcnow()
            db.add(user)
            db.commit()
        return user

    return make


@pytest.fixture
def buyer(make_org, member):
    org = make_org(kind="buyer", name="Nordhafen Versicherung", country="DE", budget="250k_1m")
    return Side(org, member(org, display_name="Anna Weber"))


@pytest.fixture
def provider(make_org, member):
    org = make_org(
        kind="provider",
        name="Chengdu Cloud Works",
        services=["ito.software_rd", "bpo.call_center"],
    )
    return Side(org, member(org, display_name="Li Wei"))


@pytest.fixture
def call(app):
    """Run a service function in its own app context (notifications read the settings)."""

    def run(function, *args, **kwargs):
        with app.app_context():
            return function(*args, **kwargs)

    return run


@pytest.fixture
def conversation(call, db, buyer, provider):
    """An inquiry from the buyer to the provider."""
    from matchmaker.conversations import service

    return call(
        service.start_conversation, db, buyer.user, buyer.org.id, provider.org.id, "Claims", "Hello"
    )
