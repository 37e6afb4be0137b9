"""Trade-fair pages for participants: taking part, people, meetings, agenda, calendars.

The fair page (views_public) posts its buttons here; every action flashes what happened
(or why not, in the reader's language) and goes back: a domain error is never a 500.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from matchmaker import db
from matchmaker.errors import DomainError, NotFound
from matchmaker.safety import is_local_path
from matchmaker.security import base_url

from . import display, service
from . import participant_data as data
from .blueprint import bp
from .views_common import viewer


def fair_url(exhibition_id: int) -> str:
    """The fair's page; the list of fairs while that page does not exist."""
    try:
        return url_for("exhibitions.show", exhibition_id=exhibition_id)
    except BuildError:
        return url_for("exhibitions.index")


def back_to(default: str) -> str:
    target = request.form.get("next") or request.args.get("next")
    return target if is_local_path(target) else default


def error_text(error: DomainError) -> str:
    """A domain error as one sentence: its field messages when it has them."""
    if error.fields:
        return " ".join(str(message) for message in error.fields.values())
    return str(error.message)


def fair_or_404(exhibition_id: int):
    try:
        return service.get_exhibition(db.session(), exhibition_id, viewer())
    except NotFound:
        abort(404)


def page(template: str, **context) -> str:
    """Render a participant page with the labels they all use."""
    return render_template(
        template,
        role_labels=data.ROLE_LABELS,
        meeting_labels=data.MEETING_LABELS,
        registration_labels=data.REGISTRATION_LABELS,
        **context,
    )


def when_text(slot, tz: str) -> str:
    """A slot as plain text for a flashed message: day, time and zone of the fair."""
    w = display.when(slot.starts_at, slot.ends_at, tz)
    return f"{w.fair.day} {w.fair.time} {w.fair.zone}"


def _act(exhibition_id: int, action, success) -> object:
    """Run a state change for the user's organization; flash success or the reason why not."""
    back = back_to(fair_url(exhibition_id))
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login", next=fair_url(exhibition_id)))
    fair_or_404(exhibition_id)
    org_id = current_user.organization_id
    if org_id is None:
        flash(_("Describe your organization first: fairs are joined by organizations."), "error")
        return redirect(back)
    try:
        result = action(db.session(), org_id)
    except DomainError as error:
        db.session().rollback()
        flash(error_text(error), "error")
    else:
        flash(success(result), "success")
    return redirect(back, 303)


# --- taking part: registration, booth, sessions ------------------------------------------


REGISTERED_MESSAGES = {
    "registered": lambda role: _("Your organization is registered as %(role)s.", role=role),
    "pending": lambda role: _(
        "Your registration as %(role)s waits for the organizer's approval.", role=role
    ),
    "waitlisted": lambda role: _(
        "All places for %(role)s are taken: your organization is on the waiting list. "
        "You move up as soon as a place frees.",
        role=role,
    ),
}


@bp.post("/exhibitions/<id:exhibition_id>/register")
def register(exhibition_id: int):
    role = request.form.get("role", "")

    def action(session, org_id):
        return service.register(session, current_user, exhibition_id, org_id, role)

    def success(registration):
        label = str(data.ROLE_LABELS[registration.role]).lower()
        return REGISTERED_MESSAGES[registration.status](label)

    return _act(exhibition_id, action, success)


@bp.post("/exhibitions/<id:exhibition_id>/withdraw")
def withdraw(exhibition_id: int):
    def action(session, org_id):
        registration = service.registration_for(session, current_user, exhibition_id, org_id)
        if registration is None:
            raise NotFound(_("Your organization is not registered for this exhibition."))
        return service.decide_registration(session, current_user, registration.id, "withdrawn")

    return _act(
        exhibition_id, action, lambda _r: _("Your registration is withdrawn; your place is free.")
    )


def _booth_of_fair(session, exhibition_id: int, booth_id: int):
    booth = service.get_booth(session, current_user, booth_id)
    if booth.exhibition_id != exhibition_id:
        raise NotFound(_("No booth with this id."))
    return booth


