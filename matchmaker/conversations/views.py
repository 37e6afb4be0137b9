"""Inbox, inquiry form, conversation threads, and the administrators' abuse reports."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker import db
from matchmaker.accounts.forms import EmptyForm
from matchmaker.errors import DomainError
from matchmaker.profiles.service import get_organization
from matchmaker.reference.labels import language_name

from . import service
from .forms import InquiryForm, ReplyForm, ReportForm

bp = Blueprint("conversations", __name__)


# --- template helpers ------------------------------------------------------------------


def unread_conversations() -> int:
    """Unread messages of the signed-in user's organization (for the header link)."""
    if not current_user.is_authenticated or current_user.organization_id is None:
        return 0
    if "unread_conversations" not in g:
        g.unread_conversations = service.unread_total(db.session(), current_user.organization_id)
    return g.unread_conversations


def _reader_zone():
    zone_name = getattr(current_user, "timezone", None) if current_user.is_authenticated else None
    try:
        return ZoneInfo(zone_name) if zone_name else UTC
    except (KeyError, ValueError):
        return UTC


def time_formatter():
    """A function that shows an instant in the reader's language and zone (the account's,
    else UTC); made once per page, since a thread formats hundreds of them."""
    zone = _reader_zone()
    locale = Locale.parse(str(get_locale() or "en"))
    # CLDR's "medium" date-time pattern, filled part by part: messages share their dates.
    pattern = str(locale.datetime_formats["medium"])
    dates: dict = {}

    def show(value) -> str:
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        local = value.astimezone(zone)
        day = local.date()
        if day not in dates:
            dates[day] = format_date(day, "medium", locale=locale)
        clock = format_time(local, "medium", tzinfo=zone, locale=locale)
        return pattern.replace("{1}", dates[day]).replace("{0}", clock)

    return show


def message_time(value) -> str:
    """An instant in the reader's language and zone."""
    return time_formatter()(value)


@bp.app_context_processor
def _template_helpers() -> dict:
    return {"unread_conversations": unread_conversations, "message_time": message_time}


def _first_error(error: DomainError) -> str:
    return " ".join(str(m) for m in error.fields.values()) or str(error.message)


def _own_org_or_redirect():
    if current_user.organization_id is None:
        flash(_("Create your organization's profile first, then you can write to others."), "error")
        return redirect(url_for("profiles.dashboard"))
    return None


# --- inbox ----------------------------------------------------------------------------


@bp.get("/conversations")
@login_required
def inbox():
    if (gone := _own_org_or_redirect()) is not None:
        return gone
    archived = request.args.get("archived") == "1"
    q = request.args.get("q", "")[:200]
    try:
        page_number = max(1, min(int(request.args.get("page", "1")), 100_000))
    except ValueError:
        page_number = 1
    page = service.inbox(
        db.session(), current_user, current_user.organization_id, q, archived, page_number
    )
    return render_template("conversations/inbox.html", page=page, q=q, archived=archived)


# --- a new inquiry --------------------------------------------------------------------


@bp.route("/conversations/new", methods=["GET", "POST"])
@login_required
def new():
    if (gone := _own_org_or_redirect()) is not None:
        return gone
    try:
        to_id = int(request.args.get("to", ""))
    except ValueError:
        abort(404)
    if not 1 <= to_id < 2**31:
        abort(404)
    session = db.session()
    try:
        target = get_organization(session, to_id, current_user)
    except DomainError:
        abort(404)
    sender = get_organization(session, current_user.organization_id, current_user)
    form = InquiryForm(target)
    problem, status = None, 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                conversation = service.start_conversation(
                    session,
                    current_user,
                    sender.id,
                    target.id,
                    form.subject.data,
                    form.message.data,
                    services=form.services.data or [],
                    budget=form.budget.data or None,
                    timeline=form.timeline.data or "",
                    language=form.language.data or None,
                )
            except DomainError as error:
                session.rollback()
                status = error.status
                names = {"message": form.message, "subject": form.subject}
                for name, message in error.fields.items():
                    target_field = names.get(name) or getattr(form, name, None)
                    if target_field is not None:
                        target_field.errors = [*target_field.errors, str(message)]
                if not error.fields or error.status != 422:
                    problem = _first_error(error)
            else:
                flash(_("Your message is sent."), "success")
                return redirect(url_for(".thread", conversation_id=conversation.id), 303)
    elif service.blocked(session, target.id, sender.id):
        problem = _("This organization does not accept messages from yours.")
    elif target.id == sender.id:
        problem = _("You cannot send an inquiry to your own organization.")
    return render_template(
        "conversations/new.html", form=form, target=target, sender=sender, problem=problem
    ), status


