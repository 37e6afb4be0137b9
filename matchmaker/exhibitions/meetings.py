"""B2B meetings: request, accept into a slot and table, decline, propose, cancel, mark.

The database forbids double booking: one SlotOccupancy row per (slot, organization) and
one accepted meeting per (slot, table). Lost races surface as IntegrityError and are
answered with a Conflict saying who is busy.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete as sql_delete
from sqlalchemy import func, or_
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from matchmaker.accounts.models import User, utcnow
from matchmaker.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from matchmaker.profiles.models import Interaction, Organization
from matchmaker.profiles.service import log_graph_change

from . import fair_notices
from .access import acts_for, get_exhibition, is_organizer, require_member, require_user
from .labels import MEETING_LABELS, label
from .models import Meeting, MeetingTable, Slot, SlotOccupancy
from .registrations import require_registered

OPEN = ("requested", "accepted")
MAX_MESSAGE = 2000
MAX_REASON = 1000
TABLE_ATTEMPTS = 3


def _slot_of_fair(db: Session, exhibition_id: int, slot_id, field: str = "slot_id") -> Slot:
    valid = isinstance(slot_id, int) and not isinstance(slot_id, bool)
    slot = db.get(Slot, slot_id) if valid else None
    if slot is None or slot.exhibition_id != exhibition_id:
        raise ValidationFailed(fields={field: _l("Choose one of the exhibition's meeting slots.")})
    return slot


def _reason(reason) -> str:
    if reason is None:
        return ""
    if not isinstance(reason, str) or len(reason) > MAX_REASON:
        raise ValidationFailed(fields={"reason": _l("Use at most %(n)d characters.", n=MAX_REASON)})
    return reason.strip()


def _edge(db: Session, source: int, target: int, kind: str) -> None:
    """Record an interaction for matching (once per pair and kind) and log it for the graphs."""
    exists = db.exec(
        select(Interaction.id).where(
            Interaction.source_id == source,
            Interaction.target_id == target,
            Interaction.kind == kind,
        )
    ).first()
    if exists is None:
        db.add(Interaction(source_id=source, target_id=target, kind=kind))
    log_graph_change(db, source)
    log_graph_change(db, target)


def _touch(meeting: Meeting) -> None:
    meeting.sequence += 1
    meeting.updated_at = utcnow()


# --- reads ----------------------------------------------------------------------


def get_meeting(db: Session, viewer: User | None, meeting_id: int) -> Meeting:
    """One meeting, for its two organizations and the fair's organizers."""
    viewer = require_user(viewer)
    meeting = db.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound(_l("No meeting with this id."))
    if not (
        acts_for(viewer, meeting.requester_id)
        or acts_for(viewer, meeting.invitee_id)
        or is_organizer(db, viewer, meeting.exhibition_id)
    ):
        raise PermissionDenied(_l("You may only see your own organization's meetings."))
    return meeting


def list_meetings(
    db: Session, viewer: User | None, exhibition_id: int, org_id: int | None = None
) -> list[Meeting]:
    """An organization's meetings at a fair (its members), or all of them (organizers)."""
    viewer = require_user(viewer)
    get_exhibition(db, exhibition_id, viewer)
    organizer = is_organizer(db, viewer, exhibition_id)
    if org_id is None and not organizer:
        raise PermissionDenied(_l("Only this exhibition's organizers may see every meeting."))
    if org_id is not None and not (organizer or acts_for(viewer, org_id)):
        raise PermissionDenied(_l("You may only see your own organization's meetings."))
    query = select(Meeting).where(Meeting.exhibition_id == exhibition_id)
    if org_id is not None:
        query = query.where(or_(Meeting.requester_id == org_id, Meeting.invitee_id == org_id))
    return list(db.exec(query.order_by(Meeting.id)))


# --- request ----------------------------------------------------------------------


