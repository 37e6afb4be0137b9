from datetime import timedelta

from sqlmodel import select

from matchmaker.accounts import service
from matchmaker.accounts.models import TeamInvitation, User

from .conftest import link_in


def _team(make_org, make_user):
    org = make_org(name="Haixin Software")
    owner = make_user("owner@example.com", display_name="Zhang Wei", organization_id=org.id)
    return org, owner


def _invite(client, org, email):
    return client.post(f"/organizations/{org.id}/team", data={"email": email})


def _invitation_path(outbox, email):
    return link_in(outbox(email)[0], "invitations")


def test_team_page_lists_members_and_pending_invitations(client, make_org, make_user, login):
    org, _owner = _team(make_org, make_user)
    make_user("colleague@example.com", display_name="Li Na", organization_id=org.id)
    login("owner@example.com")
    assert _invite(client, org, "New@Example.com").status_code == 303
    html = client.get(f"/organizations/{org.id}/team").get_data(as_text=True)
    assert "<bdi>Li Na</bdi>" in html
    assert "<bdi>Zhang Wei</bdi>" in html
    assert '<bdi dir="ltr">new@example.com</bdi>' in html


def test_team_page_refuses_other_organizations_members(client, make_org, make_user, login):
    org, _owner = _team(make_org, make_user)
    other = make_org(name="Other")
    make_user("stranger@example.com", organization_id=other.id)
    login("stranger@example.com")
    assert client.get(f"/organizations/{org.id}/team").status_code == 403
    assert _invite(client, org, "x@example.com").status_code == 403


def test_team_page_needs_sign_in_and_an_existing_org(client, make_org, make_user, login):
    org, _owner = _team(make_org, make_user)
    assert client.get(f"/organizations/{org.id}/team").status_code == 302
    login("owner@example.com")
    assert client.get("/organizations/99999/team").status_code == 404


def test_invite_queues_mail_and_notifies_an_existing_account(
    client, db, make_org, make_user, login, outbox
):
    from matchmaker.notifications.models import Notification

    org, _owner = _team(make_org, make_user)
    invitee = make_user("known@example.com")
    login("owner@example.com")
    _invite(client, org, "known@example.com")
    mails = outbox("known@example.com")
    assert mails[0].subject == "Join Haixin Software on matchmaker"
    path = _invitation_path(outbox, "known@example.com")
    notes = list(db.exec(select(Notification).where(Notification.user_id == invitee.id)))
    assert [(n.kind, n.link) for n in notes] == [("team_invitation", path)]


def test_invite_bad_address_is_a_form_error(client, make_org, make_user, login, outbox):
    org, _owner = _team(make_org, make_user)
    login("owner@example.com")
    response = _invite(client, org, "nope")
    assert response.status_code == 422
    assert "Enter a valid e-mail address." in response.get_data(as_text=True)
    assert outbox() == []


def test_invite_a_current_member_is_refused(client, make_org, make_user, login):
    org, _owner = _team(make_org, make_user)
    make_user("member@example.com", organization_id=org.id)
    login("owner@example.com")
    response = _invite(client, org, "member@example.com")
    assert response.status_code == 409
    assert "This person is already on your team." in response.get_data(as_text=True)


def test_accept_invitation_signed_in_joins_the_team(
    client, second_client, db, make_org, make_user, login, outbox
):
    org, _owner = _team(make_org, make_user)
    make_user("joiner@example.com")
    login("owner@example.com")
    _invite(client, org, "joiner@example.com")
    path = _invitation_path(outbox, "joiner@example.com")

    second_client.post(
        "/account/login", data={"email": "joiner@example.com", "password": "password123"}
    )
    assert second_client.get(path).status_code == 200
    response = second_client.post(path)
    assert response.status_code == 303
    db.expire_all()
    joiner = service.user_by_email(db, "joiner@example.com")
    assert joiner.organization_id == org.id
    assert joiner.email_verified_at is not None
    assert second_client.get(path).status_code == 410


