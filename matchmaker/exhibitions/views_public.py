"""Trade-fair pages anyone can read: the list of fairs, each fair's page and its programme."""

from __future__ import annotations

import re
from datetime import datetime
from itertools import groupby

from flask import Response, abort, render_template, url_for
from flask_babel import format_time, get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.routing import BuildError

from matchmaker import db
from matchmaker.accounts.forms import EmptyForm
from matchmaker.errors import NotFound
from matchmaker.i18n import fallback_text

from . import display, forms, service
from .blueprint import bp
from .times import as_utc, local, zone
from .views_common import viewer

# Plans are drawn at 40 px a cell; shown larger (up to the column's width) they read better.
PLAN_ZOOM = 1.6


@bp.app_template_global()
def maybe_url(endpoint: str, **values) -> str | None:
    """The address of an endpoint, or None while no view serves it (its button stays hidden)."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


@bp.app_context_processor
def _fair_labels() -> dict:
    return {
        "fair_labels": {
            "kind": forms.SESSION_KIND_LABELS,
            "role": forms.ROLE_LABELS,
            "roles": forms.ROLE_PLURAL_LABELS,
            "status": forms.FAIR_STATUS_LABELS,
            "registration": forms.REGISTRATION_STATUS_LABELS,
        }
    }


def _locale() -> str:
    return str(get_locale() or "en")


def fair_or_404(exhibition_id: int):
    try:
        return service.get_exhibition(db.session(), exhibition_id, viewer())
    except NotFound:
        abort(404)


@bp.get("/exhibitions")
def index():
    fairs = service.list_exhibitions(db.session(), viewer())
    upcoming = [f for f in fairs if f.ends_on >= forms.today_in(f.timezone)]
    past = [f for f in fairs if f not in upcoming]
    past.sort(key=lambda f: (f.starts_on, f.id), reverse=True)
    can_create = viewer() is not None and viewer().role in ("organizer", "admin")
    return render_template(
        "exhibitions/index.html", upcoming=upcoming, past=past, can_create=can_create
    )


def sessions_by_day(sessions, tz: str) -> list[tuple[str, list]]:
    """Agenda sessions grouped by their day in the fair's zone, as (day label, sessions)."""
    return [
        (display.day_label(day), list(items))
        for day, items in groupby(sessions, key=lambda s: local(s.starts_at, tz).date())
    ]


def hall_plans(booths, viewer_org_id: int | None) -> list[tuple[str, Markup, int]]:
    """Per hall holding placed booths: its name, its SVG plan and the width to show it at."""
    labels = {
        "plan": _("Floor plan: %(hall)s", hall="{hall}"),
        "free": _("free"),
        "taken": _("taken"),
        "yours": _("yours"),
    }
    halls = sorted({b.hall for b in booths if b.row is not None and b.col is not None})
    plans = []
    for hall in halls:
        # The plan escapes every text it draws, so its markup is safe to embed.
        svg = Markup(service.floor_plan_svg(booths, hall, viewer_org_id, labels))
        width = int(re.search(r'width="(\d+)"', svg).group(1))
        plans.append((hall, svg, round(width * PLAN_ZOOM)))
    return plans


def fair_facts(fair) -> dict:
    """Hours, breaks, zone offset and tables as the reader reads them."""
    first = datetime.combine(fair.starts_on, fair.day_start, tzinfo=zone(fair.timezone))
    return {
        "offset": display.zone_offset(fair.timezone, as_utc(first)),
        "hours": f"{format_time(fair.day_start, 'short')} – {format_time(fair.day_end, 'short')}",
        "breaks": [
            f"{format_time(b.starts, 'short')} – {format_time(b.ends, 'short')}"
            for b in fair.breaks
        ],
        "tables": len(service.exhibition_tables(db.session(), fair.id)),
    }


@bp.get("/exhibitions/<id:exhibition_id>")
def show(exhibition_id: int):
    session, user = db.session(), viewer()
    fair = fair_or_404(exhibition_id)
    locale = _locale()
    org_id = getattr(user, "organization_id", None)
    registration = (
        service.registration_for(session, user, fair.id, org_id) if org_id is not None else None
    )
    active = registration is not None and registration.status == "registered"
    booths = service.list_booths(session, user, fair.id)
    booth_of = {b.organization_id: b for b in booths if b.organization_id is not None}
    exhibitors = service.participants(session, user, fair.id, "exhibitor")
    description, description_locale = fallback_text(fair.description_map(), locale)
    return render_template(
        "exhibitions/show.html",
        fair=fair,
        name=fair.name_in(locale),
        description=description,
        description_locale=description_locale,
        facts=fair_facts(fair),
        days=sessions_by_day(service.list_sessions(session, user, fair.id), fair.timezone),
        chosen=service.chosen_session_ids(session, user, fair.id, org_id) if active else set(),
        exhibitors=exhibitors,
        holders={p.organization.id: p.organization for p in exhibitors},
        booths=booths,
        booth_of=booth_of,
        my_booth=booth_of.get(org_id) if org_id is not None else None,
        plans=hall_plans(booths, org_id),
        registration=registration,
        can_book=active and registration.role == "exhibitor" and org_id not in booth_of,
        is_organizer=service.is_organizer(session, user, fair.id),
        register_form=forms.RegistrationForm(),
        button_form=EmptyForm(),
    )


@bp.get("/exhibitions/<id:exhibition_id>/programme.ics")
def programme_ics(exhibition_id: int):
    fair = fair_or_404(exhibition_id)
    body = service.programme_ics(db.session(), fair, _locale())
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="fair-{fair.id}-programme.ics"',
            "Cache-Control": "no-cache",
        },
    )
