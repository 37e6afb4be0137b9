"""The meeting page's last part: held or no-show, and each side's outcome form."""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_currency, get_currency_name
from flask import abort, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField

from matchmaker import db, reference
from matchmaker.errors import DomainError, NotFound, PermissionDenied
from matchmaker.profiles.models import Organization
from matchmaker.reference import labels

from . import outcomes, service
from .blueprint import bp
from .models import OUTCOMES, Meeting, MeetingOutcome

OUTCOME_LABELS = {
    # Translators: what came of a B2B meeting.
    "no_fit": _l("No fit"),
    "follow_up": _l("Follow-up planned"),
    "mou": _l("MoU signed"),
    "contract": _l("Contract signed"),
}


def _locale() -> str:
    return str(get_locale() or "en")


def currency_choices() -> list[tuple[str, str]]:
    """Common currencies first, then every active one, named in the reader's language."""
    locale = _locale()

    def named(code: str) -> tuple[str, str]:
        return code, f"{code} — {get_currency_name(code, locale=locale)}"

    common = [c for c in outcomes.COMMON_CURRENCIES if c in outcomes.active_currencies()]
    rest = sorted(set(outcomes.active_currencies()) - set(common))
    return [("", "—"), *map(named, common), *map(named, rest)]


def service_choices() -> dict[str, list[tuple[str, str]]]:
    """Service categories grouped by family, as the profile form offers them."""
    return {
        str(labels.SERVICE_LABELS[family]): [
            (s.code, str(labels.SERVICE_LABELS[s.code]))
            for s in reference.services()
            if s.family == family
        ]
        for family in reference.FAMILIES
    }


class OutcomeForm(FlaskForm):
    outcome = RadioField(_l("What came of the meeting"), validate_choice=False)
    service = SelectField(_l("Service"), validate_choice=False)
    value = StringField(
        _l("Intended contract value"),
        description=_l("Optional. Digits, with a point before the cents, e.g. 25000.50."),
    )
    currency = SelectField(_l("Currency"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome.choices = [(code, str(OUTCOME_LABELS[code])) for code in OUTCOMES]
        self.service.choices = {"": [("", "—")], **service_choices()}
        self.currency.choices = currency_choices()


def money(row: MeetingOutcome) -> str | None:
    value = outcomes.amount(row)
    if value is None:
        return None
    return format_currency(value, row.currency, locale=_locale())


@dataclass
class OutcomeView:
    organization: Organization
    outcome: str
    service: str | None
    money: str | None
    mine: bool


@dataclass
class Panel:
    """What the meeting page shows after the meeting starts."""

    started: bool
    can_mark: bool
    my_side: int | None
    outcomes: list[OutcomeView]
    form: OutcomeForm | None


def _started(session, meeting: Meeting) -> bool:
    try:
        outcomes.require_started(session, meeting)
    except DomainError:
        return False
    return meeting.slot_id is not None


def panel(session, meeting: Meeting, form: OutcomeForm | None = None) -> Panel:
    org_id = current_user.organization_id
    sides = (meeting.requester_id, meeting.invitee_id)
    my_side = org_id if org_id in sides else None
    organizer = service.is_organizer(session, current_user, meeting.exhibition_id)
    started = _started(session, meeting)
    rows = outcomes.list_outcomes(session, current_user, meeting.id)
    views = [
        OutcomeView(
            organization=session.get(Organization, row.organization_id),
            outcome=row.outcome,
            service=str(labels.SERVICE_LABELS.get(row.service, row.service))
            if row.service
            else None,
            money=money(row),
            mine=row.organization_id == my_side,
        )
        for row in rows
    ]
    if form is None and my_side is not None and meeting.status == "held":
        mine = outcomes.outcome_of(session, meeting.id, my_side)
        form = OutcomeForm(formdata=None)
        if mine is not None:
            form.outcome.data = mine.outcome
            form.service.data = mine.service or ""
            form.value.data = "" if mine.value_cents is None else str(outcomes.amount(mine))
            form.currency.data = mine.currency or ""
    return Panel(
        started=started,
        can_mark=started
        and meeting.status in ("accepted", "held", "no_show")
        and (my_side is not None or organizer),
        my_side=my_side,
        outcomes=views,
        form=form,
    )


@bp.post("/exhibitions/<id:exhibition_id>/meetings/<id:meeting_id>/outcome")
@login_required
def meeting_outcome(exhibition_id: int, meeting_id: int):
    from .views_meetings import render_meeting

    session = db.session()
    form = OutcomeForm()
    if not form.validate_on_submit():  # the CSRF token
        abort(400)
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.exhibition_id != exhibition_id:
        abort(404)
    try:
        _row, created = outcomes.record_outcome(
            session,
            current_user,
            meeting_id,
            current_user.organization_id,
            request.form.get("outcome", ""),
            request.form.get("service") or None,
            request.form.get("value") or None,
            request.form.get("currency") or None,
        )
    except NotFound:
        abort(404)
    except PermissionDenied:
        abort(403)
    except DomainError as error:
        session.rollback()
        for key, message in error.fields.items():
            field = getattr(form, key, None)
            if field is not None and hasattr(field, "errors"):
                field.errors = [*field.errors, str(message)]
            else:
                flash(str(message), "error")
        if not error.fields:
            flash(str(error.message), "error")
        return render_meeting(exhibition_id, meeting_id, outcome_form=form, status=422)
    flash(
        _("Outcome saved. Thank you.") if created else _("Outcome updated. Thank you."),
        "success",
    )
    target = url_for("exhibitions.meeting", exhibition_id=exhibition_id, meeting_id=meeting_id)
    return redirect(f"{target}#outcome", 303)