@bp.post("/exhibitions/<id:exhibition_id>/booths/<id:booth_id>/book")
def book_booth(exhibition_id: int, booth_id: int):
    def action(session, org_id):
        _booth_of_fair(session, exhibition_id, booth_id)
        return service.book_booth(session, current_user, booth_id, org_id)

    return _act(exhibition_id, action, lambda booth: _("Booth %(code)s is yours.", code=booth.code))


@bp.post("/exhibitions/<id:exhibition_id>/booths/<id:booth_id>/release")
def release_booth(exhibition_id: int, booth_id: int):
    def action(session, _org_id):
        _booth_of_fair(session, exhibition_id, booth_id)
        return service.release_booth(session, current_user, booth_id)

    return _act(
        exhibition_id, action, lambda booth: _("Booth %(code)s is free again.", code=booth.code)
    )


def _session_of_fair(session, exhibition_id: int, session_id: int):
    found = service.get_session(session, current_user, session_id)
    if found.exhibition_id != exhibition_id:
        raise NotFound(_("No session with this id."))
    return found


@bp.post("/exhibitions/<id:exhibition_id>/sessions/<id:session_id>/choose")
def choose_session(exhibition_id: int, session_id: int):
    def action(session, org_id):
        _session_of_fair(session, exhibition_id, session_id)
        service.choose_session(session, current_user, session_id, org_id)

    return _act(exhibition_id, action, lambda _r: _("The session is on your agenda."))


@bp.post("/exhibitions/<id:exhibition_id>/sessions/<id:session_id>/unchoose")
def unchoose_session(exhibition_id: int, session_id: int):
    def action(session, org_id):
        _session_of_fair(session, exhibition_id, session_id)
        service.unchoose_session(session, current_user, session_id, org_id)

    return _act(exhibition_id, action, lambda _r: _("The session is off your agenda."))


# --- pages only registered participants see --------------------------------------------


def participant_gate(exhibition_id: int, *, organizers_too: bool = False):
    """(exhibition, org_id, None) for a registered participant, else (…, response).

    Anonymous readers go to sign-in; others learn how to take part.
    """
    if not current_user.is_authenticated:
        target = request.full_path if request.query_string else request.path
        return None, None, redirect(url_for("accounts.login", next=target))
    exhibition = fair_or_404(exhibition_id)
    org_id = current_user.organization_id
    status = data.registration_status(db.session(), exhibition_id, org_id)
    if status == "registered":
        return exhibition, org_id, None
    if organizers_too and service.is_organizer(db.session(), current_user, exhibition_id):
        return exhibition, None, None
    gate = page(
        "exhibitions/_participant_gate.html",
        exhibition=exhibition,
        status=status,
        has_org=org_id is not None,
        fair_url=fair_url(exhibition_id),
    )
    return exhibition, org_id, (gate, 403)


@bp.get("/exhibitions/<id:exhibition_id>/participants")
def participants(exhibition_id: int):
    exhibition, org_id, refused = participant_gate(exhibition_id, organizers_too=True)
    if refused:
        return refused
    session = db.session()
    query = data.parse_participant_query(request.args)
    found = data.participant_page(session, current_user, exhibition_id, org_id, query)
    suggestions, open_with = [], {}
    if org_id is not None and not query.active() and query.page == 1:
        try:
            suggestions = service.people_to_meet(session, current_user, exhibition_id, org_id, 6)
        except DomainError:
            suggestions = []
        open_with = data.open_meetings_with(session, exhibition_id, org_id)
    return page(
        "exhibitions/participants.html",
        exhibition=exhibition,
        page=found,
        org_id=org_id,
        suggestions=suggestions,
        open_with=open_with,
        fair_url=fair_url(exhibition_id),
    )


