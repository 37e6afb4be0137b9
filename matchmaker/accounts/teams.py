"""Teams: the accounts of an organization, and invitations to join it by e-mail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, func, select

from matchmaker.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from matchmaker.profiles.models import Organization

from . import links, throttle
from .mail import mail_locale, queue_invitation_mail
from .models import TeamInvitation, User, utcnow
from .service import normalize_email, user_by_email, valid_email


def _team_org(db: Session, actor: User | None, org_id: int) -> Organization:
    """The organization, if the actor is on its team (a 404 otherwise: teams are private)."""
    org = db.get(Organization, org_id)
    if org is None or actor is None:
        raise NotFound()
    if actor.organization_id != org.id:
        raise PermissionDenied(_l("Only the organization's team can see and change its team."))
    return org


def team_members(db: Session, actor: User | None, org_id: int) -> list[User]:
    """The accounts of the organization, by name."""
    _team_org(db, actor, org_id)
    return list(
        db.exec(
            select(User)
            .where(User.organization_id == org_id)
            .order_by(func.lower(User.display_name), User.id)
        )
    )


def _is_open(invitation: TeamInvitation) -> bool:
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        return False
    return expires_at(invitation) > utcnow()


def expires_at(invitation: TeamInvitation) -> datetime:
    created = invitation.created_at
    # SQLite hands back naive datetimes: they were stored in UTC.
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return created + timedelta(seconds=links.INVITE_MAX_AGE)


def pending_invitations(db: Session, actor: User | None, org_id: int) -> list[TeamInvitation]:
    """Invitations not yet accepted, revoked or expired, newest first."""
    _team_org(db, actor, org_id)
    rows = db.exec(
        select(TeamInvitation)
        .where(
            TeamInvitation.organization_id == org_id,
            TeamInvitation.accepted_at.is_(None),
            TeamInvitation.revoked_at.is_(None),
        )
        .order_by(TeamInvitation.id.desc())
    )
    return [row for row in rows if _is_open(row)]


def invitation_token(invitation: TeamInvitation) -> str:
    return links.sign(links.INVITE_SALT, {"i": invitation.id, "e": invitation.email})


def invite(
    db: Session, actor: User | None, org_id: int, email: str, *, locale: str | None = None
) -> TeamInvitation:
    """Invite an address to the team: a signed link by mail (and a notification if known)."""
    org = _team_org(db, actor, org_id)
    address = normalize_email(email)
    if not valid_email(address):
        raise ValidationFailed(fields={"email": _l("Enter a valid e-mail address.")})
    invitee = user_by_email(db, address)
    if invitee is not None and invitee.organization_id == org.id:
        raise Conflict(
            _l("This person is already on your team."),
            fields={"email": _l("This person is already on your team.")},
        )
    # 20 an hour per organization, counted by every worker (TooManyRequests beyond).
    key = throttle.account_key(throttle.INVITATIONS, org.id)
    throttle.check(db, (throttle.INVITATIONS, key))
    throttle.INVITATIONS.hit(db, key)
    now = utcnow()
    # A new invitation replaces an open one to the same address (a resend).
    for old in db.exec(
        select(TeamInvitation).where(
            TeamInvitation.organization_id == org.id,
            TeamInvitation.email == address,
            TeamInvitation.accepted_at.is_(None),
            TeamInvitation.revoked_at.is_(None),
        )
    ):
        old.revoked_at = now
        db.add(old)
    invitation = TeamInvitation(
        organization_id=org.id, email=address, invited_by=actor.id, created_at=now
    )
    db.add(invitation)
    db.flush()
    path = f"/account/invitations/{invitation_token(invitation)}"
    inviter = actor.display_name or actor.email
    queue_invitation_mail(
        db,
        address,
        mail_locale(invitee.locale if invitee else None, actor.locale, locale),
        org=org.name,
        inviter=inviter,
        link=links.public_url(path),
        days=links.INVITE_MAX_AGE // 86400,
    )
    if invitee is not None:
        from matchmaker.notifications.service import notify

        notify(db, [invitee.id], "team_invitation", {"org": org.name, "inviter": inviter}, path)
    db.commit()
    return invitation


def invitation_for_token(db: Session, token: str) -> TeamInvitation:
    """The open invitation a link stands for; BadLink when forged, expired, revoked or used."""
    payload = links.unsign(links.INVITE_SALT, token, links.INVITE_MAX_AGE)
    invitation_id = payload.get("i")
    invitation = db.get(TeamInvitation, invitation_id) if isinstance(invitation_id, int) else None
    if invitation is None or invitation.email != payload.get("e"):
        raise links.BadLink("invalid")
    if invitation.revoked_at is not None:
        raise links.BadLink("revoked")
    if invitation.accepted_at is not None:
        raise links.BadLink("used")
    if not _is_open(invitation):
        raise links.BadLink("expired")
    return invitation


def accept_invitation(db: Session, user: User, token: str) -> Organization:
    """Join the organization of an invitation sent to the user's own address."""
    invitation = invitation_for_token(db, token)
    if invitation.email != user.email:
        raise PermissionDenied(
            _l(
                "This invitation was sent to %(email)s. Sign in with that address to accept it.",
                email=invitation.email,
            )
        )
    if user.organization_id is not None and user.organization_id != invitation.organization_id:
        raise Conflict(
            _l(
                "You already belong to another organization. An account belongs to one "
                "organization: leave it first, or accept with another account."
            )
        )
    now = utcnow()
    user.organization_id = invitation.organization_id
    # The invitation reached this address: that proves it as well as a verification link.
    if user.email_verified_at is None:
        user.email_verified_at = now
    invitation.accepted_at = now
    invitation.accepted_by = user.id
    db.add(user)
    db.add(invitation)
    db.commit()
    return db.get(Organization, invitation.organization_id)


def revoke_invitation(db: Session, actor: User | None, org_id: int, invitation_id: int) -> None:
    """Withdraw an invitation; its link stops working. Revoking twice is fine."""
    _team_org(db, actor, org_id)
    invitation = db.get(TeamInvitation, invitation_id)
    if invitation is None or invitation.organization_id != org_id:
        raise NotFound()
    if invitation.accepted_at is not None:
        raise Conflict(_l("This invitation was accepted already."))
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        db.add(invitation)
        db.commit()


def remove_member(db: Session, actor: User | None, org_id: int, user_id: int) -> None:
    """Take an account off the team (it stays, without an organization)."""
    _team_org(db, actor, org_id)
    member = db.get(User, user_id)
    if member is None or member.organization_id != org_id:
        raise NotFound(_l("This person is not on the team."))
    count = db.exec(select(func.count()).where(User.organization_id == org_id)).one()
    if member.id == actor.id and count <= 1:
        raise Conflict(
            _l("You are the last member of the team: invite someone else before you leave.")
        )
    member.organization_id = None
    db.add(member)
    db.commit()


def invitation_organization(db: Session, invitation: TeamInvitation) -> Organization | None:
    return db.get(Organization, invitation.organization_id)
