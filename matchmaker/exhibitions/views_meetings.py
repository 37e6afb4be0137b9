"""Meeting requests at a fair: ask, and answer (accept, decline, propose a time, cancel)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker import db
from matchmaker.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from matchmaker.profiles.models import Organization
from matchmaker.profiles.service import can_view

from . import meetings as meeting_rules
from . import outcomes, service
from . import participant_data as data
from .blueprint import bp
from .views_participant import (
    back_to,
    error_text,
    fair_or_404,
    fair_url,
    page,
    participant_gate,
    when_text,
)


def _slot_field(raw: str | None) -> int | None:
    """A slot id from a form; "any" or nothing is None, anything else not a number is 0."""
    if raw in (None, "", "any"):
        return None
    return int(raw) if raw.isdigit() and len(raw) < 10 else 0


def _free_slots(session, exhibition, org_ids: list[int]):
    slots = service.list_slots(session, current_user, exhibition.id)
    busy = data.busy_slots(session, exhibition.id, org_ids)
    return [slot for slot in slots if slot.id not in busy]


def _invitee_or_404(session, exhibition_id: int, org_id: int) -> Organization:
    try:
        other_id = int(request.args.get("with", ""))
    except ValueError:
        abort(404)
    other = session.get(Organization, other_id)
    if (
        other is None
        or other.id == org_id
        or not can_view(current_user, other)
        or data.registration_status(session, exhibition_id, other.id) != "registered"
    ):
        abort(404)
    return other


@bp.route("/exhibitions/<id:exhibition_id>/meetings/new", methods=["GET", "POST"])
def request_meeting(exhibition_id: int):
    exhibition, org_id, refused = participant_gate(exhibition_id)
    if refused:
        return refused
    session = db.session()
    other = _invitee_or_404(session, exhibition_id, org_id)
    errors, problem, status = {}, None, 200
    chosen_slot, message = "any", ""
    if request.method == "POST":
        chosen_slot = request.form.get("slot_id", "any")
        message = request.form.get("message", "")
        try:
            service.request_meeting(
                session,
                current_user,
                exhibition_id,
                org_id,
                other.id,
                _slot_field(chosen_slot),
                message,
            )
        except DomainError as error:
            session.rollback()
            errors = {key: str(value) for key, value in error.fields.items()}
            problem = None if errors else str(error.message)
            status = error.status
        else:
            flash(_("Your meeting request is sent to %(name)s.", name=other.name), "success")
            return redirect(url_for("exhibitions.my_agenda", exhibition_id=exhibition_id), 303)
    free = _free_slots(session, exhibition, [org_id, other.id])
    return page(
        "exhibitions/meeting_new.html",
        exhibition=exhibition,
        other=other,
        days=data.by_day(free, exhibition.timezone),
        open_status=data.open_meetings_with(session, exhibition_id, org_id).get(other.id),
        sent=data.requests_sent(session, exhibition_id, org_id),
        errors=errors,
        problem=problem,
        chosen_slot=chosen_slot,
        message=message,
        fair_url=fair_url(exhibition_id),
    ), status


def _meeting_of_fair(session, exhibition_id: int, meeting_id: int):
    try:
        meeting = service.get_meeting(session, current_user, meeting_id)
    except NotFound:
        abort(404)
    except PermissionDenied:
        abort(403)
    if meeting.exhibition_id != exhibition_id:
        abort(404)
    return meeting


@bp.get("/exhibitions/<id:exhibition_id>/meetings/<id:meeting_id>")
@login_required
def meeting(exhibition_id: int, meeting_id: int):
    return render_meeting(exhibition_id, meeting_id)


def render_meeting(exhibition_id: int, meeting_id: int, outcome_form=None, status: int = 200):
    """The meeting page (also re-shown with the outcome form's errors)."""
    from .views_outcomes import OUTCOME_LABELS, panel

    exhibition = fair_or_404(exhibition_id)
    session = db.session()
    found = _meeting_of_fair(session, exhibition_id, meeting_id)
    org_id = current_user.organization_id
    if org_id not in (found.requester_id, found.invitee_id):
        # An organizer looking in: they see the meeting from the requester's side.
        org_id = found.requester_id
    agenda_item = next(
        item
        for item in data.meeting_items(session, current_user, [found], org_id)
        if item.meeting.id == found.id
    )
    free = _free_slots(session, exhibition, [found.requester_id, found.invitee_id])
    return page(
        "exhibitions/meeting.html",
        exhibition=exhibition,
        item=agenda_item,
        days=data.by_day(free, exhibition.timezone),
        fair_url=fair_url(exhibition_id),
        closing=panel(session, found, outcome_form),
        outcome_labels=OUTCOME_LABELS,
    ), status


def _accept(session, exhibition, meeting, slot_id, _reason, other) -> str:
    moving = meeting.status == "accepted"
    done = service.accept_meeting(session, current_user, meeting.id, slot_id)
    when = when_text(data.slot(session, done.slot_id), exhibition.timezone)
    table = data.table_name(session, done.table_id)
    if moving:
        return _(
            "The meeting with %(name)s is moved to %(when)s, table %(table)s.",
            name=other,
            when=when,
            table=table,
        )
    return _(
        "Meeting with %(name)s accepted: %(when)s, table %(table)s.",
        name=other,
        when=when,
        table=table,
    )


def _decline(session, _exhibition, meeting, _slot_id, reason, other) -> str:
    if meeting.status == "accepted":  # declining the proposed move, not the meeting
        meeting_rules.drop_proposal(session, current_user, meeting.id)
        return _("The meeting with %(name)s stays at its time.", name=other)
    service.decline_meeting(session, current_user, meeting.id, reason)
    return _("You declined the meeting with %(name)s.", name=other)


def _propose(session, exhibition, meeting, slot_id, _reason, other) -> str:
    if slot_id is None:
        raise ValidationFailed(fields={"slot_id": _("Choose a meeting slot.")})
    done = service.propose_slot(session, current_user, meeting.id, slot_id)
    when = when_text(data.slot(session, done.proposed_slot_id), exhibition.timezone)
    return _("You proposed %(when)s to %(name)s.", when=when, name=other)


def _cancel(session, _exhibition, meeting, _slot_id, reason, other) -> str:
    service.cancel_meeting(session, current_user, meeting.id, reason)
    return _("The meeting with %(name)s is cancelled.", name=other)


def _held(session, _exhibition, meeting, _slot_id, _reason, other) -> str:
    outcomes.mark_meeting(session, current_user, meeting.id, "held")
    return _("The meeting with %(name)s is marked as held.", name=other)


def _no_show(session, _exhibition, meeting, _slot_id, _reason, other) -> str:
    outcomes.mark_meeting(session, current_user, meeting.id, "no_show")
    return _("The meeting with %(name)s is marked as a no-show.", name=other)


ACTIONS = {
    "accept": _accept,
    "decline": _decline,
    "propose": _propose,
    "cancel": _cancel,
    "held": _held,
    "no_show": _no_show,
}


@bp.post("/exhibitions/<id:exhibition_id>/meetings/<id:meeting_id>/<action>")
def meeting_action(exhibition_id: int, meeting_id: int, action: str):
    if action not in ACTIONS:
        abort(404)
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    exhibition = fair_or_404(exhibition_id)
    session = db.session()
    found = _meeting_of_fair(session, exhibition_id, meeting_id)
    back = back_to(url_for("exhibitions.my_agenda", exhibition_id=exhibition_id))
    slot_id = _slot_field(request.form.get("slot_id"))
    reason = request.form.get("reason", "")
    try:
        message = ACTIONS[action](
            session, exhibition, found, slot_id, reason, _other_name(session, found)
        )
    except DomainError as error:
        session.rollback()
        flash(error_text(error), "error")
    else:
        flash(message, "success")
    return redirect(back, 303)


def _other_name(session, meeting) -> str:
    org_id = current_user.organization_id
    other_id = meeting.invitee_id if meeting.requester_id == org_id else meeting.requester_id
    other = session.get(Organization, other_id)
    return other.name if other else ""
