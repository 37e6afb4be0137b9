"""Trade fairs: the fair itself, its agenda, registrations and booths."""

from __future__ import annotations

from flask import Response, url_for
from flask_babel import get_locale
from sqlalchemy import func
from sqlmodel import select

from matchmaker import db
from matchmaker.exhibitions import models as rows
from matchmaker.exhibitions import service
from matchmaker.profiles.service import organizations_by_ids

from . import require_user, viewer
from .auth import summary
from .schemas import exhibitions as s
from .spec import operation

FAIR_ID = {"exhibition_id": "The fair's id."}
_BY_FAIR = {"exhibition_id": "$response.body#/id"}
_FAIR_LINKS = {
    name: {"operationId": name, "parameters": _BY_FAIR}
    for name in ("getExhibition", "updateExhibition", "listSessions", "listBooths", "listSlots")
}


def _hhmm(value) -> str:
    return value.strftime("%H:%M")


def table_counts(fair_ids: list[int]) -> dict[int, int]:
    """Meeting tables per fair, in one query."""
    if not fair_ids:
        return {}
    query = (
        select(rows.MeetingTable.exhibition_id, func.count())
        .where(rows.MeetingTable.exhibition_id.in_(fair_ids))
        .group_by(rows.MeetingTable.exhibition_id)
    )
    return dict(db.session().exec(query).all())


def exhibition_body(fair: rows.Exhibition, tables: int | None = None) -> s.Exhibition:
    return s.Exhibition(
        id=fair.id,
        status=fair.status,
        name=fair.name_map(),
        description=fair.description_map(),
        title=fair.name_in(str(get_locale())),
        city=fair.city,
        venue=fair.venue,
        timezone=fair.timezone,
        starts_on=fair.starts_on,
        ends_on=fair.ends_on,
        day_start=_hhmm(fair.day_start),
        day_end=_hhmm(fair.day_end),
        slot_minutes=fair.slot_minutes,
        tables=tables if tables is not None else table_counts([fair.id]).get(fair.id, 0),
        breaks=[s.Break(starts=_hhmm(b.starts), ends=_hhmm(b.ends)) for b in fair.breaks],
        buyer_approval=fair.buyer_approval,
        capacity_exhibitor=fair.capacity_exhibitor,
        capacity_buyer=fair.capacity_buyer,
        capacity_visitor=fair.capacity_visitor,
        request_cap=fair.request_cap,
        url=url_for("exhibitions.show", exhibition_id=fair.id, _external=True),
        created_at=fair.created_at,
        updated_at=fair.updated_at,
    )


@operation(
    "get",
    "/v1/exhibitions",
    operation_id="listExhibitions",
    tag="exhibitions",
    summary="List trade fairs",
    description="Published and cancelled fairs, soonest first; drafts only for their organizers.",
    query=s.Listing,
    response=s.ExhibitionPage,
)
def list_exhibitions(query: s.Listing):
    fairs = service.list_exhibitions(db.session(), viewer())
    start = (query.page - 1) * query.per_page
    chunk = fairs[start : start + query.per_page]
    counts = table_counts([f.id for f in chunk])
    return s.ExhibitionPage(
        items=[exhibition_body(f, counts.get(f.id, 0)) for f in chunk],
        total=len(fairs),
        page=query.page,
        per_page=query.per_page,
        has_more=start + query.per_page < len(fairs),
    )


@operation(
    "post",
    "/v1/exhibitions",
    operation_id="createExhibition",
    tag="exhibitions",
    summary="Create a trade fair (organizers)",
    description="Accounts with the organizer or admin role; the creator becomes an organizer. "
    "Meeting slots follow from the days, hours, slot length and breaks, in the fair's zone.",
    auth="user",
    body=s.NewExhibition,
    response=s.Exhibition,
    status=201,
    links=_FAIR_LINKS,
)
def create_exhibition(body: s.NewExhibition):
    data = body.model_dump(mode="json", exclude_unset=True)
    fair = service.create_exhibition(db.session(), require_user(), data)
    return exhibition_body(fair), {"Location": url_for("api.get_exhibition", exhibition_id=fair.id)}


@operation(
    "get",
    "/v1/exhibitions/<id:exhibition_id>",
    operation_id="getExhibition",
    tag="exhibitions",
    summary="One trade fair",
    description="Drafts are visible to their organizers only (404 for others).",
    response=s.Exhibition,
    path_params=FAIR_ID,
)
def get_exhibition(exhibition_id: int):
    return exhibition_body(service.get_exhibition(db.session(), exhibition_id, viewer()))


