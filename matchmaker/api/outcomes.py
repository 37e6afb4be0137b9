"""Check-in at a fair (badges, scans, the desk) and the outcomes of held meetings."""

from __future__ import annotations

import json

from flask import current_app, url_for

from matchmaker import db
from matchmaker.exhibitions import checkin, outcomes
from matchmaker.exhibitions.models import MeetingOutcome

from . import require_user
from .auth import summary
from .exhibitions import FAIR_ID
from .meetings import MEETING_ID, _own_organization
from .schemas import outcomes as s
from .spec import operation


def _with_status(body, status: int):
    """A body with a status other than the operation's main one (200 on a repeat)."""
    payload = json.dumps(body.model_dump(mode="json"), ensure_ascii=False)
    return current_app.response_class(payload, status=status, mimetype="application/json")


def check_in_url(exhibition_id: int, token: str) -> str:
    return url_for(
        "exhibitions.check_in_link", exhibition_id=exhibition_id, token=token, _external=True
    )


def _check_in_body(done: checkin.CheckIn) -> s.CheckIn:
    return s.CheckIn(
        registration_id=done.registration.id,
        organization=summary(done.organization),
        role=done.registration.role,
        checked_in_at=done.registration.checked_in_at,
        already=done.already,
    )


@operation(
    "post",
    "/v1/exhibitions/<id:exhibition_id>/check-ins",
    operation_id="checkIn",
    tag="exhibitions",
    summary="Check a participant in",
    description="Organizers: with the token of a badge's signed link (what its QR code holds), "
    "or by hand with a registration_id. 201 when checked in now; 200 with already=true when "
    "they were before (nothing changes). A forged token, one of another fair, or one past "
    "the day after the fair's last day: 403. A registration no longer registered: 409.",
    auth="user",
    body=s.CheckInRequest,
    response=s.CheckIn,
    status=201,
    also=(200,),
    errors=(409,),
    path_params=FAIR_ID,
)
def check_in(exhibition_id: int, body: s.CheckInRequest):
    user = require_user()
    if body.token is not None:
        done = checkin.check_in_by_token(
            db.session(), user, exhibition_id, body.token, current_app.secret_key
        )
    else:
        done = checkin.check_in(db.session(), user, exhibition_id, body.registration_id)
    result = _check_in_body(done)
    return _with_status(result, 200) if done.already else result


@operation(
    "get",
    "/v1/exhibitions/<id:exhibition_id>/check-ins",
    operation_id="listCheckIns",
    tag="exhibitions",
    summary="Who is checked in",
    description="Organizers: the counts, and every registered participant by name with "
    "when they were checked in (null: not yet); q filters by name.",
    auth="user",
    query=s.CheckInQuery,
    response=s.CheckIns,
    path_params=FAIR_ID,
)
def list_check_ins(exhibition_id: int, query: s.CheckInQuery):
    desk = checkin.check_in_desk(db.session(), require_user(), exhibition_id, query.q)
    return s.CheckIns(
        registered=desk.registered,
        checked_in=desk.checked_in,
        items=[
            _check_in_body(checkin.CheckIn(r, o, already=r.checked_in_at is not None))
            for r, o in desk.items
        ],
    )


@operation(
    "delete",
    "/v1/exhibitions/<id:exhibition_id>/check-ins/<id:registration_id>",
    operation_id="undoCheckIn",
    tag="exhibitions",
    summary="Undo a check-in",
    description="Organizers: for a check-in made by mistake.",
    auth="user",
    status=204,
    path_params={**FAIR_ID, "registration_id": "The participant's registration id."},
)
def undo_check_in(exhibition_id: int, registration_id: int):
    checkin.undo_check_in(db.session(), require_user(), exhibition_id, registration_id)


@operation(
    "get",
    "/v1/exhibitions/<id:exhibition_id>/badge",
    operation_id="getBadge",
    tag="exhibitions",
    summary="A participant's badge",
    description="The organization's members, or the fair's organizers for any participant: "
    "what the badge shows and the signed check-in link its QR code holds. Not registered "
    "(or waitlisted, pending, withdrawn): 404.",
    auth="user",
    query=s.BadgeQuery,
    response=s.Badge,
    errors=(422,),
    path_params=FAIR_ID,
)
def get_badge(exhibition_id: int, query: s.BadgeQuery):
    org_id = _own_organization(query.organization_id)
    found = checkin.badge(
        db.session(), require_user(), exhibition_id, org_id, current_app.secret_key
    )
    return s.Badge(
        exhibition_id=exhibition_id,
        registration_id=found.registration.id,
        organization=summary(found.organization),
        role=found.registration.role,
        booths=found.booths,
        check_in_url=check_in_url(exhibition_id, found.token),
        valid_until=found.valid_until,
        checked_in_at=found.registration.checked_in_at,
    )


def _outcome_body(row: MeetingOutcome) -> s.Outcome:
    value = outcomes.amount(row)
    return s.Outcome(
        id=row.id,
        meeting_id=row.meeting_id,
        organization_id=row.organization_id,
        outcome=row.outcome,
        service=row.service,
        value=None if value is None else f"{value:.2f}",
        currency=row.currency,
        updated_at=row.updated_at,
    )


@operation(
    "post",
    "/v1/meetings/<id:meeting_id>/outcome",
    operation_id="recordOutcome",
    tag="meetings",
    summary="Record what came of a held meeting",
    description="One outcome per side: 201 the first time, 200 when it replaces that side's "
    "earlier one. Only a member of one of the two organizations (403); only once the "
    "meeting is held (422). value and currency go together; a negative, over 10¹² or "
    "too finely divided value, or an unknown currency: 422, nothing written.",
    auth="user",
    body=s.NewOutcome,
    response=s.Outcome,
    status=201,
    also=(200,),
    path_params=MEETING_ID,
)
def record_outcome(meeting_id: int, body: s.NewOutcome):
    row, created = outcomes.record_outcome(
        db.session(),
        require_user(),
        meeting_id,
        body.organization_id,
        body.outcome.value,
        body.service.value if body.service else None,
        body.value,
        body.currency.value if body.currency else None,
    )
    result = _outcome_body(row)
    return result if created else _with_status(result, 200)


@operation(
    "get",
    "/v1/meetings/<id:meeting_id>/outcomes",
    operation_id="listOutcomes",
    tag="meetings",
    summary="What each side says came of a meeting",
    description="For the meeting's two organizations and the fair's organizers.",
    auth="user",
    response=s.Outcomes,
    path_params=MEETING_ID,
)
def list_outcomes(meeting_id: int):
    rows = outcomes.list_outcomes(db.session(), require_user(), meeting_id)
    return s.Outcomes(items=[_outcome_body(row) for row in rows])
