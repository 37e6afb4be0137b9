"""Conversations: inquiries between two organizations and their messages."""

from __future__ import annotations

from pydantic import Field

from matchmaker.conversations.models import MAX_MESSAGE, MAX_SUBJECT, MAX_TIMELINE

from .common import BudgetBand, Id, Instant, LanguageCode, Out, Paging, ServiceCode, Strict
from .organizations import OrganizationSummary


class NewConversation(Strict):
    """An inquiry: it starts a conversation between two organizations."""

    to_organization_id: Id = Field(description="The organization to contact.")
    from_organization_id: Id | None = Field(
        default=None, description="The organization writing (default: the account's)."
    )
    subject: str = Field(min_length=1, max_length=MAX_SUBJECT)
    message: str = Field(min_length=1, max_length=MAX_MESSAGE)
    services: list[ServiceCode] = Field(
        default_factory=list, max_length=100, description="Services of interest."
    )
    budget: BudgetBand | None = Field(default=None, description="Buyers only.")
    timeline: str | None = Field(default=None, max_length=MAX_TIMELINE, description="Buyers only.")
    language: LanguageCode | None = Field(
        default=None, description="The message's language; detected from its script if absent."
    )


class NewMessage(Strict):
    body: str = Field(min_length=1, max_length=MAX_MESSAGE)
    language: LanguageCode | None = Field(
        default=None, description="The message's language; detected from its script if absent."
    )


class Created(Out):
    id: Id


class Author(Out):
    id: Id | None = Field(description="The account that wrote it (null once deleted).")
    name: str


class MessageOut(Out):
    id: Id
    author: Author
    organization_id: Id
    body: str
    language: str = Field(description="ISO 639-1 code, chosen by the author or detected.")
    sent_at: Instant


class Conversation(Out):
    id: Id
    subject: str
    organizations: list[OrganizationSummary] = Field(description="The two sides: yours first.")
    services: list[str]
    budget: str | None
    timeline: str
    archived: bool
    messages: list[MessageOut] = Field(description="Oldest first.")


class InboxItem(Out):
    id: Id
    subject: str
    partner: OrganizationSummary
    unread: int = Field(ge=0, description="Messages from the other side not read yet.")
    last_message_at: Instant
    archived: bool


class Inbox(Paging):
    items: list[InboxItem]


class InboxQuery(Strict):
    q: str | None = Field(default=None, max_length=200, description="Subject, message or name.")
    archived: bool = Field(default=False, description="The archive instead of the inbox.")
    page: int = Field(default=1, ge=1, le=100_000, description="Page number, from 1.")