@operation(
    "patch",
    "/v1/exhibitions/<id:exhibition_id>",
    operation_id="updateExhibition",
    tag="exhibitions",
    summary="Change, publish or cancel a trade fair (its organizers)",
    description='`{"status": "published"}` publishes, `"cancelled"` cancels.',
    auth="user",
    body=s.ExhibitionChanges,
    response=s.Exhibition,
    errors=(409,),
    path_params=FAIR_ID,
)
def update_exhibition(exhibition_id: int, body: s.ExhibitionChanges):
    data = body.model_dump(mode="json", exclude_unset=True)
    fair = service.update_exhibition(db.session(), require_user(), exhibition_id, data)
    return exhibition_body(fair)


@operation(
    "get",
    "/v1/exhibitions/<id:exhibition_id>/programme.ics",
    operation_id="getProgrammeCalendar",
    tag="calendars",
    summary="The fair's programme as iCalendar",
    description="Every agenda session (RFC 5545, VTIMEZONE of the fair's zone, stable UIDs).",
    path_params=FAIR_ID,
    content_type="text/calendar",
)
def programme_ics(exhibition_id: int):
    fair = service.get_exhibition(db.session(), exhibition_id, viewer())
    payload = service.programme_ics(db.session(), fair, str(get_locale()))
    return calendar_response(payload, f"programme-{fair.id}.ics")


