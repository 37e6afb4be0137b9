"""The team page of an organization, and accepting an invitation."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker import db
from matchmaker.errors import DomainError, NotFound, PermissionDenied

from . import teams
from .forms import EmptyForm, InviteForm
from .link_views import bad_link_page
from .links import BadLink
from .views import _show_field_errors, bp


def _team_page(org_id: int, form: InviteForm, status: int = 200):
    try:
        members = teams.team_members(db.session(), current_user, org_id)
        invitations = teams.pending_invitations(db.session(), current_user, org_id)
    except NotFound:
        abort(404)
    except PermissionDenied:
        abort(403)
    from matchmaker.profiles.models import Organization

    return render_template(
        "accounts/team.html",
        org=db.session().get(Organization, org_id),
        members=members,
        invitations=invitations,
        form=form,
        button_form=EmptyForm(),
    ), status


@bp.route("/organizations/<id:org_id>/team", methods=["GET", "POST"])
@login_required
def team(org_id: int):
    form = InviteForm()
    if form.is_submitted():
        if form.validate():
            try:
                invitation = teams.invite(
                    db.session(), current_user, org_id, form.email.data, locale=str(get_locale())
                )
            except NotFound:
                abort(404)
            except PermissionDenied:
                abort(403)
            except DomainError as error:
                _show_field_errors(form, error)
                if not form.email.errors:
                    form.email.errors = [str(error.message)]
                return _team_page(org_id, form, error.status)
            flash(
                _("The invitation is on its way to %(email)s.", email=invitation.email), "success"
            )
            return redirect(url_for("accounts.team", org_id=org_id), 303)
        return _team_page(org_id, form, 422)
    return _team_page(org_id, form)


def _guarded(action, org_id: int, success: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        action()
    except NotFound:
        abort(404)
    except PermissionDenied:
        abort(403)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(success, "success")
    return redirect(url_for("accounts.team", org_id=org_id), 303)


@bp.post("/organizations/<id:org_id>/team/<id:user_id>/remove")
@login_required
def remove_member(org_id: int, user_id: int):
    leaving = user_id == current_user.id

    def act():
        teams.remove_member(db.session(), current_user, org_id, user_id)

    response = _guarded(act, org_id, _("The member is removed from the team."))
    if leaving and current_user.organization_id is None:
        return redirect(url_for("profiles.dashboard"), 303)
    return response


@bp.post("/organizations/<id:org_id>/invitations/<id:invitation_id>/revoke")
@login_required
def revoke_invitation(org_id: int, invitation_id: int):
    def act():
        teams.revoke_invitation(db.session(), current_user, org_id, invitation_id)

    return _guarded(act, org_id, _("The invitation is revoked; its link no longer works."))


@bp.route("/account/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str):
    try:
        invitation = teams.invitation_for_token(db.session(), token)
    except BadLink as error:
        return bad_link_page(error, "invitation")
    org = teams.invitation_organization(db.session(), invitation)
    form = EmptyForm()
    status = 200
    if current_user.is_authenticated and form.validate_on_submit():
        try:
            teams.accept_invitation(db.session(), current_user, token)
        except DomainError as error:
            flash(str(error.message), "error")
            status = error.status
        else:
            flash(_("You joined the team of %(org)s.", org=org.name), "success")
            return redirect(url_for("profiles.dashboard"), 303)
    return render_template(
        "accounts/invitation.html", invitation=invitation, org=org, form=form, token=token
    ), status
