"""The organizer's report of a fair (figures, charts, exchange rates, CSV exports) and the
administrators' platform statistics."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel import Locale
from babel.dates import format_skeleton, format_time
from babel.numbers import format_currency, format_decimal, format_percent, get_currency_name
from flask import Response, abort, flash, redirect, render_template, stream_with_context, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from matchmaker import db
from matchmaker.accounts.forms import EmptyForm
from matchmaker.errors import DomainError, NotFound, PermissionDenied
from matchmaker.i18n import text_direction
from matchmaker.reference.labels import FAMILY_SHORT_LABELS, MARKET_LABELS

from . import charts, exchange_rates, exports, statistics
from .blueprint import bp
from .forms import ROLE_PLURAL_LABELS
from .labels import MEETING_LABELS
from .models import OUTCOMES, ROLES
from .times import local
from .views_public import fair_or_404

OUTCOME_LABELS = {
    # Translators: what came of a B2B meeting.
    "no_fit": _l("No fit"),
    "follow_up": _l("Follow-up planned"),
    "mou": _l("MoU signed"),
    "contract": _l("Contract signed"),
}
FAMILY_LABELS = {**FAMILY_SHORT_LABELS, "none": _l("Service not given")}


class RateForm(FlaskForm):
    currency = SelectField(_l("Currency"), choices=[])
    usd_per_unit = StringField(
        _l("US dollars per unit"),
        description=_l("For example 0.1389 for one Chinese yuan; up to 9 decimal places."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency.choices = [("", _("Choose a currency")), *_currency_names(_locale())]


@cache
def _currency_names(locale: str) -> tuple[tuple[str, str], ...]:
    """(code, "CNY – Chinese Yuan") for every currency a rate can be entered for."""
    return tuple(
        (code, f"{code} – {get_currency_name(code, locale=locale)}")
        for code in exchange_rates.current_currencies()
        if code != "USD"
    )


def _locale() -> str:
    return str(get_locale() or "en")


# --- formatting in the reader's locale -----------------------------------------------


def num(value) -> str:
    return format_decimal(value, locale=_locale())


def pct(value: float | None) -> str:
    return "–" if value is None else format_percent(value, "#,##0.#%", locale=_locale())


def usd(value: Decimal) -> str:
    """Whole US dollars, as sponsors' reports show intended values ("$3,064,600")."""
    locale = _locale()
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.replace(".00", "")
    whole = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return format_currency(whole, "USD", locale=locale, format=pattern, currency_digits=False)


def money(cents: int, currency: str) -> str:
    return format_currency(Decimal(cents) / 100, currency, locale=_locale())


def rate_text(value: Decimal) -> str:
    return format_decimal(value, "#,##0.#########", locale=_locale())


# --- the figures as charts -----------------------------------------------------------


def _charts(figures: statistics.FairFigures) -> dict:
    rtl = text_direction(_locale()) == "rtl"
    reg, meet, out = figures.registrations, figures.meetings, figures.outcomes
    markets = [str(MARKET_LABELS[m]) for m in statistics.MARKET_ORDER]
    role_stacks = [
        charts.Stack(
            str(ROLE_PLURAL_LABELS[role]),
            tuple(
                charts.Segment(i, reg.cells.get((role, m), 0), num(reg.cells.get((role, m), 0)))
                for i, m in enumerate(statistics.MARKET_ORDER)
            ),
            num(reg.by_role(role)),
        )
        for role in ROLES
    ]
    pipeline = [
        (_("Requested"), meet.requested),
        (_("Accepted"), meet.accepted),
        (_("Scheduled"), meet.scheduled),
        (str(MEETING_LABELS["held"]), meet.held),
        (str(MEETING_LABELS["no_show"]), meet.no_show),
        (str(MEETING_LABELS["declined"]), meet.declined),
        (str(MEETING_LABELS["cancelled"]), meet.cancelled),
    ]
    tz = figures.exhibition.timezone
    value_stacks = [
        charts.Stack(
            str(FAMILY_LABELS[f]),
            tuple(
                charts.Segment(
                    i,
                    float(out.value_usd.get((f, m), 0)),
                    usd(out.value_usd.get((f, m), Decimal(0))),
                )
                for i, m in enumerate(statistics.MARKET_ORDER)
            ),
            usd(out.family_usd(f)),
        )
        for f in statistics.FAMILIES
    ]
    return {
        "registrations": charts.stacked_bars(
            "chart-registrations", _("Registered participants by role and market group"),
            role_stacks, markets, rtl=rtl,
        ),
        "meetings": charts.horizontal_bars(
            "chart-meetings", _("Meetings from request to outcome"),
            [charts.Bar(label, n, num(n)) for label, n in pipeline], rtl=rtl,
        ),
        "slots": charts.horizontal_bars(
            "chart-slots", _("Busiest meeting slots"),
            [
                charts.Bar(_slot_label(s, tz), s.meetings, num(s.meetings))
                for s in figures.busiest_slots
            ],
            rtl=rtl,
        ),
        "tables": charts.horizontal_bars(
            "chart-tables", _("Busiest meeting tables"),
            [charts.Bar(t.name, t.utilisation, pct(t.utilisation)) for t in figures.busiest_tables],
            rtl=rtl,
        ),
        "outcomes": charts.columns(
            "chart-outcomes", _("Meetings by outcome"),
            [charts.Bar(str(OUTCOME_LABELS[k]), out.by_kind[k], num(out.by_kind[k]))
             for k in OUTCOMES],
            rtl=rtl,
        ),
        "value": charts.stacked_bars(
            "chart-value", _("Intended value in US dollars by service family and market group"),
            value_stacks, markets, rtl=rtl,
        ),
    }  # fmt: skip


