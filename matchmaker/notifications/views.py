"""Pages: the notification list, marking read, and the e-mail switches per kind."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker import db
from matchmaker.accounts.forms import EmptyForm
from matchmaker.safety import is_local_path

from . import service
from .forms import EmailSettingsForm
from .messages import render_html
from .models import KINDS

bp = Blueprint("notifications", __name__)


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 100000:
        abort(404)
    return int(raw)


@bp.get("/notifications")
@login_required
def index():
    page = service.list_notifications(db.session(), current_user, _page_number())
    if page.page > 1 and not page.items:
        abort(404)
    return render_template(
        "notifications/index.html",
        page=page,
        render=render_html,
        form=EmptyForm(),
        is_local_path=is_local_path,
    )


@bp.post("/notifications/read")
@login_required
def read():
    if not EmptyForm().validate_on_submit():
        abort(400)
    raw_ids = request.form.getlist("id")
    if any(not value.isdigit() or len(value) > 10 for value in raw_ids):
        abort(400)
    ids = [int(value) for value in raw_ids] or None
    service.mark_read(db.session(), current_user, ids)
    if ids is None:
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"), 303)


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def settings():
    form = EmailSettingsForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        changes = {kind: bool(getattr(form, kind).data) for kind in KINDS}
        service.set_email_settings(db.session(), current_user, changes)
        flash(_("Your e-mail settings are saved."), "success")
        return redirect(url_for("notifications.settings"), 303)
    for kind, on in service.email_settings(db.session(), current_user).items():
        getattr(form, kind).data = on
    return render_template("notifications/settings.html", form=form, kinds=KINDS)


def unread_for_header() -> int:
    """The header's unread count: one COUNT, only for signed-in users."""
    if not current_user.is_authenticated:
        return 0
    return service.unread_count(db.session(), current_user)
