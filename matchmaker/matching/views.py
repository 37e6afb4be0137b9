"""Recommended partners on profile pages, and saving or dismissing them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker import db
from matchmaker.accounts.forms import EmptyForm
from matchmaker.errors import DomainError
from matchmaker.safety import is_local_path

from . import service

bp = Blueprint("matching", __name__)


def recommendations_for_page(org) -> dict:
    """What a profile page shows: suggestions (with reasons), or a hint when there can be none."""
    viewer = current_user if current_user.is_authenticated else None
    if not org.services:
        return {"items": [], "hint": True, "form": None}
    items = service.recommend_partners(db.session(), viewer, org.id, limit=10)
    return {"items": items, "hint": False, "form": EmptyForm()}


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