def request_meeting(
    db: Session,
    actor: User | None,
    exhibition_id: int,
    requester_id: int,
    invitee_id: int,
    slot_id: int | None = None,
    message: str = "",
) -> Meeting:
    """Ask another registered organization for a meeting, in a given slot or any."""
    require_member(actor, requester_id)
    exhibition = get_exhibition(db, exhibition_id, actor)
    if exhibition.status != "published":
        raise Conflict(_l("Meetings are open only while the exhibition is published."))
    if requester_id == invitee_id:
        raise ValidationFailed(
            fields={"invitee_id": _l("Choose an organization other than yours.")}
        )
    if message is None:
        message = ""
    if not isinstance(message, str) or len(message) > MAX_MESSAGE:
        raise ValidationFailed(
            fields={"message": _l("Use at most %(n)d characters.", n=MAX_MESSAGE)}
        )
    require_registered(db, exhibition_id, requester_id, "requester_id")
    require_registered(db, exhibition_id, invitee_id, "invitee_id")
    if slot_id is not None:
        _slot_of_fair(db, exhibition_id, slot_id)
    if exhibition.request_cap is not None:
        sent = db.exec(
            select(func.count(Meeting.id)).where(
                Meeting.exhibition_id == exhibition_id,
                Meeting.requester_id == requester_id,
                Meeting.status.in_(OPEN),
            )
        ).one()
        if sent >= exhibition.request_cap:
            raise ValidationFailed(
                fields={
                    "requester_id": _l(
                        "You have sent %(n)d meeting requests, the most this exhibition allows.",
                        n=exhibition.request_cap,
                    )
                }
            )
    _refuse_duplicate(db, exhibition_id, requester_id, invitee_id)
    meeting = Meeting(
        exhibition_id=exhibition_id,
        requester_id=requester_id,
        invitee_id=invitee_id,
        slot_id=slot_id,
        message=message.strip(),
    )
    try:
        db.add(meeting)
        _edge(db, requester_id, invitee_id, "meeting_request")
        db.flush()  # the meeting's id, for the notification's link
        fair_notices.meeting_requested(db, meeting, actor)
        db.commit()
    except IntegrityError:
        db.rollback()
        raise Conflict(_l("A meeting between these organizations is open already.")) from None
    return meeting


def _refuse_duplicate(db: Session, exhibition_id: int, one: int, other: int) -> None:
    found = db.exec(
        select(Meeting.id).where(
            Meeting.exhibition_id == exhibition_id,
            Meeting.status.in_(OPEN),
            or_(
                (Meeting.requester_id == one) & (Meeting.invitee_id == other),
                (Meeting.requester_id == other) & (Meeting.invitee_id == one),
            ),
        )
    ).first()
    if found is not None:
        raise Conflict(_l("A meeting between these organizations is open already."))


# --- answers ---------------------------------------------------------------------


def _answering_side(meeting: Meeting) -> int:
    """Who answers a request: the invitee, or the requester after a counter-proposal."""
    if meeting.proposed_by_id == meeting.invitee_id:
        return meeting.requester_id
    return meeting.invitee_id


def _require_side(db: Session, actor: User | None, meeting: Meeting, org_id: int) -> None:
    actor = require_user(actor)
    if not (acts_for(actor, org_id) or is_organizer(db, actor, meeting.exhibition_id)):
        raise PermissionDenied(_l("You may only act for your own organization."))


def _refuse_locked(db: Session, actor: User | None, meeting: Meeting) -> None:
    """A meeting the organizers locked moves or ends only by their hand."""
    if (
        meeting.locked
        and meeting.status == "accepted"
        and not is_organizer(db, actor, meeting.exhibition_id)
    ):
        raise Conflict(_l("The organizers fixed this meeting; ask them to move or cancel it."))


def _require_status(meeting: Meeting, *allowed: str) -> None:
    if meeting.status not in allowed:
        raise Conflict(
            _l("This meeting is %(status)s.", status=label(MEETING_LABELS, meeting.status))
        )


def accept_meeting(
    db: Session, actor: User | None, meeting_id: int, slot_id: int | None = None
) -> Meeting:
    """Accept a request into a slot (given, proposed or requested) at the first free table.

    On an accepted meeting with a proposed move, accept the move instead. Either side busy
    or unavailable then, or no table free: Conflict saying which.
    """
    meeting = get_meeting(db, actor, meeting_id)
    side = _answering_side(meeting)
    _require_side(db, actor, meeting, side)
    if meeting.status == "accepted" and meeting.proposed_slot_id is not None:
        return _accept_move(db, meeting, slot_id, actor, side)
    _require_status(meeting, "requested")
    chosen = slot_id or meeting.proposed_slot_id or meeting.slot_id
    if chosen is None:
        raise ValidationFailed(fields={"slot_id": _l("Choose a meeting slot.")})
    slot = _slot_of_fair(db, meeting.exhibition_id, chosen)
    require_registered(db, meeting.exhibition_id, meeting.requester_id, "requester_id")
    require_registered(db, meeting.exhibition_id, meeting.invitee_id, "invitee_id")
    for _attempt in range(TABLE_ATTEMPTS):
        _refuse_busy(db, meeting, slot.id)
        table_id = _free_table(db, meeting.exhibition_id, slot.id)
        if table_id is None:
            raise Conflict(_l("No meeting table is free in this slot."))
        try:
            _take(db, meeting, slot.id, table_id)
            # In the same transaction: a lost race (rolled back) sends nothing.
            fair_notices.meeting_accepted(db, meeting, actor, side, slot.id, table_id)
            db.commit()
        except IntegrityError:
            db.rollback()
            continue  # someone took the table or one side: look again
        db.refresh(meeting)
        return meeting
    db.refresh(meeting)
    _require_status(meeting, "requested")
    _refuse_busy(db, meeting, slot.id)
    raise Conflict(_l("No meeting table is free in this slot."))


