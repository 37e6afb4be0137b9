"""Notifications: the list with the unread count, and marking read."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from matchmaker.notifications.models import KINDS

from .common import Id, Instant, Out, Paging, Strict

NotificationKind = StrEnum("NotificationKind", [(kind, kind) for kind in KINDS])
NotificationKind.__doc__ = "What happened: inquiry, reply, interest, team_invitation, …"


class NotificationItem(Out):
    id: Id
    kind: NotificationKind
    text: str = Field(description="What happened, in the reader's language.")
    params: dict[str, str] = Field(
        description="The values the text is made of (organization names, subject, …).",
        examples=[{"from_org": "Nordlicht Versicherung AG", "subject": "Claims processing"}],
    )
    link: str = Field(description="Path of the page it is about, e.g. /conversations/5.")
    created_at: Instant
    read_at: Instant | None = Field(description="When it was marked read; null while unread.")


class NotificationPage(Paging):
    items: list[NotificationItem]
    unread: int = Field(ge=0, description="The reader's unread notifications, on all pages.")


class NotificationQuery(Strict):
    model_config = {"extra": "ignore"}

    page: int = Field(1, ge=1, le=100000, description="Page number, from 1.")
    per_page: int = Field(20, ge=1, le=100, description="Items per page (1–100).")


class MarkRead(Strict):
    ids: list[Id] | None = Field(
        None,
        max_length=1000,
        description="The notifications to mark read; leave out to mark all of them read.",
    )


class MarkedRead(Out):
    marked: int = Field(ge=0, description="How many notifications changed to read.")
    unread: int = Field(ge=0, description="Unread notifications left.")
