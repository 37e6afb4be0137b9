"""Trade fairs: meeting preferences, meeting caps and the organizer's scheduler."""

from __future__ import annotations

from matchmaker import db
from matchmaker.exhibitions.models import Exhibition
from matchmaker.profiles.service import organizations_by_ids
from matchmaker.scheduler import preferences as prefs
from matchmaker.scheduler import service as scheduler

from . import require_user
from .auth import summary
from .exhibitions import FAIR_ID
from .meetings import _own_organization
from .schemas import exhibitions as fairs
from .schemas import scheduling as s
from .spec import operation

TARGET = {**FAIR_ID, "target_id": "The organization the preference is about."}


def _preference_body(item, target) -> s.Preference:
    return s.Preference(
        exhibition_id=item.exhibition_id,
        organization_id=item.organization_id,
        target=summary(target),
        level=item.level,
        updated_at=item.updated_at,
    )


@operation(
    "get",
    "/v1/exhibitions/<id:exhibition_id>/preferences",
    operation_id="listPreferences",
    tag="scheduling",
    summary="An organization's meeting preferences at a fair",
    description="What it said about the other participants, and its meeting cap. Its team "
    "and the fair's organizers may read them.",
    auth="user",
    query=fairs.ForOrganization,
    response=s.Preferences,
    path_params=FAIR_ID,
)
def list_preferences(exhibition_id: int, query: fairs.ForOrganization):
    org_id = _own_organization(query.organization_id)
    session = db.session()
    found = prefs.list_preferences(session, require_user(), exhibition_id, org_id)
    return s.Preferences(
        items=[_preference_body(x.preference, x.target) for x in found],
        meeting_cap=prefs.meeting_cap(session, exhibition_id, org_id),
    )


@operation(
    "put",
    "/v1/exhibitions/<id:exhibition_id>/preferences/<id:target_id>",
    operation_id="setPreference",
    tag="scheduling",
    summary="Say how much you want to meet another participant",
    description="must, would_like or no_thanks; the organizer's scheduler places mutual "
    "wishes and pending requests, never a meeting either side said no thanks to. Both "
    "organizations must be registered at the fair (422), and not the same one.",
    auth="user",
    body=s.PreferenceChange,
    response=s.Preference,
    errors=(409,),
    path_params=TARGET,
)
def set_preference(exhibition_id: int, target_id: int, body: s.PreferenceChange):
    org_id = _own_organization(body.organization_id)
    session = db.session()
    item = prefs.set_preference(
        session, require_user(), exhibition_id, org_id, target_id, str(body.level)
    )
    return _preference_body(item, organizations_by_ids(session, [target_id])[target_id])


@operation(
    "delete",
    "/v1/exhibitions/<id:exhibition_id>/preferences/<id:target_id>",
    operation_id="clearPreference",
    tag="scheduling",
    summary="Forget a meeting preference",
    description="Back to no answer. Nothing to forget is fine.",
    auth="user",
    query=fairs.ForOrganization,
    status=204,
    path_params=TARGET,
)
def clear_preference(exhibition_id: int, target_id: int, query: fairs.ForOrganization):
    org_id = _own_organization(query.organization_id)
    prefs.clear_preference(db.session(), require_user(), exhibition_id, org_id, target_id)


@operation(
    "put",
    "/v1/exhibitions/<id:exhibition_id>/meeting-cap",
    operation_id="setMeetingCap",
    tag="scheduling",
    summary="Cap an organization's number of meetings at a fair",
    description="Between 1 and the fair's number of slots (422 otherwise); null removes the "
    "cap. The scheduler never gives it more; meetings accepted by hand count too.",
    auth="user",
    body=s.MeetingCapChange,
    response=s.MeetingCap,
    path_params=FAIR_ID,
)
def set_meeting_cap(exhibition_id: int, body: s.MeetingCapChange):
    org_id = _own_organization(body.organization_id)
    registration = prefs.set_meeting_cap(
        db.session(), require_user(), exhibition_id, org_id, body.cap
    )
    return s.MeetingCap(
        exhibition_id=exhibition_id, organization_id=org_id, cap=registration.meeting_cap
    )


def schedule_body(result: scheduler.ScheduleResult) -> s.Schedule:
    context = result.context
    fair = db.session().get(Exhibition, result.exhibition_id)
    return s.Schedule(
        committed=result.committed,
        scheduled=[
            s.ScheduledMeeting(
                meeting_id=m.meeting_id,
                requester_id=m.requester_id,
                invitee_id=m.invitee_id,
                slot_id=m.slot_id,
                starts_at=context.slots[m.slot_id].starts_at,
                table=context.tables[m.table_id],
                weight=m.weight,
                levels=list(m.levels),
            )
            for m in result.placed
        ],
        unscheduled=[
            s.Unscheduled(
                meeting_id=u.meeting_id,
                requester_id=u.requester_id,
                invitee_id=u.invitee_id,
                reason=u.reason,
            )
            for u in result.unplaced
        ],
        preference=result.preference,
        upper_bound=result.upper_bound,
        gaps=result.gaps,
        seconds=result.seconds,
        candidates=result.candidates,
        token=result.token,
        published_at=fair.schedule_published_at if fair else None,
    )


@operation(
    "post",
    "/v1/exhibitions/<id:exhibition_id>/schedule",
    operation_id="runSchedule",
    tag="scheduling",
    summary="Preview or commit the meeting schedule (organizers)",
    description="Places pending requests and mutual preferences in slots and tables: "
    "availability, one place per participant and slot, one meeting per table and slot and "
    "the participants' caps always hold; accepted and locked meetings never move, so "
    "running again only adds. dry_run: true previews and writes nothing. Otherwise the "
    "schedule is written in one transaction (the previewed one when its token is sent) and "
    "each organization with new meetings is notified; a token whose meetings changed since "
    "the preview, or a concurrent change while writing, gives 409 and nothing is written.",
    auth="user",
    body=s.ScheduleRun,
    response=s.Schedule,
    errors=(409,),
    path_params=FAIR_ID,
)
def run_schedule(exhibition_id: int, body: s.ScheduleRun):
    session, user = db.session(), require_user()
    if body.dry_run:
        result = scheduler.preview(session, user, exhibition_id)
    else:
        result = scheduler.commit(session, user, exhibition_id, body.token)
    return schedule_body(result)
