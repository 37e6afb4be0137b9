"""Check-in at the fair: badges with a signed link, and the organizers who check people in.

The link on a badge carries (exhibition id, registration id) signed with the site's secret
(itsdangerous, salt "check-in"). It works until the day after the fair's last day ends in
the fair's zone; a forged link or one of another fair is refused, and so is a late one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import update as sql_update
from sqlmodel import Session, select

from matchmaker.accounts.models import User, utcnow
from matchmaker.errors import Conflict, NotFound, PermissionDenied
from matchmaker.profiles.models import Organization

from .access import acts_for, editable_exhibition, get_exhibition, is_organizer, require_user
from .models import Booth, Exhibition, Registration
from .times import as_utc, wall_to_utc

SALT = "check-in"
MAX_TOKEN = 200  # a real token is ~40 characters; anything far longer is not one of ours
MAX_QUERY = 100


class InvalidCheckIn(PermissionDenied):
    default_message = _l("This check-in link is not valid.")


class ExpiredCheckIn(PermissionDenied):
    default_message = _l("This check-in link has expired.")


@dataclass(frozen=True)
class Badge:
    exhibition: Exhibition
    organization: Organization
    registration: Registration
    booths: list[str]
    token: str
    valid_until: datetime

    @property
    def last_day(self) -> date:
        """The last day the check-in link works, in the fair's zone."""
        return self.exhibition.ends_on + timedelta(days=1)


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    organization: Organization
    already: bool


@dataclass(frozen=True)
class Desk:
    registered: int
    checked_in: int
    items: list[tuple[Registration, Organization]]


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def valid_until(exhibition: Exhibition) -> datetime:
    """When the fair's badges stop working: one day after its last day ends (fair's zone)."""
    last_midnight = exhibition.ends_on + timedelta(days=2)
    instant = wall_to_utc(last_midnight, time(0, 0), exhibition.timezone)
    if instant is None:  # midnight skipped by a DST change: one hour later exists
        instant = wall_to_utc(last_midnight, time(1, 0), exhibition.timezone)
    return instant


def make_token(secret_key: str, registration: Registration) -> str:
    return _serializer(secret_key).dumps([registration.exhibition_id, registration.id])


def _registration_in_token(secret_key: str, exhibition_id: int, token: str) -> int:
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN:
        raise InvalidCheckIn()
    try:
        payload = _serializer(secret_key).loads(token)
    except BadSignature:  # also bad base64 and bad JSON
        raise InvalidCheckIn() from None
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or not all(isinstance(x, int) and not isinstance(x, bool) for x in payload)
        or payload[0] != exhibition_id
    ):
        raise InvalidCheckIn()
    return payload[1]


def _registered(db: Session, exhibition_id: int, registration_id: int) -> Registration:
    registration = db.get(Registration, registration_id)
    if registration is None or registration.exhibition_id != exhibition_id:
        raise NotFound(_l("No registration with this id at this fair."))
    if registration.status != "registered":
        raise Conflict(_l("This organization is no longer registered for this fair."))
    return registration


# --- badges ---------------------------------------------------------------------------


def badge(
    db: Session, viewer: User | None, exhibition_id: int, org_id: int, secret_key: str
) -> Badge:
    """An organization's badge at a fair (its members; the fair's organizers)."""
    viewer = require_user(viewer)
    exhibition = get_exhibition(db, exhibition_id, viewer)
    if not (acts_for(viewer, org_id) or is_organizer(db, viewer, exhibition_id)):
        raise PermissionDenied(_l("You may only see your own organization's badge."))
    registration = db.exec(
        select(Registration).where(
            Registration.exhibition_id == exhibition_id,
            Registration.organization_id == org_id,
            Registration.status == "registered",
        )
    ).first()
    if registration is None:
        raise NotFound(_l("This organization is not registered for this exhibition."))
    booths = db.exec(
        select(Booth.code)
        .where(Booth.exhibition_id == exhibition_id, Booth.organization_id == org_id)
        .order_by(Booth.code)
    ).all()
    return Badge(
        exhibition=exhibition,
        organization=db.get(Organization, org_id),
        registration=registration,
        booths=list(booths),
        token=make_token(secret_key, registration),
        valid_until=valid_until(exhibition),
    )


