"""The trade-fair pages: one blueprint, routes split by who uses them."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("exhibitions", __name__)


def register_template_helpers(app) -> None:
    from . import display

    app.jinja_env.globals.update(
        fair_when=display.when,
        fair_dates=display.date_range,
        fair_day=display.day_label,
        zone_name=display.zone_name,
    )


# Routes register on bp as these modules load.
from . import (  # noqa: E402,F401
    views_checkin,
    views_import,
    views_organizer,
    views_participant,
    views_public,
    views_report,
    views_schedule,
)
