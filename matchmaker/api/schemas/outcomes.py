"""Check-in at a fair and the outcomes of held meetings."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from pydantic import Field, model_validator

from matchmaker.exhibitions.models import OUTCOMES
from matchmaker.exhibitions.outcomes import active_currencies

from .common import Id, Instant, Out, ServiceCode, Strict, Url, _code_set
from .exhibitions import ParticipantRole
from .organizations import OrganizationSummary

OutcomeCode = _code_set(
    "OutcomeCode",
    OUTCOMES,
    "no_fit; follow_up: they will talk again; mou: a memorandum of understanding was "
    "signed; contract: a contract was signed.",
)
Currency = _code_set(
    "Currency", sorted(active_currencies()), "ISO 4217 code of a currency in use today."
)


class CheckInRequest(Strict):
    token: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="The signed token at the end of a badge's check-in link.",
    )
    registration_id: Id | None = Field(
        None, description="Check in by hand instead (someone without a badge)."
    )

    @model_validator(mode="after")
    def _one_of(self):
        if (self.token is None) == (self.registration_id is None):
            raise ValueError(_("Give either token or registration_id."))
        return self


class CheckIn(Out):
    registration_id: Id
    organization: OrganizationSummary
    role: ParticipantRole
    checked_in_at: Instant | None = Field(description="When; null when not checked in.")
    already: bool = Field(
        False, description="True when the participant had been checked in before."
    )


class CheckInQuery(Strict):
    model_config = {"extra": "ignore"}

    q: str = Field("", max_length=100, description="Part of the organization's name.")


class CheckIns(Out):
    registered: int = Field(ge=0, description="Registered participants.")
    checked_in: int = Field(ge=0, description="Of them, checked in.")
    items: list[CheckIn]


class BadgeQuery(Strict):
    model_config = {"extra": "ignore"}

    organization_id: int | None = Field(
        None,
        ge=1,
        le=2**31 - 1,
        description="The participant (default: the account's organization; organizers "
        "may give any).",
    )


class Badge(Out):
    exhibition_id: Id
    registration_id: Id
    organization: OrganizationSummary
    role: ParticipantRole
    booths: list[str] = Field(description="Codes of the booths the organization booked.")
    check_in_url: Url = Field(description="The signed link the badge's QR code holds.")
    valid_until: Instant = Field(description="The link stops working then.")
    checked_in_at: Instant | None


class NewOutcome(Strict):
    organization_id: Id = Field(description="The side that says this: one of the two.")
    outcome: OutcomeCode
    service: ServiceCode | None = Field(None, description="The service category concerned.")
    value: Decimal | None = Field(
        None,
        ge=0,
        le=10**12,
        description="Intended contract value in the currency's major unit, at most two "
        "decimals (none for currencies without minor units). Give it with currency.",
        examples=["25000.50"],
    )
    currency: Currency | None = None


class Outcome(Out):
    id: Id
    meeting_id: Id
    organization_id: Id
    outcome: OutcomeCode
    service: ServiceCode | None
    value: str | None = Field(description='Decimal as text, exact, e.g. "25000.50".')
    currency: Currency | None
    updated_at: Instant


class Outcomes(Out):
    items: list[Outcome]