def calendar_response(payload: bytes, filename: str) -> Response:
    response = Response(payload, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- agenda sessions ------------------------------------------------------------------


def session_body(item: rows.AgendaSession) -> s.AgendaSession:
    return s.AgendaSession(
        id=item.id,
        exhibition_id=item.exhibition_id,
        kind=item.kind,
        hall=item.hall,
        starts_at=item.starts_at,
        ends_at=item.ends_at,
        title={t.locale: t.title for t in item.texts if t.title},
        speakers={t.locale: t.speakers for t in item.texts if t.speakers},
        sequence=item.sequence,
    )


SESSION_ID = {"session_id": "The agenda session's id."}


@operation(
    "get",
    "/v1/exhibitions/<id:exhibition_id>/sessions",
    operation_id="listSessions",
    tag="exhibitions",
    summary="The fair's agenda",
    description="Talks, forums and matchmaking sessions in time order.",
    response=s.AgendaSessions,
    path_params=FAIR_ID,
)
def list_sessions(exhibition_id: int):
    items = service.list_sessions(db.session(), viewer(), exhibition_id)
    return s.AgendaSessions(items=[session_body(i) for i in items])


@operation(
    "post",
    "/v1/exhibitions/<id:exhibition_id>/sessions",
    operation_id="createSession",
    tag="exhibitions",
    summary="Add an agenda session (organizers)",
    description="Within the fair's days; two sessions never overlap in one hall (422).",
    auth="user",
    body=s.NewSession,
    response=s.AgendaSession,
    status=201,
    path_params=FAIR_ID,
    links={
        "updateSession": {
            "operationId": "updateSession",
            "parameters": {"session_id": "$response.body#/id"},
        },
        "deleteSession": {
            "operationId": "deleteSession",
            "parameters": {"session_id": "$response.body#/id"},
        },
    },
)
def create_session(exhibition_id: int, body: s.NewSession):
    data = body.model_dump(mode="json", exclude_unset=True)
    item = service.create_session(db.session(), require_user(), exhibition_id, data)
    return session_body(item)


@operation(
    "patch",
    "/v1/sessions/<id:session_id>",
    operation_id="updateSession",
    tag="exhibitions",
    summary="Change an agenda session (organizers)",
    auth="user",
    body=s.SessionChanges,
    response=s.AgendaSession,
    path_params=SESSION_ID,
)
def update_session(session_id: int, body: s.SessionChanges):
    data = body.model_dump(mode="json", exclude_unset=True)
    return session_body(service.update_session(db.session(), require_user(), session_id, data))


@operation(
    "delete",
    "/v1/sessions/<id:session_id>",
    operation_id="deleteSession",
    tag="exhibitions",
    summary="Remove an agenda session (organizers)",
    auth="user",
    status=204,
    path_params=SESSION_ID,
)
def delete_session(session_id: int):
    service.delete_session(db.session(), require_user(), session_id)


@operation(
    "post",
    "/v1/sessions/<id:session_id>/choices",
    operation_id="chooseSession",
    tag="exhibitions",
    summary="Add a session to my agenda",
    description="For a participant of the fair; it shows in the agenda and its calendar.",
    auth="user",
    body=s.OrganizationRef,
    response=s.Choice,
    status=201,
    path_params=SESSION_ID,
)
def choose_session(session_id: int, body: s.OrganizationRef):
    service.choose_session(db.session(), require_user(), session_id, body.organization_id)
    return s.Choice(session_id=session_id, organization_id=body.organization_id)


@operation(
    "delete",
    "/v1/sessions/<id:session_id>/choices/<id:organization_id>",
    operation_id="unchooseSession",
    tag="exhibitions",
    summary="Remove a session from my agenda",
    auth="user",
    status=204,
    path_params={**SESSION_ID, "organization_id": "Your organization."},
)
def unchoose_session(session_id: int, organization_id: int):
    service.unchoose_session(db.session(), require_user(), session_id, organization_id)


# --- registrations ------------------------------------------------------------------


def registration_body(item: rows.Registration, org=None) -> s.Registration:
    """A registration as the API shows it (``org``: its organization, when already loaded)."""
    if org is None:
        org = organizations_by_ids(db.session(), [item.organization_id])[item.organization_id]
    return s.Registration(
        id=item.id,
        exhibition_id=item.exhibition_id,
        organization=summary(org),
        role=item.role,
        status=item.status,
        reason=item.reason,
        budget=org.budget,
        verified=org.verified,
        created_at=item.created_at,
        decided_at=item.decided_at,
    )


@operation(
    "get",
    "/v1/exhibitions/<id:exhibition_id>/registrations",
    operation_id="listRegistrations",
    tag="exhibitions",
    summary="Registrations (organizers)",
    description="Every registration with the organization's budget band and verification, "
    "for approving hosted buyers.",
    auth="user",
    query=s.RegistrationFilters,
    response=s.Registrations,
    path_params=FAIR_ID,
)
def list_registrations(exhibition_id: int, query: s.RegistrationFilters):
    found = service.list_registrations(
        db.session(),
        require_user(),
        exhibition_id,
        role=query.role.value if query.role else None,
        status=query.status.value if query.status else None,
    )
    return s.Registrations(items=[registration_body(p.registration, p.organization) for p in found])


@operation(
    "post",
    "/v1/exhibitions/<id:exhibition_id>/registrations",
    operation_id="register",
    tag="exhibitions",
    summary="Register an organization",
    description="A member registers their own organization at a published fair: registered, "
    "pending (buyers awaiting approval) or waitlisted (full). Again: 409.",
    auth="user",
    body=s.NewRegistration,
    response=s.Registration,
    status=201,
    errors=(409,),
    path_params=FAIR_ID,
    links={
        "decideRegistration": {
            "operationId": "decideRegistration",
            "parameters": {"registration_id": "$response.body#/id"},
        }
    },
)
def register(exhibition_id: int, body: s.NewRegistration):
    item = service.register(
        db.session(), require_user(), exhibition_id, body.organization_id, body.role.value
    )
    return registration_body(item)


@operation(
    "patch",
    "/v1/registrations/<id:registration_id>",
    operation_id="decideRegistration",
    tag="exhibitions",
    summary="Approve, decline or withdraw a registration",
    description="Withdrawing or declining frees the place: the first on the waiting list moves up.",
    auth="user",
    body=s.RegistrationChange,
    response=s.Registration,
    errors=(409,),
    path_params={"registration_id": "The registration's id."},
)
def decide_registration(registration_id: int, body: s.RegistrationChange):
    item = service.decide_registration(
        db.session(), require_user(), registration_id, body.status, body.reason or ""
    )
    return registration_body(item)


@operation(
    "get",
    "/v1/exhibitions/<id:exhibition_id>/participants",
    operation_id="listParticipants",
    tag="exhibitions",
    summary="Who takes part",
    description="Registered organizations the reader may see, by name, with their booths.",
    query=s.RoleFilter,
    response=s.Participants,
    path_params=FAIR_ID,
)
def list_participants(exhibition_id: int, query: s.RoleFilter):
    role = query.role.value if query.role else None
    found = service.participants(db.session(), viewer(), exhibition_id, role)
    booths = {
        b.organization_id: b.code
        for b in service.list_booths(db.session(), viewer(), exhibition_id)
        if b.organization_id
    }
    return s.Participants(
        items=[
            s.Participant(
                organization=summary(p.organization),
                role=p.registration.role,
                booth=booths.get(p.organization.id),
            )
            for p in found
        ]
    )


# --- booths ------------------------------------------------------------------------


def booth_bodies(booths: list[rows.Booth]) -> list[s.Booth]:
    holders = organizations_by_ids(
        db.session(), [b.organization_id for b in booths if b.organization_id]
    )
    return [
        s.Booth(
            id=b.id,
            exhibition_id=b.exhibition_id,
            code=b.code,
            hall=b.hall,
            size=b.size,
            row=b.row,
            col=b.col,
            width=b.width,
            height=b.height,
            organization=summary(holders[b.organization_id])
            if b.organization_id in holders
            else None,
        )
        for b in booths
    ]


BOOTH_ID = {"booth_id": "The booth's id."}


@operation(
    "get",
    "/v1/exhibitions/<id:exhibition_id>/booths",
    operation_id="listBooths",
    tag="exhibitions",
    summary="The fair's booths and who holds them",
    response=s.Booths,
    path_params=FAIR_ID,
)
def list_booths(exhibition_id: int):
    return s.Booths(items=booth_bodies(service.list_booths(db.session(), viewer(), exhibition_id)))


@operation(
    "post",
    "/v1/exhibitions/<id:exhibition_id>/booths",
    operation_id="createBooth",
    tag="exhibitions",
    summary="Lay out a booth (organizers)",
    description="Codes are unique per fair (409); booths may not overlap on a hall's grid (422).",
    auth="user",
    body=s.NewBooth,
    response=s.Booth,
    status=201,
    errors=(409,),
    path_params=FAIR_ID,
    links={
        "bookBooth": {"operationId": "bookBooth", "parameters": {"booth_id": "$response.body#/id"}},
        "deleteBooth": {
            "operationId": "deleteBooth",
            "parameters": {"booth_id": "$response.body#/id"},
        },
    },
)
def create_booth(exhibition_id: int, body: s.NewBooth):
    data = body.model_dump(mode="json", exclude_unset=True)
    booth = service.create_booth(db.session(), require_user(), exhibition_id, data)
    return booth_bodies([booth])[0]


@operation(
    "patch",
    "/v1/booths/<id:booth_id>",
    operation_id="updateBooth",
    tag="exhibitions",
    summary="Change a booth (organizers)",
    auth="user",
    body=s.BoothChanges,
    response=s.Booth,
    errors=(409,),
    path_params=BOOTH_ID,
)
def update_booth(booth_id: int, body: s.BoothChanges):
    data = body.model_dump(mode="json", exclude_unset=True)
    return booth_bodies([service.update_booth(db.session(), require_user(), booth_id, data)])[0]


@operation(
    "delete",
    "/v1/booths/<id:booth_id>",
    operation_id="deleteBooth",
    tag="exhibitions",
    summary="Remove a booth (organizers)",
    auth="user",
    status=204,
    errors=(409,),
    path_params=BOOTH_ID,
)
def delete_booth(booth_id: int):
    service.delete_booth(db.session(), require_user(), booth_id)


@operation(
    "post",
    "/v1/booths/<id:booth_id>/booking",
    operation_id="bookBooth",
    tag="exhibitions",
    summary="Book a free booth",
    description="For a registered exhibitor; one booth per organization and one organization "
    "per booth, held by the database: a taken booth is 409 with the reason.",
    auth="user",
    body=s.OrganizationRef,
    response=s.Booth,
    status=201,
    errors=(409,),
    path_params=BOOTH_ID,
)
def book_booth(booth_id: int, body: s.OrganizationRef):
    booth = service.book_booth(db.session(), require_user(), booth_id, body.organization_id)
    return booth_bodies([booth])[0]


@operation(
    "delete",
    "/v1/booths/<id:booth_id>/booking",
    operation_id="releaseBooth",
    tag="exhibitions",
    summary="Give a booth back",
    description="Its holder or the organizers.",
    auth="user",
    status=204,
    path_params=BOOTH_ID,
)
def release_booth(booth_id: int):
    service.release_booth(db.session(), require_user(), booth_id)
