"""Trade-fair pages anyone can read: the list of fairs and each fair's page."""

from __future__ import annotations

from flask import render_template

from matchmaker import db

from . import service
from .blueprint import bp
from .views_common import viewer


@bp.get("/exhibitions")
def index():
    fairs = service.list_exhibitions(db.session(), viewer())
    return render_template("exhibitions/index.html", fairs=fairs)
