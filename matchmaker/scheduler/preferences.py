"""Participants' wishes before the schedule: whom they want to meet, and how many meetings.

Levels: "must" (must meet), "would_like", "no_thanks" (never scheduled with them). The
organizer's scheduler reads them (service.py); people set them on the preferences page or
through the API.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete as sql_delete
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from matchmaker.accounts.models import User, utcnow
from matchmaker.errors import Conflict, PermissionDenied, ValidationFailed
from matchmaker.exhibitions.access import (
    acts_for,
    get_exhibition,
    is_organizer,
    require_member,
    require_user,
)
from matchmaker.exhibitions.models import (
    PREFERENCE_LEVELS,
    MeetingPreference,
    Registration,
    Slot,
)
from matchmaker.profiles.models import Organization

LEVEL_LABELS = {
    "must": _l("Must meet"),
    "would_like": _l("Would like to meet"),
    # Translators: a participant does not want a meeting with this organization.
    "no_thanks": _l("No thanks"),
}


@dataclass
class StatedPreference:
    preference: MeetingPreference
    target: Organization


def _registered(db: Session, exhibition_id: int, org_id, field: str) -> Registration:
    valid = isinstance(org_id, int) and not isinstance(org_id, bool)
    registration = (
        db.exec(
            select(Registration).where(
                Registration.exhibition_id == exhibition_id,
                Registration.organization_id == org_id,
            )
        ).first()
        if valid
        else None
    )
    if registration is None or registration.status != "registered":
        raise ValidationFailed(
            fields={field: _l("This organization is not taking part in this fair.")}
        )
    return registration


def _check_level(level) -> str | None:
    if level is not None and level not in PREFERENCE_LEVELS:
        raise ValidationFailed(fields={"level": _l("Choose must, would_like or no_thanks.")})
    return level


def set_preference(
    db: Session,
    actor: User | None,
    exhibition_id: int,
    org_id: int,
    target_id: int,
    level: str | None,
) -> MeetingPreference | None:
    """Say how much ``org_id`` wants to meet ``target_id`` at the fair; None clears it."""
    require_member(actor, org_id)
    get_exhibition(db, exhibition_id, actor)
    level = _check_level(level)
    if org_id == target_id:
        raise ValidationFailed(fields={"target_id": _l("Choose an organization other than yours.")})
    _registered(db, exhibition_id, org_id, "organization_id")
    _registered(db, exhibition_id, target_id, "target_id")
    found = db.exec(
        select(MeetingPreference).where(
            MeetingPreference.exhibition_id == exhibition_id,
            MeetingPreference.organization_id == org_id,
            MeetingPreference.target_id == target_id,
        )
    ).first()
    if level is None:
        if found is not None:
            db.delete(found)
            db.commit()
        return None
    preference = found or MeetingPreference(
        exhibition_id=exhibition_id, organization_id=org_id, target_id=target_id, level=level
    )
    preference.level = level
    preference.updated_at = utcnow()
    try:
        db.add(preference)
        db.commit()
    except IntegrityError:  # the same preference written at the same moment elsewhere
        db.rollback()
        raise Conflict(_l("This preference changed meanwhile; reload the page.")) from None
    return preference


def clear_preference(
    db: Session, actor: User | None, exhibition_id: int, org_id: int, target_id: int
) -> None:
    """Forget what ``org_id`` said about ``target_id`` (nothing to forget is fine)."""
    require_member(actor, org_id)
    get_exhibition(db, exhibition_id, actor)
    db.exec(
        sql_delete(MeetingPreference).where(
            MeetingPreference.exhibition_id == exhibition_id,
            MeetingPreference.organization_id == org_id,
            MeetingPreference.target_id == target_id,
        )
    )
    db.commit()


def set_preferences(
    db: Session,
    actor: User | None,
    exhibition_id: int,
    org_id: int,
    levels: dict[int, str | None],
) -> int:
    """Set several preferences in one transaction (a page of the form); returns how many.

    Every target must be taking part; one bad target refuses the whole batch.
    """
    require_member(actor, org_id)
    get_exhibition(db, exhibition_id, actor)
    _registered(db, exhibition_id, org_id, "organization_id")
    present = set(
        db.exec(
            select(Registration.organization_id).where(
                Registration.exhibition_id == exhibition_id,
                Registration.status == "registered",
            )
        )
    )
    for target_id, level in levels.items():
        _check_level(level)
        if target_id == org_id or target_id not in present:
            raise ValidationFailed(
                fields={"target_id": _l("This organization is not taking part in this fair.")}
            )
    existing = {
        p.target_id: p
        for p in db.exec(
            select(MeetingPreference).where(
                MeetingPreference.exhibition_id == exhibition_id,
                MeetingPreference.organization_id == org_id,
                MeetingPreference.target_id.in_(list(levels)),
            )
        )
    }
    changed = 0
    try:
        for target_id, level in levels.items():
            found = existing.get(target_id)
            if level is None:
                if found is not None:
                    db.delete(found)
                    changed += 1
                continue
            if found is not None and found.level == level:
                continue
            preference = found or MeetingPreference(
                exhibition_id=exhibition_id,
                organization_id=org_id,
                target_id=target_id,
                level=level,
            )
            preference.level = level
            preference.updated_at = utcnow()
            db.add(preference)
            changed += 1
        db.commit()
    except IntegrityError:
        db.rollback()
        raise Conflict(_l("These preferences changed meanwhile; reload the page.")) from None
    return changed


def set_meeting_cap(
    db: Session, actor: User | None, exhibition_id: int, org_id: int, cap: int | None
) -> Registration:
    """The most meetings ``org_id`` wants at the fair (None: no cap of its own)."""
    require_member(actor, org_id)
    get_exhibition(db, exhibition_id, actor)
    registration = _registered(db, exhibition_id, org_id, "organization_id")
    if cap is not None:
        slots = db.exec(
            select(func.count(Slot.id)).where(Slot.exhibition_id == exhibition_id)
        ).one()
        valid = isinstance(cap, int) and not isinstance(cap, bool)
        if not valid or not 1 <= cap <= max(slots, 1):
            raise ValidationFailed(
                fields={"cap": _l("Choose between 1 and %(n)d meetings.", n=max(slots, 1))}
            )
    registration.meeting_cap = cap
    db.add(registration)
    db.commit()
    return registration


def _readable(db: Session, actor: User | None, exhibition_id: int, org_id: int) -> None:
    actor = require_user(actor)
    get_exhibition(db, exhibition_id, actor)
    if not (acts_for(actor, org_id) or is_organizer(db, actor, exhibition_id)):
        raise PermissionDenied(_l("You may only see your own organization's preferences."))


def list_preferences(
    db: Session, actor: User | None, exhibition_id: int, org_id: int
) -> list[StatedPreference]:
    """What ``org_id`` said about the others at the fair, with the target organizations."""
    _readable(db, actor, exhibition_id, org_id)
    rows = db.exec(
        select(MeetingPreference, Organization)
        .join(Organization, Organization.id == MeetingPreference.target_id)
        .where(
            MeetingPreference.exhibition_id == exhibition_id,
            MeetingPreference.organization_id == org_id,
        )
        .order_by(MeetingPreference.id)
    )
    return [StatedPreference(p, o) for p, o in rows]


def preference_levels(db: Session, exhibition_id: int, org_id: int) -> dict[int, str]:
    """{target: level} of one organization (no permission check: callers did it)."""
    rows = db.exec(
        select(MeetingPreference.target_id, MeetingPreference.level).where(
            MeetingPreference.exhibition_id == exhibition_id,
            MeetingPreference.organization_id == org_id,
        )
    )
    return dict(rows.all())


def meeting_cap(db: Session, exhibition_id: int, org_id: int) -> int | None:
    return db.exec(
        select(Registration.meeting_cap).where(
            Registration.exhibition_id == exhibition_id, Registration.organization_id == org_id
        )
    ).first()


def preference_counts(db: Session, actor: User | None, exhibition_id: int) -> dict[str, int]:
    """For organizers: preferences stated by level, plus ``participants`` who stated any."""
    actor = require_user(actor)
    get_exhibition(db, exhibition_id, actor)
    if not is_organizer(db, actor, exhibition_id):
        raise PermissionDenied(_l("Only this exhibition's organizers may see this."))
    rows = db.exec(
        select(MeetingPreference.level, MeetingPreference.organization_id).where(
            MeetingPreference.exhibition_id == exhibition_id
        )
    ).all()
    counts = Counter(level for level, _org in rows)
    result = {level: counts.get(level, 0) for level in PREFERENCE_LEVELS}
    result["participants"] = len({org for _level, org in rows})
    return result
