"""Recommended partners on profile pages, and saving or dismissing them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker import db
from matchmaker.accounts.forms import EmptyForm
from matchmaker.errors import DomainError, NotAuthenticated, NotFound, PermissionDenied
from matchmaker.safety import is_local_path

from . import service

bp = Blueprint("matching", __name__)


def _act(org_id: int, target_id: int, action, done_message: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        action(db.session(), current_user, org_id, target_id)
    except DomainError as error:
        if error.status in (403, 404):
            abort(error.status)
        flash(" ".join(str(m) for m in error.fields.values()) or str(error.message), "error")
    else:
        flash(done_message, "success")
    back = request.form.get("next", "")
    if is_local_path(back):
        return redirect(back, 303)
    return redirect(url_for("profiles.show", org_id=org_id, _anchor="recommendations"), 303)


@bp.post("/organizations/<id:org_id>/partners/<id:target_id>/save")
@login_required
def save(org_id: int, target_id: int):
    return _act(org_id, target_id, service.save_partner, _("Saved to your shortlist."))


@bp.post("/organizations/<id:org_id>/partners/<id:target_id>/dismiss")
@login_required
def dismiss(org_id: int, target_id: int):
    return _act(org_id, target_id, service.dismiss_partner, _("We will not suggest it again."))


@bp.post("/organizations/<id:org_id>/partners/<id:target_id>/forget")
@login_required
def forget(org_id: int, target_id: int):
    return _act(org_id, target_id, service.forget_partner, _("Removed from your lists."))


@bp.app_context_processor
def _shortlist_marks():
    """Cards ask whether the reader's organization saved (and told) an organization."""

    def marks() -> dict:
        if "shortlist_marks" not in g:
            own = getattr(current_user, "organization_id", None)
            if not current_user.is_authenticated or own is None:
                g.shortlist_marks = {"own": None, "saved": set(), "told": set()}
            else:
                session = db.session()
                g.shortlist_marks = {
                    "own": own,
                    "saved": service.saved_ids(session, own),
                    "told": service.interest_sent_ids(session, own),
                }
        return g.shortlist_marks

    return {"shortlist_marks": marks}


def _team_list(org_id: int, kind: str):
    try:
        if kind == "saved":
            return service.saved_entries(db.session(), current_user, org_id)
        return service.marked_partners(db.session(), current_user, org_id, kind)
    except (NotFound, NotAuthenticated):
        abort(404)
    except PermissionDenied:
        abort(403)


def _removed(org_id: int):
    """The partner just removed (for its undo button), when the address names one."""
    raw = request.args.get("removed", "")
    if not raw.isdigit():
        return None
    try:
        return service.get_organization(db.session(), int(raw), current_user)
    except DomainError:
        return None


@bp.get("/organizations/<id:org_id>/saved")
@login_required
def saved(org_id: int):
    entries = _team_list(org_id, "saved")
    return render_template(
        "matching/saved.html",
        org=service.get_organization(db.session(), org_id, current_user),
        entries=entries,
        removed=_removed(org_id),
        form=EmptyForm(),
    )


@bp.get("/organizations/<id:org_id>/dismissed")
@login_required
def dismissed(org_id: int):
    entries = _team_list(org_id, "dismissed")
    return render_template(
        "matching/dismissed.html",
        org=service.get_organization(db.session(), org_id, current_user),
        entries=entries,
        removed=_removed(org_id),
        form=EmptyForm(),
    )


@bp.post("/organizations/<id:org_id>/partners/<id:target_id>/note")
@login_required
def note(org_id: int, target_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        service.set_partner_note(
            db.session(), current_user, org_id, target_id, request.form.get("note", "")
        )
    except (NotFound, NotAuthenticated):
        abort(404)
    except PermissionDenied:
        abort(403)
    except DomainError as error:
        db.session().rollback()
        flash(" ".join(str(m) for m in error.fields.values()) or str(error.message), "error")
        return redirect(
            url_for("matching.saved", org_id=org_id, _anchor=f"partner-{target_id}"), 303
        )
    flash(_("The note is saved."), "success")
    return redirect(url_for("matching.saved", org_id=org_id, _anchor=f"partner-{target_id}"), 303)


@bp.post("/organizations/<id:org_id>/partners/<id:target_id>/interest")
@login_required
def interest(org_id: int, target_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        told = service.send_interest(db.session(), current_user, org_id, target_id)
    except (NotFound, NotAuthenticated):
        abort(404)
    except PermissionDenied:
        abort(403)
    except DomainError as error:
        db.session().rollback()
        flash(" ".join(str(m) for m in error.fields.values()) or str(error.message), "error")
    else:
        if told:
            flash(_("They are told that you are interested."), "success")
        else:
            flash(_("You told them already."), "success")
    back = request.form.get("next", "")
    if is_local_path(back):
        return redirect(back, 303)
    return redirect(url_for("matching.saved", org_id=org_id), 303)