# --- a conversation -------------------------------------------------------------------


def _thread_page(conversation_id: int, form=None, report_form=None, problem=None, status=200):
    try:
        thread = service.open_conversation(db.session(), current_user, conversation_id)
    except DomainError:
        abort(404)
    show_time = time_formatter()
    languages: dict[str, str] = {}
    former = _("A former team member")
    rows = [
        {
            "message": message,
            "mine": message.organization_id == thread.member.organization_id,
            "author": getattr(thread.authors.get(message.author_user_id), "display_name", "")
            or former,
            "organization": thread.organizations[message.organization_id].name,
            "time": show_time(message.sent_at),
            "language": languages.get(message.language)
            or languages.setdefault(message.language, language_name(message.language)),
        }
        for message in thread.messages
    ]
    return render_template(
        "conversations/thread.html",
        thread=thread,
        rows=rows,
        form=form or ReplyForm(),
        report_form=report_form or ReportForm(formdata=None),
        action_form=EmptyForm(),
        problem=problem,
    ), status


@bp.route("/conversations/<id:conversation_id>", methods=["GET", "POST"])
@login_required
def thread(conversation_id: int):
    if request.method == "GET":
        return _thread_page(conversation_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _thread_page(conversation_id, form=form, status=422)
    try:
        service.reply(
            db.session(),
            current_user,
            conversation_id,
            form.body.data,
            language=form.language.data or None,
        )
    except DomainError as error:
        db.session().rollback()
        if error.status == 404:
            abort(404)
        if error.fields:
            form.body.errors = [*form.body.errors, _first_error(error)]
            return _thread_page(conversation_id, form=form, status=error.status)
        return _thread_page(
            conversation_id, form=form, problem=_first_error(error), status=error.status
        )
    flash(_("Your reply is sent."), "success")
    return redirect(url_for(".thread", conversation_id=conversation_id, _anchor="reply"), 303)


def _act(conversation_id: int, action, done: str):
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        action(db.session(), current_user, conversation_id)
    except DomainError as error:
        db.session().rollback()
        abort(error.status if error.status in (403, 404) else 400)
    flash(done, "success")
    return redirect(url_for(".thread", conversation_id=conversation_id), 303)


@bp.post("/conversations/<id:conversation_id>/archive")
@login_required
def archive(conversation_id: int):
    archived = request.form.get("archived", "1") == "1"
    return _act(
        conversation_id,
        lambda session, actor, cid: service.set_archived(session, actor, cid, archived),
        _("The conversation is archived.")
        if archived
        else _("The conversation is back in your inbox."),
    )


@bp.post("/conversations/<id:conversation_id>/block")
@login_required
def block(conversation_id: int):
    return _act(
        conversation_id,
        service.block,
        _("The organization is blocked: it can no longer write to yours."),
    )


@bp.post("/conversations/<id:conversation_id>/unblock")
@login_required
def unblock(conversation_id: int):
    return _act(conversation_id, service.unblock, _("The organization is no longer blocked."))


@bp.post("/conversations/<id:conversation_id>/report")
@login_required
def report(conversation_id: int):
    form = ReportForm()
    if not form.validate_on_submit():
        return _thread_page(conversation_id, report_form=form, status=422)
    try:
        service.report(db.session(), current_user, conversation_id, form.reason.data)
    except DomainError as error:
        db.session().rollback()
        if error.status == 404:
            abort(404)
        form.reason.errors = [*form.reason.errors, _first_error(error)]
        return _thread_page(conversation_id, report_form=form, status=error.status)
    flash(_("Thank you. The administrators will look at your report."), "success")
    return redirect(url_for(".thread", conversation_id=conversation_id), 303)


# --- administrators -------------------------------------------------------------------


@bp.get("/admin/reports")
@login_required
def reports():
    if not current_user.is_admin:
        abort(403)
    resolved = request.args.get("resolved") == "1"
    rows = service.list_reports(db.session(), current_user, resolved)
    return render_template(
        "admin/reports.html", rows=rows, resolved=resolved, action_form=EmptyForm()
    )


@bp.post("/admin/reports/<id:report_id>/resolve")
@login_required
def resolve(report_id: int):
    if not current_user.is_admin:
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        service.resolve_report(db.session(), current_user, report_id)
    except DomainError as error:
        abort(error.status if error.status in (403, 404) else 400)
    flash(_("The report is marked as resolved."), "success")
    return redirect(url_for(".reports"), 303)