# --- checking in ----------------------------------------------------------------------


def _organized(db: Session, actor: User | None, exhibition_id: int) -> tuple[User, Exhibition]:
    actor = require_user(actor)
    exhibition = db.get(Exhibition, exhibition_id)
    if exhibition is None:
        raise NotFound(_l("No exhibition with this id."))
    if not is_organizer(db, actor, exhibition_id):
        raise PermissionDenied(_l("Only this exhibition's organizers may check people in."))
    return actor, exhibition


def _record(db: Session, actor: User, registration: Registration, now: datetime) -> CheckIn:
    # One conditional UPDATE: two phones scanning the same badge both answer, one records.
    changed = db.exec(
        sql_update(Registration)
        .where(Registration.id == registration.id, Registration.checked_in_at.is_(None))
        .values(checked_in_at=now, checked_in_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    db.commit()
    db.refresh(registration)
    organization = db.get(Organization, registration.organization_id)
    return CheckIn(registration, organization, already=changed.rowcount != 1)


def check_in_by_token(
    db: Session,
    actor: User | None,
    exhibition_id: int,
    token: str,
    secret_key: str,
    now: datetime | None = None,
) -> CheckIn:
    """Check in the badge holder of a signed link (organizers); again: ``already``."""
    actor, exhibition = _organized(db, actor, exhibition_id)
    registration_id = _registration_in_token(secret_key, exhibition_id, token)
    now = now or utcnow()
    if as_utc(now) >= valid_until(exhibition):
        raise ExpiredCheckIn()
    if exhibition.status != "published":
        raise Conflict(_l("Check-in is open only while the exhibition is published."))
    registration = _registered(db, exhibition_id, registration_id)
    return _record(db, actor, registration, now)


def check_in(
    db: Session,
    actor: User | None,
    exhibition_id: int,
    registration_id: int,
    now: datetime | None = None,
) -> CheckIn:
    """Check in a participant by hand, e.g. one who forgot the badge (organizers)."""
    actor, exhibition = _organized(db, actor, exhibition_id)
    if exhibition.status != "published":
        raise Conflict(_l("Check-in is open only while the exhibition is published."))
    registration = _registered(db, exhibition_id, registration_id)
    return _record(db, actor, registration, now or utcnow())


def undo_check_in(
    db: Session, actor: User | None, exhibition_id: int, registration_id: int
) -> Registration:
    """Take back a check-in made by mistake (organizers)."""
    _organized(db, actor, exhibition_id)
    registration = db.get(Registration, registration_id)
    if registration is None or registration.exhibition_id != exhibition_id:
        raise NotFound(_l("No registration with this id at this fair."))
    registration.checked_in_at = None
    registration.checked_in_by_id = None
    db.add(registration)
    db.commit()
    return registration


def check_in_desk(db: Session, actor: User | None, exhibition_id: int, query: str = "") -> Desk:
    """Registered participants by name with their check-in, and the counts (organizers)."""
    editable_exhibition(db, actor, exhibition_id)
    rows = db.exec(
        select(Registration, Organization)
        .join(Organization, Organization.id == Registration.organization_id)
        .where(Registration.exhibition_id == exhibition_id, Registration.status == "registered")
        .order_by(Organization.name, Organization.id)
    ).all()
    needle = (query or "").strip().casefold()[:MAX_QUERY]
    items = [(r, o) for r, o in rows if needle in o.name.casefold()]
    return Desk(
        registered=len(rows),
        checked_in=sum(1 for r, _o in rows if r.checked_in_at is not None),
        items=items,
    )
