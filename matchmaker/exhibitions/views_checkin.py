"""Badges and check-in: the participant's badge, the link its QR code holds, the desk.

Opening a badge's link checks the holder in on GET, for a signed-in organizer of the fair
only: an organizer's phone camera opens the address in the browser, and one more tap at a
queue is one too many. It is safe to repeat (a second visit says "already checked in") and
needs a token only this site can sign for that fair; anyone else gets a 403 page and
changes nothing. The desk page's buttons (by hand, undo) are ordinary POST forms.
"""

from __future__ import annotations

import segno
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from matchmaker import db
from matchmaker.accounts.forms import EmptyForm
from matchmaker.errors import DomainError, NotFound, PermissionDenied
from matchmaker.profiles.models import Organization

from . import checkin, display, service
from .blueprint import bp
from .forms import ROLE_LABELS
from .views_public import fair_or_404


def check_in_url(exhibition_id: int, token: str) -> str:
    return url_for(
        "exhibitions.check_in_link", exhibition_id=exhibition_id, token=token, _external=True
    )


def qr_svg(url: str, title: str) -> Markup:
    """The link as an inline SVG QR code (no style attributes: the CSP forbids them)."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(
        scale=4, border=4, svgclass="qr", lineclass="qr-line", omitsize=True, light="#fff",
        title=title,
    )  # fmt: skip
    # The figure around it carries the accessible name; the drawing itself is decoration.
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


def _organization_param() -> int | None:
    raw = request.args.get("organization_id", "")
    if not raw:
        return current_user.organization_id
    if not raw.isdigit() or len(raw) > 9:
        abort(404)
    return int(raw)


@bp.get("/exhibitions/<id:exhibition_id>/badge")
@login_required
def badge(exhibition_id: int):
    fair_or_404(exhibition_id)
    org_id = _organization_param()
    if org_id is None:
        flash(_("Describe your organization first: fairs are joined by organizations."), "error")
        return redirect(url_for("exhibitions.show", exhibition_id=exhibition_id), 303)
    try:
        found = checkin.badge(
            db.session(), current_user, exhibition_id, org_id, current_app.secret_key
        )
    except NotFound:
        abort(404)
    except PermissionDenied:
        abort(403)
    url = check_in_url(exhibition_id, found.token)
    return render_template(
        "exhibitions/badge.html",
        badge=found,
        fair=found.exhibition,
        check_in_url=url,
        qr=qr_svg(url, _("Check-in code")),
        role_labels=ROLE_LABELS,
        organizer=service.is_organizer(db.session(), current_user, exhibition_id),
    )


def _refused(message: str, status: int = 403):
    return render_template("error.html", status=status, message=message), status


@bp.get("/exhibitions/<id:exhibition_id>/check-in/<token>")
def check_in_link(exhibition_id: int, token: str):
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=request.path))
    session = db.session()
    fair = fair_or_404(exhibition_id)
    try:
        done = checkin.check_in_by_token(
            session, current_user, exhibition_id, token, current_app.secret_key
        )
    except NotFound:
        abort(404)
    except PermissionDenied as error:
        session.rollback()
        if isinstance(error, checkin.InvalidCheckIn | checkin.ExpiredCheckIn):
            return _refused(str(error.message))
        return _refused(
            _("Only this fair's organizers can check people in. Show this badge at the desk.")
        )
    except DomainError as error:
        session.rollback()
        return _refused(str(error.message), error.status)
    return render_template(
        "exhibitions/checkin_result.html",
        fair=fair,
        done=done,
        at=display.when(done.registration.checked_in_at, None, fair.timezone),
        role_labels=ROLE_LABELS,
    )


@bp.get("/exhibitions/<id:exhibition_id>/check-in")
@login_required
def checkin_desk(exhibition_id: int):
    fair = fair_or_404(exhibition_id)
    query = request.args.get("q", "")[: checkin.MAX_QUERY]
    try:
        desk = checkin.check_in_desk(db.session(), current_user, fair.id, query)
    except PermissionDenied:
        abort(403)
    return render_template(
        "exhibitions/checkin.html",
        fair=fair,
        desk=desk,
        query=query,
        role_labels=ROLE_LABELS,
        button_form=EmptyForm(),
    )


def _desk_action(exhibition_id: int, registration_id: int, action) -> object:
    fair = fair_or_404(exhibition_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    session = db.session()
    try:
        message = action(session, fair)
    except NotFound:
        abort(404)
    except PermissionDenied:
        abort(403)
    except DomainError as error:
        session.rollback()
        flash(str(error.message), "error")
    else:
        flash(message, "success")
    back = url_for("exhibitions.checkin_desk", exhibition_id=fair.id, q=request.form.get("q"))
    return redirect(f"{back}#registration-{registration_id}", 303)


@bp.post("/exhibitions/<id:exhibition_id>/check-ins/<id:registration_id>")
@login_required
def checkin_manual(exhibition_id: int, registration_id: int):
    def action(session, fair):
        done = checkin.check_in(session, current_user, fair.id, registration_id)
        if done.already:
            when = display.when(done.registration.checked_in_at, None, fair.timezone)
            return _(
                "%(name)s was already checked in at %(time)s.",
                name=done.organization.name,
                time=when.fair.time,
            )
        return _("%(name)s is checked in.", name=done.organization.name)

    return _desk_action(exhibition_id, registration_id, action)


@bp.post("/exhibitions/<id:exhibition_id>/check-ins/<id:registration_id>/undo")
@login_required
def checkin_undo(exhibition_id: int, registration_id: int):
    def action(session, fair):
        registration = checkin.undo_check_in(session, current_user, fair.id, registration_id)
        org = session.get(Organization, registration.organization_id)
        name = org.name if org else ""
        return _("The check-in of %(name)s is undone.", name=name)

    return _desk_action(exhibition_id, registration_id, action)


# The meeting page's held / no-show and outcome routes live beside these.
from . import views_outcomes  # noqa: E402,F401
