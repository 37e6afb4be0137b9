"""iCalendar exports: an organization's agenda (meetings and chosen sessions), a programme.

Built from a handful of queries (no query per event), so a participant's feed stays fast at
fairs with thousands of meetings. UIDs are stable and SEQUENCE follows each row's changes,
so calendar applications update events in place.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import cache

from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone
from sqlalchemy import or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from matchmaker.profiles.models import Organization

from .models import (
    AgendaChoice,
    AgendaSession,
    Exhibition,
    Meeting,
    MeetingTable,
    Slot,
)
from .times import as_utc, local

EXPORTED = ("accepted", "cancelled", "held", "no_show")
ICS_STATUS = {
    "accepted": "CONFIRMED",
    "held": "CONFIRMED",
    "no_show": "CONFIRMED",
    "cancelled": "CANCELLED",
}
PRODID = "-//matchmaker//exhibitions//EN"


@cache
def _vtimezone(tzid: str) -> Timezone:
    """VTIMEZONE from the zoneinfo rules, built once per zone (it is costly)."""
    return Timezone.from_tzid(tzid, first_date=date(2020, 1, 1), last_date=date(2040, 1, 1))


def _calendar(name: str, zones: Iterable[str]) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for tzid in sorted(set(zones)):
        calendar.add_component(_vtimezone(tzid))
    return calendar


def _event(
    uid: str, sequence: int, stamp: datetime, start: datetime, end: datetime, tz: str
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", as_utc(stamp))
    event.add("dtstart", local(start, tz))
    event.add("dtend", local(end, tz))
    return event


def _session_event(item: AgendaSession, exhibition: Exhibition, locale: str) -> Event:
    event = _event(
        f"session-{item.id}@matchmaker",
        item.sequence,
        exhibition.updated_at,
        item.starts_at,
        item.ends_at,
        exhibition.timezone,
    )
    event.add("summary", item.title_in(locale))
    event.add("location", " · ".join(p for p in (exhibition.venue, item.hall) if p))
    speakers = item.speakers_in(locale)
    if speakers:
        event.add("description", speakers)
    event.add("status", "CONFIRMED")
    return event


def programme_ics(db: Session, exhibition: Exhibition, locale: str) -> bytes:
    """Every session of one fair as an iCalendar document."""
    with force_locale(locale):
        sessions = db.exec(
            select(AgendaSession)
            .where(AgendaSession.exhibition_id == exhibition.id)
            .order_by(AgendaSession.starts_at, AgendaSession.id)
        ).all()
        calendar = _calendar(exhibition.name_in(locale), [exhibition.timezone])
        for item in sessions:
            calendar.add_component(_session_event(item, exhibition, locale))
        return calendar.to_ical()


def agenda_ics(
    db: Session,
    exhibition: Exhibition | None,
    org_id: int,
    locale: str,
    base_url: str | None = None,
) -> bytes:
    """An organization's meetings and chosen sessions, at one fair or (None) at all fairs.

    Requested meetings are not exported; cancelled ones are, as STATUS:CANCELLED, so
    calendars drop them. ``base_url`` adds the other side's profile address.
    """
    with force_locale(locale):
        meetings = _meetings(db, exhibition, org_id)
        sessions = _chosen_sessions(db, exhibition, org_id)
        fairs = {exhibition.id: exhibition} if exhibition else {}
        missing = {row[0].exhibition_id for row in meetings} | {s.exhibition_id for s in sessions}
        missing -= set(fairs)
        if missing:
            fairs.update(
                (e.id, e) for e in db.exec(select(Exhibition).where(Exhibition.id.in_(missing)))
            )
        others = {
            r[0].invitee_id if r[0].requester_id == org_id else r[0].requester_id for r in meetings
        }
        names = (
            dict(
                db.exec(
                    select(Organization.id, Organization.name).where(Organization.id.in_(others))
                ).all()
            )
            if others
            else {}
        )
        name = exhibition.name_in(locale) if exhibition else _("My agenda")
        calendar = _calendar(name, [f.timezone for f in fairs.values()])
        for meeting, slot, table_name in meetings:
            fair = fairs[meeting.exhibition_id]
            other = meeting.invitee_id if meeting.requester_id == org_id else meeting.requester_id
            event = _event(
                f"meeting-{meeting.id}@matchmaker",
                meeting.sequence,
                meeting.updated_at,
                slot.starts_at,
                slot.ends_at,
                fair.timezone,
            )
            event.add("summary", _("Meeting: %(name)s", name=names.get(other, "")))
            place = [fair.venue] if fair.venue else []
            if table_name:
                place.append(_("table %(table)s", table=table_name))
            event.add("location", " · ".join(place))
            if base_url:
                event.add("description", f"{base_url.rstrip('/')}/organizations/{other}")
            event.add("status", ICS_STATUS[meeting.status])
            calendar.add_component(event)
        for item in sessions:
            calendar.add_component(_session_event(item, fairs[item.exhibition_id], locale))
        return calendar.to_ical()


def _meetings(db: Session, exhibition: Exhibition | None, org_id: int):
    table = aliased(MeetingTable)
    query = (
        select(Meeting, Slot, table.name)
        .join(Slot, Slot.id == Meeting.slot_id)
        .outerjoin(table, table.id == Meeting.table_id)
        .where(
            or_(Meeting.requester_id == org_id, Meeting.invitee_id == org_id),
            Meeting.status.in_(EXPORTED),
            # A request cancelled before anyone accepted it never reached a calendar.
            Meeting.table_id.is_not(None),
        )
        .order_by(Slot.starts_at, Meeting.id)
    )
    if exhibition is not None:
        query = query.where(Meeting.exhibition_id == exhibition.id)
    return db.exec(query).all()


def _chosen_sessions(db: Session, exhibition: Exhibition | None, org_id: int):
    query = (
        select(AgendaSession)
        .join(AgendaChoice, AgendaChoice.session_id == AgendaSession.id)
        .where(AgendaChoice.organization_id == org_id)
        .order_by(AgendaSession.starts_at, AgendaSession.id)
    )
    if exhibition is not None:
        query = query.where(AgendaSession.exhibition_id == exhibition.id)
    return db.exec(query).all()
