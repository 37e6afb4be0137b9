"""Notifications about a fair's meetings: requests, answers, moves, cancellations, reminders.

Each function adds in-app notifications and outbox mails (``notify_organization``) to the
caller's transaction, so they are written with the change they tell about, or not at all:
the caller commits. The parameters are stored as data and rendered when read, in the
reader's language (matchmaker/notifications/messages.py): ``from_org`` (the other side's
name), ``fair`` (the fair's names per locale), ``when`` ({"at": ISO instant, "tz": the fair's
zone}) and ``table`` (the table's name).

Who hears of what: the other side of the meeting, never the person who did it; when an
organizer (or the scheduler) acts instead of one side, both sides.

``send_reminders`` runs in the outbox sender (notifications/mail.py, ``matchmaker
send-mail``): each accepted meeting starting within 15 minutes is claimed once, with a
conditional UPDATE of ``reminded_at``, so two workers never both remind.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from flask import has_app_context
from sqlalchemy import update
from sqlmodel import Session, select

from matchmaker.accounts.models import User
from matchmaker.profiles.models import Organization

from .models import Exhibition, Meeting, MeetingTable, Slot
from .times import as_utc

logger = logging.getLogger("matchmaker.exhibitions.notices")

# A reminder goes out when the meeting starts within this time, and never once it started.
REMINDER_LEAD = timedelta(minutes=15)


def meeting_link(meeting: Meeting) -> str:
    return f"/exhibitions/{meeting.exhibition_id}/meetings/{meeting.id}"


def _can_send() -> bool:
    # Mails need the app (its public address, its translations). Every request, command and
    # the sender thread has one; a bare service call (some unit tests) sends nothing.
    if has_app_context():
        return True
    logger.warning("no application context: fair notifications not sent")
    return False


def _params(
    db: Session,
    meeting: Meeting,
    from_org_id: int,
    slot_id: int | None,
    table_id: int | None,
) -> dict:
    fair = db.get(Exhibition, meeting.exhibition_id)
    other = db.get(Organization, from_org_id)
    params: dict = {
        "from_org": other.name if other is not None else "",
        "fair": fair.name_map() if fair is not None else {},
    }
    slot = db.get(Slot, slot_id) if slot_id is not None else None
    if slot is not None and fair is not None:
        params["when"] = {"at": as_utc(slot.starts_at).isoformat(), "tz": fair.timezone}
    table = db.get(MeetingTable, table_id) if table_id is not None else None
    if table is not None:
        params["table"] = table.name
    return params


def _tell(
    db: Session,
    meeting: Meeting,
    kind: str,
    to_org_id: int,
    actor: User | None,
    *,
    slot_id: int | None,
    table_id: int | None,
) -> None:
    from matchmaker.notifications.service import notify_organization

    from_org_id = meeting.invitee_id if to_org_id == meeting.requester_id else meeting.requester_id
    notify_organization(
        db,
        to_org_id,
        kind,
        _params(db, meeting, from_org_id, slot_id, table_id),
        meeting_link(meeting),
        exclude_user_id=getattr(actor, "id", None),
    )


def _other(meeting: Meeting, side: int) -> int:
    return meeting.invitee_id if side == meeting.requester_id else meeting.requester_id


def _recipients(meeting: Meeting, actor: User | None, side: int | None) -> list[int]:
    """The other side when a member of ``side`` acted; both sides otherwise."""
    if side is not None and getattr(actor, "organization_id", None) == side:
        return [_other(meeting, side)]
    return [meeting.requester_id, meeting.invitee_id]


# --- the events (call before the commit that writes the change) -------------------------


def meeting_requested(db: Session, meeting: Meeting, actor: User | None) -> None:
    """The invitee's members hear of a new request (the meeting must have its id)."""
    if not _can_send():
        return
    _tell(
        db,
        meeting,
        "meeting_requested",
        meeting.invitee_id,
        actor,
        slot_id=meeting.slot_id,
        table_id=None,
    )


