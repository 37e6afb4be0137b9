"""Helpers for the account tests: mailed links read back from the outbox."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select


@pytest.fixture
def outbox(db):
    """The queued mails, oldest first (read fresh on every call)."""
    from matchmaker.notifications.models import OutboxMail

    def read(to: str | None = None) -> list:
        db.expire_all()
        query = select(OutboxMail).order_by(OutboxMail.id)
        if to is not None:
            query = query.where(OutboxMail.to == to)
        return list(db.exec(query))

    return read


def link_in(mail, kind: str) -> str:
    """The site path of the ``kind`` link (verify, reset, invitations) in a mail."""
    match = re.search(rf"https?://[^/\s]+(/account/{kind}/\S+)", mail.text)
    assert match, mail.text
    return match.group(1)


@pytest.fixture
def second_client(app):
    """Another browser: its own cookies, its own session."""
    return app.test_client()
