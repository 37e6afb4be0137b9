"""The shortlist's private notes and "Let them know" (interest sent once per pair)."""

from __future__ import annotations

from matchmaker import db
from matchmaker.matching import service as matching

from . import require_user
from .schemas.shortlist import InterestSent, NoteChange, PartnerNote
from .spec import operation

PAIR = {"org_id": "The organization's id.", "target_id": "The saved partner's id."}


@operation(
    "put",
    "/v1/organizations/<id:org_id>/saved/<id:target_id>/note",
    operation_id="setPartnerNote",
    tag="matching",
    summary="Write the private note on a saved partner",
    description="Only the organization's team reads it. The partner must be saved (else 422).",
    auth="user",
    body=NoteChange,
    response=PartnerNote,
    path_params=PAIR,
)
def set_note(org_id: int, target_id: int, body: NoteChange):
    row = matching.set_partner_note(db.session(), require_user(), org_id, target_id, body.note)
    return PartnerNote(organization_id=target_id, note=row.note, updated_at=row.updated_at)


@operation(
    "post",
    "/v1/organizations/<id:org_id>/saved/<id:target_id>/interest",
    operation_id="sendInterest",
    tag="matching",
    summary="Let a partner know you are interested",
    description=(
        "Notifies the partner's team with a link to your profile, once per pair; saves the "
        "partner if needed. Repeating it sends nothing and answers sent=false."
    ),
    auth="user",
    response=InterestSent,
    errors=(422,),
    path_params=PAIR,
)
def send_interest(org_id: int, target_id: int):
    sent = matching.send_interest(db.session(), require_user(), org_id, target_id)
    return InterestSent(organization_id=target_id, sent=sent)