def _slot_label(slot: statistics.SlotUse, tz: str) -> str:
    """A slot short enough for a chart's label column: "Tue, May 18 1:30 PM"."""
    start = local(slot.starts_at, tz)
    day = format_skeleton("MMMEd", start, locale=_locale())
    return f"{day} {format_time(start, 'short', locale=_locale())}"


# --- pages ---------------------------------------------------------------------------


def _organized(exhibition_id: int):
    fair = fair_or_404(exhibition_id)
    try:
        return statistics.fair_figures(db.session(), current_user, fair.id)
    except PermissionDenied:
        abort(403)


def _render_report(figures, form, status=200):
    return render_template(
        "exhibitions/report.html",
        fair=figures.exhibition,
        f=figures,
        charts=_charts(figures),
        form=form,
        button_form=EmptyForm(),
        markets=statistics.MARKET_ORDER,
        families=statistics.FAMILIES,
        roles=ROLES,
        outcomes=OUTCOMES,
        market_labels=MARKET_LABELS,
        family_labels=FAMILY_LABELS,
        outcome_labels=OUTCOME_LABELS,
        role_labels=ROLE_PLURAL_LABELS,
        num=num,
        pct=pct,
        usd=usd,
        money=money,
        rate_text=rate_text,
        exports=exports.EXPORTS,
    ), status


@bp.get("/exhibitions/<id:exhibition_id>/report")
@login_required
def report(exhibition_id: int):
    return _render_report(_organized(exhibition_id), RateForm(formdata=None))


@bp.post("/exhibitions/<id:exhibition_id>/report/rates")
@login_required
def report_set_rate(exhibition_id: int):
    figures = _organized(exhibition_id)
    if not EmptyForm().validate_on_submit():  # the CSRF token; the fields the service checks
        abort(400)
    form = RateForm()
    try:
        rate = exchange_rates.set_rate(
            db.session(), current_user, exhibition_id, form.currency.data, form.usd_per_unit.data
        )
    except DomainError as error:
        db.session().rollback()
        for name, message in error.fields.items():
            getattr(form, name).errors = [str(message)]
        return _render_report(figures, form, 422)
    flash(
        _("Rate saved: 1 %(currency)s = %(rate)s US dollars.", currency=rate.currency,
          rate=rate_text(rate.usd_per_unit)),
        "success",
    )  # fmt: skip
    return redirect(url_for("exhibitions.report", exhibition_id=exhibition_id) + "#rates", 303)


@bp.post("/exhibitions/<id:exhibition_id>/report/rates/<currency>/delete")
@login_required
def report_delete_rate(exhibition_id: int, currency: str):
    _organized(exhibition_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        exchange_rates.delete_rate(db.session(), current_user, exhibition_id, currency)
    except NotFound:
        abort(404)
    flash(_("The rate for %(currency)s is removed.", currency=currency.upper()), "success")
    return redirect(url_for("exhibitions.report", exhibition_id=exhibition_id) + "#rates", 303)


def _csv(lines, filename: str) -> Response:
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


@bp.get("/exhibitions/<id:exhibition_id>/report/<what>.csv")
@login_required
def report_csv(exhibition_id: int, what: str):
    if what not in exports.EXPORTS:
        abort(404)
    fair = fair_or_404(exhibition_id)
    try:
        lines = exports.fair_export(db.session(), current_user, fair.id, what)
    except PermissionDenied:
        abort(403)
    return _csv(lines, f"fair-{fair.id}-{what}.csv")


# --- the platform ----------------------------------------------------------------------


def _platform(year: int | None = None):
    try:
        return statistics.platform_figures(db.session(), current_user, year)
    except PermissionDenied:
        abort(403)


@bp.get("/admin/statistics")
@login_required
def platform_statistics():
    return render_template(
        "admin_statistics.html",
        years=_platform(),
        markets=statistics.MARKET_ORDER,
        families=statistics.FAMILIES,
        outcomes=OUTCOMES,
        market_labels=MARKET_LABELS,
        family_labels=FAMILY_LABELS,
        outcome_labels=OUTCOME_LABELS,
        num=num,
        usd=usd,
        money=money,
    )


@bp.get("/admin/statistics.csv")
@login_required
def platform_statistics_csv():
    try:
        lines = exports.platform_export(db.session(), current_user)
    except PermissionDenied:
        abort(403)
    return _csv(lines, "matchmaker-statistics.csv")
