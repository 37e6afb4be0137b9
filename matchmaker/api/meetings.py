"""Trade fairs: meeting slots, availability, meeting requests, people to meet, calendars."""

from __future__ import annotations

from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlmodel import select

from matchmaker import db
from matchmaker.errors import ValidationFailed
from matchmaker.exhibitions import models as rows
from matchmaker.exhibitions import service
from matchmaker.profiles.service import organizations_by_ids
from matchmaker.security import base_url

from . import require_user
from .auth import summary
from .exhibitions import FAIR_ID, calendar_response
from .schemas import exhibitions as s
from .schemas.organizations import Suggestion, Suggestions
from .spec import operation

MEETING_ID = {"meeting_id": "The meeting's id."}


def _own_organization(given: int | None) -> int:
    """The organization a request speaks for: the given one, else the account's."""
    if given is not None:
        return given
    user = require_user()
    if user.organization_id is None:
        raise ValidationFailed(fields={"organization_id": _("Give your organization's id.")})
    return user.organization_id


def _slot(item: rows.Slot | None) -> s.Slot | None:
    return s.Slot(id=item.id, starts_at=item.starts_at, ends_at=item.ends_at) if item else None


def meeting_bodies(meetings: list[rows.Meeting]) -> list[s.Meeting]:
    session = db.session()
    orgs = organizations_by_ids(
        session, list({i for m in meetings for i in (m.requester_id, m.invitee_id)})
    )
    slot_ids = {i for m in meetings for i in (m.slot_id, m.proposed_slot_id) if i}
    slots = (
        {x.id: x for x in session.exec(select(rows.Slot).where(rows.Slot.id.in_(slot_ids)))}
        if slot_ids
        else {}
    )
    table_ids = {m.table_id for m in meetings if m.table_id}
    tables = (
        {
            t.id: t.name
            for t in session.exec(
                select(rows.MeetingTable).where(rows.MeetingTable.id.in_(table_ids))
            )
        }
        if table_ids
        else {}
    )
    return [
        s.Meeting(
            id=m.id,
            exhibition_id=m.exhibition_id,
            requester=summary(orgs[m.requester_id]),
            invitee=summary(orgs[m.invitee_id]),
            status=m.status,
            slot=_slot(slots.get(m.slot_id)),
            table=tables.get(m.table_id),
            proposed_slot=_slot(slots.get(m.proposed_slot_id)),
            proposed_by_id=m.proposed_by_id,
            message=m.message,
            reason=m.reason,
            sequence=m.sequence,
            created_at=m.created_at,
            updated_at=m.updated_at,
        )
        for m in meetings
    ]


@operation(
    "get",
    "/v1/exhibitions/<id:exhibition_id>/slots",
    operation_id="listSlots",
    tag="meetings",
    summary="The fair's meeting slots",
    description="Derived from the days, daily hours, slot length and breaks in the fair's zone; "
    "each slot keeps its absolute instant (a fair across a DST change stays right).",
    response=s.Slots,
    path_params=FAIR_ID,
)
def list_slots(exhibition_id: int):
    from . import viewer

    items = service.list_slots(db.session(), viewer(), exhibition_id)
    return s.Slots(items=[_slot(x) for x in items])


@operation(
    "get",
    "/v1/exhibitions/<id:exhibition_id>/unavailability",
    operation_id="getUnavailability",
    tag="meetings",
    summary="Slots an organization marked unavailable",
    auth="user",
    query=s.ForOrganization,
    response=s.UnavailableSlots,
    path_params=FAIR_ID,
)
def get_unavailability(exhibition_id: int, query: s.ForOrganization):
    org_id = _own_organization(query.organization_id)
    busy = service.busy_slot_ids(db.session(), require_user(), exhibition_id, org_id)
    chosen = sorted(slot for slot, kind in busy.items() if kind == "unavailable")
    return s.UnavailableSlots(organization_id=org_id, slot_ids=chosen)


@operation(
    "put",
    "/v1/exhibitions/<id:exhibition_id>/unavailability",
    operation_id="setUnavailability",
    tag="meetings",
    summary="Mark the slots when an organization cannot meet",
    description="Replaces the set. A slot that holds a meeting cannot be marked (409); "
    "no meeting is ever booked into a marked slot.",
    auth="user",
    body=s.Unavailability,
    response=s.UnavailableSlots,
    errors=(409,),
    path_params=FAIR_ID,
)
def set_unavailability(exhibition_id: int, body: s.Unavailability):
    chosen = service.set_unavailability(
        db.session(), require_user(), exhibition_id, body.organization_id, list(body.slot_ids)
    )
    return s.UnavailableSlots(organization_id=body.organization_id, slot_ids=sorted(chosen))


@operation(
    "get",
    "/v1/exhibitions/<id:exhibition_id>/people-to-meet",
    operation_id="listPeopleToMeet",
    tag="meetings",
    summary="People to meet at this fair",
    description="The matching engine's recommendations among the fair's registered "
    "participants, best first, with the reasons in the reader's language.",
    auth="user",
    query=s.PeopleQuery,
    response=Suggestions,
    path_params=FAIR_ID,
)
def people_to_meet(exhibition_id: int, query: s.PeopleQuery):
    org_id = _own_organization(query.organization_id)
    found = service.people_to_meet(db.session(), require_user(), exhibition_id, org_id, query.limit)
    return Suggestions(
        items=[
            Suggestion(organization=summary(x.organization), score=x.score, reasons=x.reasons)
            for x in found
        ]
    )