def _take(db: Session, meeting: Meeting, slot_id: int, table_id: int) -> None:
    """Write the acceptance; the first write takes SQLite's lock, constraints do the rest."""
    changed = db.exec(
        sql_update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.status == "requested")
        .values(
            status="accepted",
            slot_id=slot_id,
            table_id=table_id,
            proposed_slot_id=None,
            proposed_by_id=None,
            sequence=Meeting.sequence + 1,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        db.rollback()
        db.refresh(meeting)
        raise Conflict(
            _l("This meeting is %(status)s.", status=label(MEETING_LABELS, meeting.status))
        )
    for org_id in (meeting.requester_id, meeting.invitee_id):
        db.add(
            SlotOccupancy(
                slot_id=slot_id, organization_id=org_id, meeting_id=meeting.id, kind="meeting"
            )
        )
    db.flush()
    _edge(db, meeting.requester_id, meeting.invitee_id, "meeting")


def _refuse_busy(db: Session, meeting: Meeting, slot_id: int) -> None:
    rows = db.exec(
        select(SlotOccupancy.organization_id, SlotOccupancy.kind).where(
            SlotOccupancy.slot_id == slot_id,
            SlotOccupancy.organization_id.in_((meeting.requester_id, meeting.invitee_id)),
        )
    ).all()
    if not rows:
        return
    org_id, kind = sorted(rows)[0]
    name = db.get(Organization, org_id).name
    if kind == "unavailable":
        raise Conflict(_l("%(name)s is unavailable in this slot.", name=name))
    raise Conflict(_l("%(name)s already has a meeting in this slot.", name=name))


def _free_table(db: Session, exhibition_id: int, slot_id: int) -> int | None:
    taken = select(Meeting.table_id).where(
        Meeting.slot_id == slot_id, Meeting.status == "accepted", Meeting.table_id.is_not(None)
    )
    return db.exec(
        select(MeetingTable.id)
        .where(MeetingTable.exhibition_id == exhibition_id, MeetingTable.id.not_in(taken))
        .order_by(MeetingTable.position)
        .limit(1)
    ).first()


def decline_meeting(db: Session, actor: User | None, meeting_id: int, reason: str = "") -> Meeting:
    """Decline a request (the side that answers it), with an optional reason."""
    reason = _reason(reason)
    meeting = get_meeting(db, actor, meeting_id)
    side = _answering_side(meeting)
    _require_side(db, actor, meeting, side)
    return _finish(
        db,
        meeting,
        "declined",
        reason,
        ("requested",),
        notice=lambda: fair_notices.meeting_declined(db, meeting, actor, side),
    )


def propose_slot(
    db: Session, actor: User | None, meeting_id: int, slot_id: int, org_id: int | None = None
) -> Meeting:
    """Propose another slot for a request, or a move for an accepted meeting.

    The other side then accepts it. An accepted meeting keeps its slot and table until
    then. ``org_id`` says which side proposes (default: the actor's organization).
    """
    meeting = get_meeting(db, actor, meeting_id)
    side = _side(actor, meeting, org_id)
    _require_status(meeting, "requested", "accepted")
    _refuse_locked(db, actor, meeting)
    slot = _slot_of_fair(db, meeting.exhibition_id, slot_id)
    if meeting.status == "accepted":
        if slot.id == meeting.slot_id:
            raise ValidationFailed(fields={"slot_id": _l("The meeting is in this slot already.")})
        _refuse_busy(db, meeting, slot.id)
    meeting.proposed_slot_id = slot.id
    meeting.proposed_by_id = side
    _touch(meeting)
    db.add(meeting)
    db.commit()
    return meeting


def _accept_move(
    db: Session, meeting: Meeting, slot_id: int | None, actor: User | None, side: int
) -> Meeting:
    """Move an accepted meeting to its proposed slot: new occupancy and table, or nothing."""
    if slot_id is not None and slot_id != meeting.proposed_slot_id:
        raise ValidationFailed(fields={"slot_id": _l("Accept the proposed slot or decline it.")})
    slot = _slot_of_fair(db, meeting.exhibition_id, meeting.proposed_slot_id)
    for _attempt in range(TABLE_ATTEMPTS):
        _refuse_busy(db, meeting, slot.id)
        table_id = _free_table(db, meeting.exhibition_id, slot.id)
        if table_id is None:
            raise Conflict(_l("No meeting table is free in this slot."))
        try:
            _move(db, meeting, slot.id, table_id)
            fair_notices.meeting_moved(db, meeting, actor, side, slot.id, table_id)
            db.commit()
        except IntegrityError:
            db.rollback()
            continue  # someone took the table or one side meanwhile: look again
        db.refresh(meeting)
        return meeting
    db.refresh(meeting)
    _refuse_busy(db, meeting, slot.id)
    raise Conflict(_l("No meeting table is free in this slot."))


def _move(db: Session, meeting: Meeting, slot_id: int, table_id: int) -> None:
    """Write the move in one transaction; the constraints still forbid double booking."""
    changed = db.exec(
        sql_update(Meeting)
        .where(
            Meeting.id == meeting.id,
            Meeting.status == "accepted",
            Meeting.proposed_slot_id == slot_id,
        )
        .values(
            slot_id=slot_id,
            table_id=table_id,
            proposed_slot_id=None,
            proposed_by_id=None,
            sequence=Meeting.sequence + 1,
            updated_at=utcnow(),
            reminded_at=None,  # at its new time it gets a reminder again
        )
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        db.rollback()
        db.refresh(meeting)
        raise Conflict(_l("This meeting changed meanwhile; reload the page."))
    db.exec(sql_delete(SlotOccupancy).where(SlotOccupancy.meeting_id == meeting.id))
    for org_id in (meeting.requester_id, meeting.invitee_id):
        db.add(
            SlotOccupancy(
                slot_id=slot_id, organization_id=org_id, meeting_id=meeting.id, kind="meeting"
            )
        )
    db.flush()


def drop_proposal(db: Session, actor: User | None, meeting_id: int) -> Meeting:
    """Decline (or, for its author, withdraw) the proposed move of an accepted meeting.

    The meeting stays accepted in its slot.
    """
    meeting = get_meeting(db, actor, meeting_id)  # either side, or an organizer
    _require_status(meeting, "accepted")
    if meeting.proposed_slot_id is None:
        raise Conflict(_l("No other slot is proposed for this meeting."))
    meeting.proposed_slot_id = None
    meeting.proposed_by_id = None
    _touch(meeting)
    db.add(meeting)
    db.commit()
    return meeting


def _side(actor: User | None, meeting: Meeting, org_id: int | None) -> int:
    """The side the actor acts for in this meeting."""
    sides = (meeting.requester_id, meeting.invitee_id)
    if org_id is None:
        org_id = getattr(actor, "organization_id", None)
    if org_id not in sides:
        raise ValidationFailed(fields={"organization_id": _l("Act for one side of the meeting.")})
    if not acts_for(actor, org_id):
        raise PermissionDenied(_l("You may only act for your own organization."))
    return org_id


def cancel_meeting(db: Session, actor: User | None, meeting_id: int, reason: str = "") -> Meeting:
    """Cancel a requested or accepted meeting (either side or an organizer); frees the slot."""
    reason = _reason(reason)
    meeting = get_meeting(db, actor, meeting_id)
    _refuse_locked(db, actor, meeting)
    return _finish(
        db,
        meeting,
        "cancelled",
        reason,
        OPEN,
        notice=lambda: fair_notices.meeting_cancelled(db, meeting, actor),
    )


def mark_meeting(db: Session, actor: User | None, meeting_id: int, status: str) -> Meeting:
    """Record that an accepted meeting was held or that someone did not show."""
    if status not in ("held", "no_show"):
        raise ValidationFailed(fields={"status": _l("Choose held or no_show.")})
    meeting = get_meeting(db, actor, meeting_id)
    return _finish(db, meeting, status, None, ("accepted", "held", "no_show"))


def _finish(db, meeting: Meeting, status: str, reason: str | None, allowed, notice=None) -> Meeting:
    _require_status(meeting, *allowed)
    if status in ("declined", "cancelled"):
        db.exec(sql_delete(SlotOccupancy).where(SlotOccupancy.meeting_id == meeting.id))
    meeting.status = status
    if reason is not None:
        meeting.reason = reason
    _touch(meeting)
    db.add(meeting)
    if notice is not None:
        notice()  # the notifications commit with the change
    db.commit()
    return meeting


def update_meeting(
    db: Session,
    actor: User | None,
    meeting_id: int,
    status: str,
    *,
    slot_id: int | None = None,
    reason: str = "",
) -> Meeting:
    """One entry for PATCH: accepted | declined | cancelled | held | no_show."""
    if status == "accepted":
        return accept_meeting(db, actor, meeting_id, slot_id)
    if status == "declined":
        return decline_meeting(db, actor, meeting_id, reason)
    if status == "cancelled":
        return cancel_meeting(db, actor, meeting_id, reason)
    if status in ("held", "no_show"):
        from .outcomes import mark_meeting as mark_once_started  # outcomes imports this module

        return mark_once_started(db, actor, meeting_id, status)
    raise ValidationFailed(
        fields={"status": _l("Choose accepted, declined, cancelled, held or no_show.")}
    )
