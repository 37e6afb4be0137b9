"""Trade-fair pages for organizers: the fair's settings, agenda, booths and registrations."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker import db
from matchmaker.accounts.forms import EmptyForm
from matchmaker.errors import Conflict, DomainError, NotFound, PermissionDenied

from . import display, forms, service
from .blueprint import bp
from .models import ROLES
from .times import days
from .views_public import fair_or_404, hall_plans, sessions_by_day

# Service errors on these keys belong to a group of inputs, not to one form field.
GROUPS = ("name", "description", "breaks", "title", "speakers")
# The dashboard lists what waits for a decision first.
STATUS_ORDER = ("pending", "waitlisted", "registered", "declined", "withdrawn")


def _organized(exhibition_id: int):
    """The fair, when the signed-in user organizes it (or administers the site); else 403."""
    fair = fair_or_404(exhibition_id)
    if not service.is_organizer(db.session(), current_user, fair.id):
        abort(403)
    return fair


def _show_errors(form, error: DomainError, renamed: dict[str, str] | None = None) -> None:
    """Put every field error of a refused save onto the form; anything else is flashed."""
    db.session().rollback()
    renamed = renamed or {}
    for key, message in error.fields.items():
        name = renamed.get(key, key)
        target = getattr(form, name, None)
        if name in GROUPS:
            form.group_errors[name] = str(message)
        elif target is not None and hasattr(target, "errors"):
            target.errors = [*target.errors, str(message)]
        else:
            flash(str(message), "error")
    if not error.fields:
        flash(str(error.message), "error")


def _require_form() -> None:
    if not EmptyForm().validate_on_submit():
        abort(400)


# --- the fair ------------------------------------------------------------------


def _render_fair_form(form, fair=None, status=200):
    sent = request.form if request.method == "POST" else None
    stored = {"name": fair.name_map(), "description": fair.description_map()} if fair else None
    organizers = service.organizers(db.session(), current_user, fair.id) if fair else []
    return render_template(
        "exhibitions/form.html",
        form=form,
        fair=fair,
        text_values=forms.text_values(sent, ("name", "description"), stored),
        breaks=forms.break_values(sent, fair),
        organizers=organizers,
        organizer_form=forms.OrganizerForm(formdata=None),
        button_form=EmptyForm(),
    ), status


@bp.route("/exhibitions/new", methods=["GET", "POST"])
@login_required
def create():
    if current_user.role not in ("organizer", "admin"):
        abort(403)
    form = forms.ExhibitionForm()
    if request.method == "GET":
        form.timezone.data = display.viewer_timezone() or "Asia/Shanghai"
        form.tables.data, form.slot_minutes.data = "10", "30"
        form.day_start.data, form.day_end.data = "09:00", "17:00"
    if form.validate_on_submit():
        try:
            fair = service.create_exhibition(
                db.session(), current_user, form.service_data(request.form)
            )
        except DomainError as error:
            _show_errors(form, error)
        else:
            flash(_("The fair is created as a draft. Publish it when it is ready."), "success")
            return redirect(url_for("exhibitions.show", exhibition_id=fair.id), 303)
    return _render_fair_form(form, status=422 if request.method == "POST" else 200)


@bp.route("/exhibitions/<id:exhibition_id>/edit", methods=["GET", "POST"])
@login_required
def edit(exhibition_id: int):
    fair = _organized(exhibition_id)
    form = forms.ExhibitionForm()
    if request.method == "GET":
        form.fill_from(fair)
        form.tables.data = str(len(service.exhibition_tables(db.session(), fair.id)))
    if form.validate_on_submit():
        try:
            service.update_exhibition(
                db.session(), current_user, fair.id, form.service_data(request.form)
            )
        except DomainError as error:
            _show_errors(form, error)
        else:
            flash(_("The fair is saved."), "success")
            return redirect(url_for("exhibitions.show", exhibition_id=fair.id), 303)
    return _render_fair_form(form, fair, status=422 if request.method == "POST" else 200)


@bp.post("/exhibitions/<id:exhibition_id>/status")
@login_required
def set_status(exhibition_id: int):
    fair = _organized(exhibition_id)
    _require_form()
    status = request.form.get("status", "")
    try:
        service.set_status(db.session(), current_user, fair.id, status)
    except DomainError as error:
        db.session().rollback()
        flash(" ".join(str(m) for m in error.fields.values()) or str(error.message), "error")
    else:
        messages = {
            "published": _("The fair is published: everyone can see it and register."),
            "cancelled": _("The fair is cancelled."),
        }
        flash(messages.get(status, _("The fair is saved.")), "success")
    return redirect(url_for("exhibitions.show", exhibition_id=fair.id), 303)


@bp.post("/exhibitions/<id:exhibition_id>/organizers")
@login_required
def add_organizer(exhibition_id: int):
    fair = _organized(exhibition_id)
    form = forms.OrganizerForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        user = service.add_organizer(db.session(), current_user, fair.id, form.email.data or "")
    except DomainError as error:
        db.session().rollback()
        flash(" ".join(str(m) for m in error.fields.values()) or str(error.message), "error")
    else:
        flash(_("%(email)s now organizes this fair too.", email=user.email), "success")
    return redirect(url_for("exhibitions.edit", exhibition_id=fair.id) + "#organizers", 303)


@bp.post("/exhibitions/<id:exhibition_id>/organizers/<id:user_id>/remove")
@login_required
def remove_organizer(exhibition_id: int, user_id: int):
    fair = _organized(exhibition_id)
    _require_form()
    try:
        service.remove_organizer(db.session(), current_user, fair.id, user_id)
    except DomainError as error:
        db.session().rollback()
        flash(" ".join(str(m) for m in error.fields.values()) or str(error.message), "error")
    else:
        flash(_("The organizer is removed."), "success")
    return redirect(url_for("exhibitions.edit", exhibition_id=fair.id) + "#organizers", 303)


# --- agenda sessions -------------------------------------------------------------


def _session_form(fair, **kwargs) -> forms.SessionForm:
    labels = [(d.isoformat(), display.day_label(d)) for d in days(fair.starts_on, fair.ends_on)]
    return forms.SessionForm(exhibition=fair, day_labels=labels, **kwargs)


def _save_session(form, fair, agenda_session=None) -> bool:
    data = form.service_data(request.form)
    try:
        if agenda_session is None:
            service.create_session(db.session(), current_user, fair.id, data)
        else:
            service.update_session(db.session(), current_user, agenda_session.id, data)
    except DomainError as error:
        _show_errors(form, error, {"starts_at": "starts", "ends_at": "ends"})
        for name, message in form.time_errors.items():  # the form knows better what was wrong
            getattr(form, name).errors = [str(message)]
        return False
    return True


def _render_sessions(fair, form, status=200):
    sent = request.form if request.method == "POST" else None
    sessions = service.list_sessions(db.session(), current_user, fair.id)
    return render_template(
        "exhibitions/sessions.html",
        fair=fair,
        form=form,
        text_values=forms.text_values(sent, ("title", "speakers"), None),
        days=sessions_by_day(sessions, fair.timezone),
        halls=sorted({s.hall for s in sessions if s.hall}),
        button_form=EmptyForm(),
    ), status


@bp.route("/exhibitions/<id:exhibition_id>/sessions", methods=["GET", "POST"])
@login_required
def sessions(exhibition_id: int):
    fair = _organized(exhibition_id)
    form = _session_form(fair)
    if form.validate_on_submit():
        if _save_session(form, fair):
            flash(_("The session is added to the agenda."), "success")
            return redirect(url_for("exhibitions.sessions", exhibition_id=fair.id), 303)
        return _render_sessions(fair, form, 422)
    return _render_sessions(fair, form)


def _fair_session(fair, session_id: int):
    try:
        found = service.get_session(db.session(), current_user, session_id)
    except NotFound:
        abort(404)
    if found.exhibition_id != fair.id:
        abort(404)
    return found


@bp.route("/exhibitions/<id:exhibition_id>/sessions/<id:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit_session(exhibition_id: int, session_id: int):
    fair = _organized(exhibition_id)
    agenda_session = _fair_session(fair, session_id)
    form = _session_form(fair)
    if request.method == "GET":
        form.fill_from(agenda_session)
    status = 200
    if form.validate_on_submit():
        if _save_session(form, fair, agenda_session):
            flash(_("The session is saved."), "success")
            return redirect(url_for("exhibitions.sessions", exhibition_id=fair.id), 303)
        status = 422
    sent = request.form if request.method == "POST" else None
    texts = forms.text_values(
        sent, ("title", "speakers"), forms.SessionForm.stored_texts(agenda_session)
    )
    return render_template(
        "exhibitions/session_form.html",
        fair=fair,
        form=form,
        text_values=texts,
        agenda_session=agenda_session,
        halls=sorted(
            {s.hall for s in service.list_sessions(db.session(), current_user, fair.id) if s.hall}
        ),
    ), status


@bp.post("/exhibitions/<id:exhibition_id>/sessions/<id:session_id>/delete")
@login_required
def delete_session(exhibition_id: int, session_id: int):
    fair = _organized(exhibition_id)
    agenda_session = _fair_session(fair, session_id)
    _require_form()
    service.delete_session(db.session(), current_user, agenda_session.id)
    flash(_("The session is removed from the agenda."), "success")
    return redirect(url_for("exhibitions.sessions", exhibition_id=fair.id), 303)


# --- booths --------------------------------------------------------------------


def _save_booth(form, fair, booth=None) -> bool:
    try:
        if booth is None:
            service.create_booth(db.session(), current_user, fair.id, form.service_data())
        else:
            service.update_booth(db.session(), current_user, booth.id, form.service_data())
    except Conflict as error:  # the code is taken: say so beside the code
        db.session().rollback()
        form.code.errors = [*form.code.errors, str(error.message)]
        return False
    except DomainError as error:
        _show_errors(form, error)
        return False
    return True


def _booth_form(**kwargs) -> forms.BoothForm:
    form = forms.BoothForm(**kwargs)
    form.group_errors = {}
    return form


@bp.route("/exhibitions/<id:exhibition_id>/booths", methods=["GET", "POST"])
@login_required
def booths(exhibition_id: int):
    fair = _organized(exhibition_id)
    form = _booth_form()
    status = 200
    if form.validate_on_submit():
        if _save_booth(form, fair):
            flash(_("Booth %(code)s is added.", code=form.code.data.strip()), "success")
            return redirect(url_for("exhibitions.booths", exhibition_id=fair.id), 303)
        status = 422
    all_booths = service.list_booths(db.session(), current_user, fair.id)
    holders = {
        p.organization.id: p.organization
        for p in service.list_registrations(db.session(), current_user, fair.id)
    }
    return render_template(
        "exhibitions/booths.html",
        fair=fair,
        form=form,
        booths=all_booths,
        holders=holders,
        halls=sorted({b.hall for b in all_booths if b.hall}),
        plans=hall_plans(all_booths, None),
        button_form=EmptyForm(),
    ), status


def _fair_booth(fair, booth_id: int):
    try:
        booth = service.get_booth(db.session(), current_user, booth_id)
    except NotFound:
        abort(404)
    if booth.exhibition_id != fair.id:
        abort(404)
    return booth


@bp.route("/exhibitions/<id:exhibition_id>/booths/<id:booth_id>/edit", methods=["GET", "POST"])
@login_required
def edit_booth(exhibition_id: int, booth_id: int):
    fair = _organized(exhibition_id)
    booth = _fair_booth(fair, booth_id)
    form = _booth_form()
    if request.method == "GET":
        form.fill_from(booth)
    status = 200
    if form.validate_on_submit():
        if _save_booth(form, fair, booth):
            flash(_("Booth %(code)s is saved.", code=booth.code), "success")
            return redirect(url_for("exhibitions.booths", exhibition_id=fair.id), 303)
        status = 422
    halls = sorted({b.hall for b in service.list_booths(db.session(), current_user, fair.id)})
    return render_template(
        "exhibitions/booth_form.html", fair=fair, form=form, booth=booth, halls=halls
    ), status


@bp.post("/exhibitions/<id:exhibition_id>/booths/<id:booth_id>/delete")
@login_required
def delete_booth(exhibition_id: int, booth_id: int):
    fair = _organized(exhibition_id)
    booth = _fair_booth(fair, booth_id)
    _require_form()
    try:
        service.delete_booth(db.session(), current_user, booth.id)
    except DomainError as error:
        db.session().rollback()
        flash(str(error.message), "error")
    else:
        flash(_("Booth %(code)s is removed.", code=booth.code), "success")
    return redirect(url_for("exhibitions.booths", exhibition_id=fair.id), 303)


@bp.post("/exhibitions/<id:exhibition_id>/booths/<id:booth_id>/free")
@login_required
def free_booth(exhibition_id: int, booth_id: int):
    fair = _organized(exhibition_id)
    booth = _fair_booth(fair, booth_id)
    _require_form()
    service.release_booth(db.session(), current_user, booth.id)
    flash(_("Booth %(code)s is free again.", code=booth.code), "success")
    return redirect(url_for("exhibitions.booths", exhibition_id=fair.id), 303)


# --- registrations ---------------------------------------------------------------


def role_summaries(fair, participants) -> list[dict]:
    """Per role: counts by status, places taken against capacity, the waiting list in order."""
    summaries = []
    for role in ROLES:
        rows = sorted(
            (p for p in participants if p.registration.role == role),
            key=lambda p: (STATUS_ORDER.index(p.registration.status), p.registration.id),
        )
        by_status: dict[str, int] = {}
        for p in rows:
            by_status[p.registration.status] = by_status.get(p.registration.status, 0) + 1
        waiting = sorted(
            (p for p in rows if p.registration.status == "waitlisted"),
            key=lambda p: p.registration.id,
        )
        summaries.append(
            {
                "role": role,
                "rows": rows,
                "by_status": by_status,
                "taken": by_status.get("registered", 0) + by_status.get("pending", 0),
                "capacity": fair.capacity_for(role),
                "queue": {p.registration.id: n for n, p in enumerate(waiting, start=1)},
            }
        )
    return summaries


@bp.get("/exhibitions/<id:exhibition_id>/dashboard")
@login_required
def dashboard(exhibition_id: int):
    fair = _organized(exhibition_id)
    participants = service.list_registrations(db.session(), current_user, fair.id)
    return render_template(
        "exhibitions/dashboard.html",
        fair=fair,
        total=len(participants),
        summaries=role_summaries(fair, participants),
        decision_form=forms.DecisionForm(formdata=None),
        button_form=EmptyForm(),
    )


@bp.post("/exhibitions/<id:exhibition_id>/registrations/<id:registration_id>/decision")
@login_required
def decide(exhibition_id: int, registration_id: int):
    fair = _organized(exhibition_id)
    form = forms.DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    decision = request.form.get("decision", "")
    try:
        registration = service.decide_registration(
            db.session(), current_user, registration_id, decision, form.reason.data or ""
        )
    except PermissionDenied:
        abort(403)
    except DomainError as error:
        db.session().rollback()
        flash(" ".join(str(m) for m in error.fields.values()) or str(error.message), "error")
    else:
        label = forms.REGISTRATION_STATUS_LABELS[registration.status]
        flash(_("The registration is now: %(status)s.", status=label), "success")
    return redirect(url_for("exhibitions.dashboard", exhibition_id=fair.id), 303)
