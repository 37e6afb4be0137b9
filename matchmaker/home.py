"""The home page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import func
from sqlmodel import select

from matchmaker import db
from matchmaker.profiles.models import Organization
from matchmaker.profiles.service import visible_levels

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    session = db.session()
    levels = visible_levels(current_user if current_user.is_authenticated else None)
    counts = dict(
        session.exec(
            select(Organization.kind, func.count())
            .where(Organization.visibility.in_(levels))
            .group_by(Organization.kind)
        ).all()
    )
    countries = session.exec(
        select(func.count(func.distinct(Organization.country))).where(
            Organization.visibility.in_(levels)
        )
    ).one()
    latest = session.exec(
        select(Organization)
        .where(Organization.visibility == "public")
        .order_by(Organization.updated_at.desc(), Organization.id.desc())
        .limit(6)
    ).all()
    return render_template(
        "home.html",
        providers=counts.get("provider", 0),
        buyers=counts.get("buyer", 0),
        countries=countries,
        latest=latest,
    )