def test_accept_invitation_by_registering_joins_the_team(
    client, second_client, db, make_org, make_user, login, outbox
):
    org, _owner = _team(make_org, make_user)
    login("owner@example.com")
    _invite(client, org, "fresh@example.com")
    path = _invitation_path(outbox, "fresh@example.com")
    token = path.rsplit("/", 1)[1]
    response = second_client.post(
        f"/account/register?invitation={token}",
        data={
            "display_name": "Fresh",
            "email": "fresh@example.com",
            "password": "s3cret-pass",
            "confirm": "s3cret-pass",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    db.expire_all()
    fresh = service.user_by_email(db, "fresh@example.com")
    assert (fresh.organization_id, fresh.email_verified_at is not None) == (org.id, True)


def test_accept_invitation_with_another_address_is_refused(
    client, second_client, db, make_org, make_user, login, outbox
):
    org, _owner = _team(make_org, make_user)
    make_user("someone-else@example.com")
    login("owner@example.com")
    _invite(client, org, "invited@example.com")
    path = _invitation_path(outbox, "invited@example.com")
    second_client.post(
        "/account/login", data={"email": "someone-else@example.com", "password": "password123"}
    )
    assert second_client.post(path).status_code == 403
    db.expire_all()
    assert service.user_by_email(db, "someone-else@example.com").organization_id is None


def test_accept_invitation_when_in_another_org_is_refused(
    client, second_client, db, make_org, make_user, login, outbox
):
    org, _owner = _team(make_org, make_user)
    other = make_org(name="Other")
    make_user("busy@example.com", organization_id=other.id)
    login("owner@example.com")
    _invite(client, org, "busy@example.com")
    path = _invitation_path(outbox, "busy@example.com")
    second_client.post(
        "/account/login", data={"email": "busy@example.com", "password": "password123"}
    )
    response = second_client.post(path)
    assert response.status_code == 409
    assert "You already belong to another organization." in response.get_data(as_text=True)
    db.expire_all()
    assert service.user_by_email(db, "busy@example.com").organization_id == other.id
    invitation = db.exec(select(TeamInvitation)).one()
    assert invitation.accepted_at is None


def test_revoked_invitation_link_shows_revoked_page(
    client, second_client, db, make_org, make_user, login, outbox
):
    org, _owner = _team(make_org, make_user)
    make_user("late@example.com")
    login("owner@example.com")
    _invite(client, org, "late@example.com")
    path = _invitation_path(outbox, "late@example.com")
    invitation = db.exec(select(TeamInvitation)).one()
    response = client.post(f"/organizations/{org.id}/invitations/{invitation.id}/revoke")
    assert response.status_code == 303
    second_client.post(
        "/account/login", data={"email": "late@example.com", "password": "password123"}
    )
    page = second_client.post(path)
    assert page.status_code == 410
    assert "This invitation was withdrawn" in page.get_data(as_text=True)
    db.expire_all()
    assert service.user_by_email(db, "late@example.com").organization_id is None


def test_expired_invitation_link_shows_expired_page(client, db, make_org, make_user, login, outbox):
    org, _owner = _team(make_org, make_user)
    login("owner@example.com")
    _invite(client, org, "old@example.com")
    path = _invitation_path(outbox, "old@example.com")
    invitation = db.exec(select(TeamInvitation)).one()
    invitation.created_at = invitation.created_at - timedelta(days=8)
    db.add(invitation)
    db.commit()
    response = client.get(path)
    assert response.status_code == 410
    assert "This link has expired" in response.get_data(as_text=True)


def test_forged_invitation_link_is_invalid(client):
    assert client.get("/account/invitations/not-a-token").status_code == 400


def test_remove_member_takes_them_off_the_team(client, db, make_org, make_user, login):
    org, _owner = _team(make_org, make_user)
    member = make_user("leaver@example.com", organization_id=org.id)
    login("owner@example.com")
    response = client.post(f"/organizations/{org.id}/team/{member.id}/remove")
    assert response.status_code == 303
    db.expire_all()
    assert db.get(User, member.id).organization_id is None


def test_last_member_cannot_remove_themselves(client, db, make_org, make_user, login):
    org, owner = _team(make_org, make_user)
    login("owner@example.com")
    response = client.post(f"/organizations/{org.id}/team/{owner.id}/remove", follow_redirects=True)
    assert "You are the last member of the team" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(User, owner.id).organization_id == org.id


def test_remove_someone_outside_the_team_is_404(client, make_org, make_user, login):
    org, _owner = _team(make_org, make_user)
    outsider = make_user("outsider@example.com")
    login("owner@example.com")
    assert client.post(f"/organizations/{org.id}/team/{outsider.id}/remove").status_code == 404