def meeting_accepted(
    db: Session, meeting: Meeting, actor: User | None, side: int, slot_id: int, table_id: int
) -> None:
    """``side`` accepted: the other side hears when and where."""
    if not _can_send():
        return
    _tell(
        db,
        meeting,
        "meeting_accepted",
        _other(meeting, side),
        actor,
        slot_id=slot_id,
        table_id=table_id,
    )


def meeting_declined(db: Session, meeting: Meeting, actor: User | None, side: int) -> None:
    """``side`` declined: the other side hears of it."""
    if not _can_send():
        return
    _tell(
        db, meeting, "meeting_declined", _other(meeting, side), actor, slot_id=None, table_id=None
    )


def meeting_moved(
    db: Session,
    meeting: Meeting,
    actor: User | None,
    side: int | None,
    slot_id: int,
    table_id: int | None,
) -> None:
    """The meeting moved to ``slot_id``: the other side of ``side`` hears of it; when an
    organizer or the scheduler moved it (``side`` None), both sides."""
    if not _can_send():
        return
    for org_id in _recipients(meeting, actor, side):
        _tell(db, meeting, "meeting_moved", org_id, actor, slot_id=slot_id, table_id=table_id)


def meeting_cancelled(db: Session, meeting: Meeting, actor: User | None) -> None:
    """Cancelled by one side: the other hears of it; by an organizer: both sides."""
    if not _can_send():
        return
    side = getattr(actor, "organization_id", None)
    if side not in (meeting.requester_id, meeting.invitee_id):
        side = None
    for org_id in _recipients(meeting, actor, side):
        _tell(
            db,
            meeting,
            "meeting_cancelled",
            org_id,
            actor,
            slot_id=meeting.slot_id,
            table_id=None,
        )


# --- reminders --------------------------------------------------------------------------


def send_reminders(db: Session, now: datetime | None = None) -> int:
    """Remind both sides of each accepted meeting that starts in (now, now + 15 min].

    Each meeting is claimed by setting ``reminded_at`` where it is still empty (rowcount
    checked) and its notifications are committed with the claim, so a meeting is reminded
    once however many workers run this. Meetings that already started get none: a server
    that was down sends no stale reminders. Returns how many meetings were reminded.
    """
    if not _can_send():
        return 0
    now = as_utc(now or datetime.now(UTC))
    due = db.exec(
        select(Meeting.id, Meeting.slot_id)
        .join(Slot, Slot.id == Meeting.slot_id)
        .join(Exhibition, Exhibition.id == Meeting.exhibition_id)
        .where(
            Meeting.status == "accepted",
            Meeting.reminded_at.is_(None),
            Exhibition.status == "published",
            Slot.starts_at > now,
            Slot.starts_at <= now + REMINDER_LEAD,
        )
        .order_by(Slot.starts_at, Meeting.id)
    ).all()
    reminded = 0
    for meeting_id, slot_id in due:
        claim = db.exec(
            update(Meeting)
            .where(
                Meeting.id == meeting_id,
                Meeting.slot_id == slot_id,
                Meeting.status == "accepted",
                Meeting.reminded_at.is_(None),
            )
            .values(reminded_at=now)
            .execution_options(synchronize_session=False)
        )
        if claim.rowcount != 1:  # another worker reminded it, or it changed meanwhile
            db.rollback()
            continue
        try:
            meeting = db.get(Meeting, meeting_id)
            db.refresh(meeting)
            for org_id in (meeting.requester_id, meeting.invitee_id):
                _tell(
                    db,
                    meeting,
                    "meeting_reminder",
                    org_id,
                    None,
                    slot_id=meeting.slot_id,
                    table_id=meeting.table_id,
                )
            db.commit()
        except BaseException:
            db.rollback()  # the claim goes with it: the next run tries again
            raise
        reminded += 1
    return reminded
