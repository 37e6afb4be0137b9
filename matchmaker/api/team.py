"""Teams: an organization's members and invitations to join it."""

from __future__ import annotations

from flask_babel import get_locale

from matchmaker import db
from matchmaker.accounts import teams
from matchmaker.accounts.models import TeamInvitation

from . import require_user
from .schemas.accounts import Invitation, NewInvitation, Team, TeamMember
from .spec import operation

ORG_ID = {"org_id": "The organization's id."}


def _invitation(row: TeamInvitation) -> Invitation:
    return Invitation(
        id=row.id,
        email=row.email,
        created_at=row.created_at,
        expires_at=teams.expires_at(row),
    )


@operation(
    "get",
    "/v1/organizations/<id:org_id>/team",
    operation_id="getTeam",
    tag="organizations",
    summary="The organization's team",
    description="Members (name, title, e-mail, languages) and pending invitations. Only the "
    "organization's own members may read it.",
    auth="user",
    response=Team,
    path_params=ORG_ID,
)
def get_team(org_id: int):
    user = require_user()
    members = teams.team_members(db.session(), user, org_id)
    invitations = teams.pending_invitations(db.session(), user, org_id)
    return Team(
        members=[
            TeamMember(
                id=m.id,
                display_name=m.display_name,
                title=m.title or "",
                email=m.email,
                spoken_languages=list(m.spoken_languages or []),
            )
            for m in members
        ],
        invitations=[_invitation(row) for row in invitations],
    )


@operation(
    "post",
    "/v1/organizations/<id:org_id>/invitations",
    operation_id="inviteTeamMember",
    tag="organizations",
    summary="Invite a colleague",
    description="Mails a signed link that works for 7 days (and notifies the account with "
    "this address, if any). A new invitation to the same address replaces the open one. "
    "409 when the address is on the team already; 429 after 20 invitations in an hour.",
    auth="user",
    body=NewInvitation,
    response=Invitation,
    status=201,
    errors=(409, 429),
    path_params=ORG_ID,
)
def invite(org_id: int, body: NewInvitation):
    row = teams.invite(db.session(), require_user(), org_id, body.email, locale=str(get_locale()))
    return _invitation(row)


@operation(
    "delete",
    "/v1/organizations/<id:org_id>/invitations/<id:invitation_id>",
    operation_id="revokeTeamInvitation",
    tag="organizations",
    summary="Revoke an invitation",
    description="Its link stops working at once. Revoking twice is fine; 409 once accepted.",
    auth="user",
    status=204,
    errors=(409,),
    path_params={**ORG_ID, "invitation_id": "The invitation's id."},
)
def revoke_invitation(org_id: int, invitation_id: int):
    teams.revoke_invitation(db.session(), require_user(), org_id, invitation_id)


@operation(
    "delete",
    "/v1/organizations/<id:org_id>/team/<id:user_id>",
    operation_id="removeTeamMember",
    tag="organizations",
    summary="Remove a member",
    description="The account stays, without an organization. The last member cannot remove "
    "themselves (409).",
    auth="user",
    status=204,
    errors=(409,),
    path_params={**ORG_ID, "user_id": "The member's account id."},
)
def remove_member(org_id: int, user_id: int):
    teams.remove_member(db.session(), require_user(), org_id, user_id)
