"""Pages of the meeting scheduler: participants' preferences, the organizer's schedule.

Every form works without JavaScript. A preview carries its token in the page; publishing
sends it back, so what is published is exactly what was shown (or a clear 409).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from itertools import groupby
from math import ceil

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from matchmaker import db
from matchmaker.accounts.forms import EmptyForm
from matchmaker.errors import DomainError, ValidationFailed
from matchmaker.scheduler import preferences as prefs
from matchmaker.scheduler import problem as reasons
from matchmaker.scheduler import service as scheduler

from . import display, service
from . import participant_data as data
from .blueprint import bp
from .times import local
from .views_participant import error_text, fair_url, page, participant_gate
from .views_public import fair_or_404

PER_PAGE = 24
MEETINGS_PER_PAGE = 50
SHOWN = 200  # rows of a preview on the page; the CSV has them all
LEVELS = ("must", "would_like", "no_thanks")
REASON_LABELS = {
    reasons.DECLINED: _l("One side said “no thanks”"),
    reasons.NO_COMMON_SLOT: _l("The two are never free at the same time"),
    reasons.TABLES_FULL: _l("Every table is taken whenever both are free"),
    reasons.CAP_REACHED: _l("One side has as many meetings as it wants"),
}


@dataclass
class Paged:
    """What the shared pagination macro reads: ``pages`` and ``query.page``."""

    items: list
    total: int
    pages: int
    query: object
    options: dict = field(default_factory=dict)
    others: int = 0  # participants besides the reader, before filters
    suggested: set = field(default_factory=set)  # among the engine's best matches


# --- participants: preferences -------------------------------------------------------------


def _ordered_people(session, exhibition_id: int, org_id: int, query) -> Paged:
    """The other participants, best matches first (the engine's order), then by name."""
    people = [
        (org, role) for org, role in data._fair_people(session, exhibition_id) if org.id != org_id
    ]
    try:
        best = service.people_to_meet(session, current_user, exhibition_id, org_id, 100)
    except DomainError:
        best = []
    rank = {s.organization.id: n for n, s in enumerate(best)}
    people.sort(key=lambda item: (rank.get(item[0].id, len(rank)), item[0].name.casefold()))
    rows = [data.ParticipantRow(org, role, None, None) for org, role in people]
    found = [row for row in rows if data._matches(row, query)]
    pages = max(1, ceil(len(found) / PER_PAGE))
    start = (query.page - 1) * PER_PAGE
    shown = found[start : start + PER_PAGE]
    return Paged(shown, len(found), pages, query, data._options(rows), len(rows), set(rank))


def _save_levels(session, exhibition_id: int, org_id: int) -> None:
    try:
        shown = [int(v) for v in request.form.getlist("shown")]
    except ValueError:
        raise ValidationFailed(
            fields={"target_id": _("This organization is not taking part in this fair.")}
        ) from None
    levels = {target: (request.form.get(f"level-{target}") or None) for target in shown}
    prefs.set_preferences(session, current_user, exhibition_id, org_id, levels)
    flash(_("Your preferences are saved."), "success")


def _save_cap(session, exhibition_id: int, org_id: int) -> None:
    raw = (request.form.get("meeting_cap") or "").strip()
    try:
        cap = int(raw) if raw else None
    except ValueError:
        raise ValidationFailed(
            fields={"cap": _("Enter a whole number of meetings, or nothing for no cap.")}
        ) from None
    prefs.set_meeting_cap(session, current_user, exhibition_id, org_id, cap)
    flash(_("Your meeting cap is saved."), "success")


@bp.route("/exhibitions/<id:exhibition_id>/preferences", methods=["GET", "POST"])
def preferences(exhibition_id: int):
    exhibition, org_id, refused = participant_gate(exhibition_id)
    if refused:
        return refused
    session = db.session()
    here = request.full_path if request.query_string else request.path
    if request.method == "POST":
        if not EmptyForm().validate_on_submit():
            abort(400)
        try:
            if request.form.get("action") == "cap":
                _save_cap(session, exhibition_id, org_id)
            else:
                _save_levels(session, exhibition_id, org_id)
        except DomainError as error:
            session.rollback()
            flash(error_text(error), "error")
        return redirect(here, 303)
    query = data.parse_participant_query(request.args)
    people = _ordered_people(session, exhibition_id, org_id, query)
    return page(
        "exhibitions/preferences.html",
        exhibition=exhibition,
        people=people,
        query=query,
        stated=prefs.preference_levels(session, exhibition_id, org_id),
        cap=prefs.meeting_cap(session, exhibition_id, org_id),
        slot_count=len(service.list_slots(session, current_user, exhibition_id)),
        level_labels=prefs.LEVEL_LABELS,
        levels=LEVELS,
        fair_url=fair_url(exhibition_id),
    )


# --- organizers: the schedule ----------------------------------------------------------------


def _organized(exhibition_id: int):
    fair = fair_or_404(exhibition_id)
    if not service.is_organizer(db.session(), current_user, fair.id):
        abort(403)
    return fair


def _page_number() -> int:
    try:
        return max(1, min(int(request.args.get("page", 1)), 100_000))
    except (TypeError, ValueError):
        return 1


@dataclass
class _PageQuery:
    page: int


def _slot_text(slot, tz: str) -> str:
    w = display.when(slot.starts_at, slot.ends_at, tz)
    return f"{w.fair.day} {w.fair.time}"


def _render_schedule(fair, *, result=None, problem_text=None, status=200):
    session = db.session()
    context = scheduler.overview(session, current_user, fair.id)
    number = _page_number()
    rows, total = scheduler.accepted_meetings(
        session,
        current_user,
        fair.id,
        offset=(number - 1) * MEETINGS_PER_PAGE,
        limit=MEETINGS_PER_PAGE,
    )
    accepted = Paged(rows, total, max(1, ceil(total / MEETINGS_PER_PAGE)), _PageQuery(number))
    ids = {x for m in rows for x in (m.requester_id, m.invitee_id)}
    groups, unplaced, by_reason = [], [], {}
    if result is not None:
        shown = result.placed[:SHOWN]
        unplaced = result.unplaced[:SHOWN]
        ids |= {x for m in shown for x in (m.requester_id, m.invitee_id)}
        ids |= {x for u in unplaced for x in (u.requester_id, u.invitee_id)}
        groups = [
            (result.context.slots[slot_id], list(items))
            for slot_id, items in groupby(shown, key=lambda m: m.slot_id)
        ]
        for u in result.unplaced:
            by_reason[u.reason] = by_reason.get(u.reason, 0) + 1
    db.session().rollback()
    return render_template(
        "exhibitions/schedule.html",
        fair=fair,
        context=context,
        counts=context.counts,
        accepted=accepted,
        tables=context.tables,
        slots=context.slots,
        names=scheduler.organization_names(session, ids),
        result=result,
        groups=groups,
        unplaced=unplaced,
        by_reason=by_reason,
        shown_limit=SHOWN,
        reason_labels=REASON_LABELS,
        level_labels=prefs.LEVEL_LABELS,
        problem_text=problem_text,
    ), status


@bp.get("/exhibitions/<id:exhibition_id>/schedule")
@login_required
def schedule(exhibition_id: int):
    return _render_schedule(_organized(exhibition_id))


@bp.post("/exhibitions/<id:exhibition_id>/schedule/preview")
@login_required
def schedule_preview(exhibition_id: int):
    fair = _organized(exhibition_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        result = scheduler.preview(db.session(), current_user, fair.id)
    except DomainError as error:
        db.session().rollback()
        return _render_schedule(fair, problem_text=error_text(error), status=error.status)
    return _render_schedule(fair, result=result)


@bp.post("/exhibitions/<id:exhibition_id>/schedule/publish")
@login_required
def schedule_publish(exhibition_id: int):
    fair = _organized(exhibition_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    token = request.form.get("token") or ""
    try:
        result = scheduler.commit(db.session(), current_user, fair.id, token)
    except DomainError as error:
        db.session().rollback()
        return _render_schedule(fair, problem_text=error_text(error), status=error.status)
    flash(
        ngettext(
            "The schedule is published: %(num)s meeting placed. Each organization with new "
            "meetings is notified.",
            "The schedule is published: %(num)s meetings placed. Each organization with new "
            "meetings is notified.",
            len(result.placed),
        ),
        "success",
    )
    return redirect(url_for("exhibitions.schedule", exhibition_id=fair.id), 303)


@bp.post("/exhibitions/<id:exhibition_id>/schedule/preview.csv")
@login_required
def schedule_csv(exhibition_id: int):
    fair = _organized(exhibition_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        result = scheduler.replay(
            db.session(), current_user, fair.id, request.form.get("token") or ""
        )
    except DomainError as error:
        db.session().rollback()
        return _render_schedule(fair, problem_text=error_text(error), status=error.status)
    return _csv(fair, result)


def _csv(fair, result) -> tuple:
    """Every row of a preview; column names are stable codes, times in the fair's zone."""
    ctx = result.context
    ids = {x for m in result.placed for x in (m.requester_id, m.invitee_id)}
    ids |= {x for u in result.unplaced for x in (u.requester_id, u.invitee_id)}
    names = scheduler.organization_names(db.session(), ids)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["status", "meeting_id", "requester", "invitee", "starts_at", "table", "weight", "reason"]
    )
    for m in result.placed:
        starts = local(ctx.slots[m.slot_id].starts_at, fair.timezone).isoformat()
        writer.writerow(
            [
                "placed",
                m.meeting_id or "",
                _cell(names.get(m.requester_id, "")),
                _cell(names.get(m.invitee_id, "")),
                starts,
                ctx.tables[m.table_id],
                m.weight,
                "",
            ]
        )
    for u in result.unplaced:
        writer.writerow(
            [
                "unplaced",
                u.meeting_id or "",
                _cell(names.get(u.requester_id, "")),
                _cell(names.get(u.invitee_id, "")),
                "",
                "",
                "",
                u.reason,
            ]
        )
    return (
        "\ufeff" + out.getvalue(),
        200,
        {
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="schedule-preview-{fair.id}.csv"',
        },
    )


def _cell(text: str) -> str:
    """No formula injection when the file opens in a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@bp.post("/exhibitions/<id:exhibition_id>/schedule/meetings/<id:meeting_id>/lock")
@login_required
def schedule_lock(exhibition_id: int, meeting_id: int):
    fair = _organized(exhibition_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    locked = request.form.get("locked") == "1"
    try:
        meeting = service.get_meeting(db.session(), current_user, meeting_id)
        if meeting.exhibition_id != fair.id:
            abort(404)
        scheduler.set_meeting_lock(db.session(), current_user, meeting_id, locked)
    except DomainError as error:
        db.session().rollback()
        flash(error_text(error), "error")
    else:
        flash(_("The meeting is locked.") if locked else _("The meeting is unlocked."), "success")
    back = url_for("exhibitions.schedule", exhibition_id=fair.id, page=request.args.get("page"))
    return redirect(back + "#accepted", 303)
