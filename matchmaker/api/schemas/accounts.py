"""Accounts and API tokens."""

from __future__ import annotations

from pydantic import Field

from .common import Id, Instant, Locale, Out, Strict, whole_number
from .organizations import OrganizationSummary

TokenDays = whole_number(
    ge=1, le=365, description="Days the token works, from 1 to 365; 90 when not given."
)


class Credentials(Strict):
    email: str = Field(
        min_length=1,
        max_length=254,
        json_schema_extra={"format": "email"},
        description="The account's e-mail address.",
        examples=["buyer@matchmaker.example"],
    )
    password: str = Field(min_length=1, max_length=1000, examples=["demo-buyer-2026"])
    name: str | None = Field(
        None, max_length=80, description="A name to recognise the token by, e.g. the app's."
    )
    expires_in_days: TokenDays | None = Field(None, examples=[90])


class Token(Out):
    id: Id
    name: str
    created_at: Instant
    expires_at: Instant | None = Field(
        description="When the token stops working; null for tokens made before tokens "
        "expired (they work until revoked)."
    )
    last_used_at: Instant | None = Field(
        description="When the token last authenticated a request (to the minute), or null."
    )


class NewToken(Token):
    token: str = Field(description="Send as `Authorization: Bearer <token>`. Shown only once.")
    token_type: str = Field(description="Always Bearer.", examples=["Bearer"])


class Tokens(Out):
    items: list[Token] = Field(description="The account's tokens that still work, newest first.")


class Account(Out):
    id: Id
    email: str = Field(json_schema_extra={"format": "email"})
    display_name: str
    locale: Locale | None = Field(description="The account's language, if chosen.")
    role: str = Field(description="member, organizer or admin.")


class Me(Out):
    user: Account
    role: str = Field(description="member, organizer or admin.")
    organization: OrganizationSummary | None = Field(
        description="The organization the account acts for, if any."
    )


class Verification(Out):
    email: str = Field(json_schema_extra={"format": "email"})
    verified: bool = Field(description="True once the address is confirmed.")
    sent: bool = Field(description="True when a new link was mailed by this request.")


class TeamMember(Out):
    id: Id
    display_name: str
    title: str = Field(description="Job title, empty when not given.")
    email: str = Field(json_schema_extra={"format": "email"})
    spoken_languages: list[str] = Field(description="ISO 639-1 codes.", examples=[["en", "zh"]])


class Invitation(Out):
    id: Id
    email: str = Field(json_schema_extra={"format": "email"})
    created_at: Instant
    expires_at: Instant


class Team(Out):
    members: list[TeamMember] = Field(description="The organization's accounts, by name.")
    invitations: list[Invitation] = Field(
        description="Invitations not yet accepted, revoked or expired, newest first."
    )


class NewInvitation(Strict):
    email: str = Field(
        min_length=1,
        max_length=254,
        json_schema_extra={"format": "email"},
        description="The colleague's address; the signed link works for 7 days.",
        examples=["colleague@example.com"],
    )