@operation(
    "get",
    "/v1/exhibitions/<id:exhibition_id>/meetings",
    operation_id="listMeetings",
    tag="meetings",
    summary="Meetings at a fair",
    description="An organization's meetings and requests (its team), or with no "
    "organization_id and an organizer's account, all of the fair's.",
    auth="user",
    query=s.ForOrganization,
    response=s.Meetings,
    path_params=FAIR_ID,
)
def list_meetings(exhibition_id: int, query: s.ForOrganization):
    user = require_user()
    org_id = query.organization_id
    if org_id is None and not service.is_organizer(db.session(), user, exhibition_id):
        org_id = _own_organization(None)
    found = service.list_meetings(db.session(), user, exhibition_id, org_id)
    return s.Meetings(items=meeting_bodies(found))


@operation(
    "post",
    "/v1/exhibitions/<id:exhibition_id>/meetings",
    operation_id="requestMeeting",
    tag="meetings",
    summary="Request a meeting",
    description="Between two registered participants, in a slot of the fair or any slot. "
    "Not with oneself, an unregistered or withdrawn organization, or past the fair's request "
    "cap (422); an open request between the two already exists: 409.",
    auth="user",
    body=s.NewMeeting,
    response=s.Meeting,
    status=201,
    errors=(409,),
    path_params=FAIR_ID,
    links={
        "getMeeting": {
            "operationId": "getMeeting",
            "parameters": {"meeting_id": "$response.body#/id"},
        },
        "updateMeeting": {
            "operationId": "updateMeeting",
            "parameters": {"meeting_id": "$response.body#/id"},
        },
    },
)
def request_meeting(exhibition_id: int, body: s.NewMeeting):
    meeting = service.request_meeting(
        db.session(),
        require_user(),
        exhibition_id,
        body.requester_id,
        body.invitee_id,
        body.slot_id,
        body.message or "",
    )
    return meeting_bodies([meeting])[0]


@operation(
    "get",
    "/v1/meetings/<id:meeting_id>",
    operation_id="getMeeting",
    tag="meetings",
    summary="One meeting",
    description="For its two organizations and the fair's organizers.",
    auth="user",
    response=s.Meeting,
    path_params=MEETING_ID,
)
def get_meeting(meeting_id: int):
    return meeting_bodies([service.get_meeting(db.session(), require_user(), meeting_id)])[0]


@operation(
    "patch",
    "/v1/meetings/<id:meeting_id>",
    operation_id="updateMeeting",
    tag="meetings",
    summary="Accept, decline, move, cancel or close a meeting",
    description="Accepting books the slot and a free table for both sides at once; when "
    "either side is already busy or no table is free the answer is 409 with the reason, "
    "and nothing changes. `proposed` with a slot_id offers another slot (also to move an "
    "accepted meeting); the other side accepts it.",
    auth="user",
    body=s.MeetingChange,
    response=s.Meeting,
    errors=(409,),
    path_params=MEETING_ID,
)
def update_meeting(meeting_id: int, body: s.MeetingChange):
    user = require_user()
    if body.status == "proposed":
        if body.slot_id is None:
            raise ValidationFailed(fields={"slot_id": _("Choose the slot you propose.")})
        meeting = service.propose_slot(db.session(), user, meeting_id, body.slot_id)
    else:
        meeting = service.update_meeting(
            db.session(),
            user,
            meeting_id,
            body.status,
            slot_id=body.slot_id,
            reason=body.reason or "",
        )
    return meeting_bodies([meeting])[0]


@operation(
    "get",
    "/v1/exhibitions/<id:exhibition_id>/agenda.ics",
    operation_id="getAgendaCalendar",
    tag="calendars",
    summary="An organization's agenda at the fair as iCalendar",
    description="Accepted meetings (cancelled ones as STATUS:CANCELLED) and chosen sessions; "
    "stable UIDs, SEQUENCE raised on each change, VTIMEZONE of the fair's zone.",
    auth="user",
    query=s.ForOrganization,
    path_params=FAIR_ID,
    content_type="text/calendar",
)
def agenda_ics(exhibition_id: int, query: s.ForOrganization):
    user = require_user()
    org_id = _own_organization(query.organization_id)
    fair = service.get_exhibition(db.session(), exhibition_id, user)
    service.busy_slot_ids(db.session(), user, exhibition_id, org_id)  # its team or organizers
    payload = service.agenda_ics(db.session(), fair, org_id, str(get_locale()), base_url=base_url())
    return calendar_response(payload, f"agenda-{fair.id}-{org_id}.ics")


def _feed_body(feed) -> s.CalendarFeed:
    url = url_for("exhibitions.feed", secret=feed.secret, _external=True)
    return s.CalendarFeed(
        url=url, webcal_url="webcal://" + url.split("://", 1)[1], created_at=feed.created_at
    )


@operation(
    "get",
    "/v1/calendar-feed",
    operation_id="getCalendarFeed",
    tag="calendars",
    summary="My calendar subscription address",
    description="A secret address of the organization's agenda at every fair, for calendar "
    "apps to poll: moved and cancelled meetings update without a new import.",
    auth="user",
    response=s.CalendarFeed,
    errors=(422,),
)
def calendar_feed():
    return _feed_body(service.feed_for(db.session(), require_user()))


@operation(
    "post",
    "/v1/calendar-feed/rotation",
    operation_id="rotateCalendarFeed",
    tag="calendars",
    summary="Replace my calendar subscription address",
    description="The old address stops working at once (404).",
    auth="user",
    response=s.CalendarFeed,
    status=201,
    errors=(422,),
)
def rotate_calendar_feed():
    return _feed_body(service.rotate_feed(db.session(), require_user()))