@bp.get("/exhibitions/<id:exhibition_id>/agenda")
def my_agenda(exhibition_id: int):
    exhibition, org_id, refused = participant_gate(exhibition_id)
    if refused:
        return refused
    agenda = data.load_agenda(db.session(), current_user, exhibition, org_id)
    return page(
        "exhibitions/agenda.html",
        exhibition=exhibition,
        agenda=agenda,
        org_id=org_id,
        fair_url=fair_url(exhibition_id),
    )


@bp.get("/exhibitions/<id:exhibition_id>/agenda.ics")
@login_required
def agenda_ics(exhibition_id: int):
    exhibition = fair_or_404(exhibition_id)
    org_id = current_user.organization_id
    if org_id is None:
        abort(404)
    body = service.agenda_ics(
        db.session(),
        exhibition,
        org_id,
        str(get_locale() or "en"),
        base_url=base_url(),
    )
    return (
        body,
        200,
        {
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'attachment; filename="agenda-{exhibition_id}.ics"',
        },
    )


@bp.route("/exhibitions/<id:exhibition_id>/availability", methods=["GET", "POST"])
def availability(exhibition_id: int):
    exhibition, org_id, refused = participant_gate(exhibition_id)
    if refused:
        return refused
    session = db.session()
    busy = service.busy_slot_ids(session, current_user, exhibition_id, org_id)
    chosen = {slot_id for slot_id, kind in busy.items() if kind == "unavailable"}
    problem, status = None, 200
    if request.method == "POST":
        try:
            wanted = [int(value) for value in request.form.getlist("unavailable")]
        except ValueError:
            wanted, problem, status = [], _("Choose among the exhibition's slots."), 422
        if problem is None:
            try:
                service.set_unavailability(session, current_user, exhibition_id, org_id, wanted)
            except DomainError as error:
                session.rollback()
                problem, status, chosen = error_text(error), error.status, set(wanted)
            else:
                flash(_("Your availability is saved."), "success")
                here = url_for("exhibitions.availability", exhibition_id=exhibition_id)
                return redirect(here, 303)
    slots = service.list_slots(session, current_user, exhibition_id)
    return page(
        "exhibitions/availability.html",
        exhibition=exhibition,
        days=data.by_day(slots, exhibition.timezone),
        busy=busy,
        chosen=chosen,
        problem=problem,
        fair_url=fair_url(exhibition_id),
    ), status


# --- calendar subscription -----------------------------------------------------------------


@bp.get("/calendar")
@login_required
def calendar():
    feed = None
    if current_user.organization_id is not None:
        feed = service.feed_for(db.session(), current_user)
    https_url = webcal_url = None
    if feed is not None:
        # The site's own scheme: https behind TLS, plain http on a local demo.
        https_url = url_for("exhibitions.feed", secret=feed.secret, _external=True)
        webcal_url = "webcal://" + https_url.split("://", 1)[1]
    return page("exhibitions/calendar.html", https_url=https_url, webcal_url=webcal_url)


@bp.post("/calendar/rotate")
@login_required
def rotate_feed():
    try:
        service.rotate_feed(db.session(), current_user)
    except DomainError as error:
        flash(error_text(error), "error")
    else:
        flash(
            _("Your calendar has a new address. The old one no longer works: subscribe again."),
            "success",
        )
    return redirect(url_for("exhibitions.calendar"), 303)


@bp.get("/calendar/<secret>.ics")
def feed(secret: str):
    session = db.session()
    try:
        org_id = service.organization_for_feed(session, secret)
    except NotFound:
        abort(404)
    locale = data.feed_owner_locale(session, secret)
    body = service.agenda_ics(session, None, org_id, locale, base_url=base_url())
    return (
        body,
        200,
        {
            "Content-Type": "text/calendar; charset=utf-8",
            "Cache-Control": "no-cache",
            "Content-Disposition": 'inline; filename="matchmaker.ics"',
        },
    )


# Meeting requests and answers register their routes on the same blueprint.
from . import views_meetings  # noqa: E402,F401
