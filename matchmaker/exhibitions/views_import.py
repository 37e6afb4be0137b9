"""Organizer pages: import a fair's participants from a CSV file (dry run, then import).

The checked file waits in the instance folder for an hour under a random name; the
Import button carries a signed token naming it, so the file is not sent twice.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from importlib import resources
from pathlib import Path

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import FileField, HiddenField

from matchmaker import db
from matchmaker.errors import DomainError, PermissionDenied
from matchmaker.extensions import csrf

from . import importing, service
from .blueprint import bp
from .views_public import fair_or_404

KEPT_SECONDS = 3600
# The multipart envelope and the other fields around the file.
ENVELOPE_BYTES = 64 * 1024
# Bodies up to this size are read and dropped before refusing, so browsers see the answer.
DRAIN_BYTES = 16 * 1024 * 1024
_STORED_NAME = re.compile(r"^[A-Za-z0-9_-]{20,60}$")


class UploadForm(FlaskForm):
    file = FileField(
        _l("CSV file"),
        description=_l("At most 2 MB and 5,000 rows; UTF-8, UTF-16 or GB18030 text."),
    )


class ConfirmForm(FlaskForm):
    token = HiddenField()


def _organized(exhibition_id: int):
    fair = fair_or_404(exhibition_id)
    if not service.is_organizer(db.session(), current_user, fair.id):
        abort(403)
    return fair


# --- the uploaded file, kept for an hour ----------------------------------------------


def _folder() -> Path:
    configured = current_app.config.get("IMPORT_UPLOAD_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "imports"


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="participant-import")


def _keep(fair_id: int, data: bytes) -> str:
    """Store the checked file and return the signed token that names it."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.csv"):
        try:
            if old.stat().st_mtime < time.time() - KEPT_SECONDS:
                old.unlink()
        except OSError:
            pass  # another worker removed it first
    name = secrets.token_urlsafe(24)
    (folder / f"{name}.csv").write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    return _signer().dumps({"f": name, "x": fair_id, "u": current_user.id, "h": digest})


def _kept(fair_id: int, token: str) -> tuple[Path, bytes]:
    """The stored file a token names; ValueError with the reason for the page."""
    try:
        claims = _signer().loads(token, max_age=KEPT_SECONDS)
    except SignatureExpired:
        raise ValueError(_("The checked file expired after an hour; upload it again.")) from None
    except BadSignature:
        raise ValueError(_("This import is not valid any more; upload the file again.")) from None
    name = claims.get("f") if isinstance(claims, dict) else None
    if (
        not isinstance(name, str)
        or not _STORED_NAME.match(name)
        or claims.get("x") != fair_id
        or claims.get("u") != current_user.id
    ):
        raise ValueError(_("This import is not valid any more; upload the file again."))
    path = _folder() / f"{name}.csv"
    try:
        data = path.read_bytes()
    except OSError:
        raise ValueError(_("The checked file expired after an hour; upload it again.")) from None
    if hashlib.sha256(data).hexdigest() != claims.get("h"):
        raise ValueError(_("This import is not valid any more; upload the file again."))
    return path, data


def _drain() -> None:
    """Read and drop a refused body (up to a bound) so the browser gets the page, not a reset."""
    stream = request.environ.get("wsgi.input")
    left = min(request.content_length or 0, DRAIN_BYTES)
    while stream is not None and left > 0:
        chunk = stream.read(min(left, 64 * 1024))
        if not chunk:
            return
        left -= len(chunk)


def _too_large() -> str:
    return _("The file is larger than 2 MB; split it into several files.")


# --- pages ----------------------------------------------------------------------------


def _page(fair, form, *, report=None, token="", status=200):
    return (
        render_template(
            "exhibitions/import.html",
            fair=fair,
            form=form,
            report=report,
            confirm_form=ConfirmForm(formdata=None, token=token),
            columns=importing.COLUMNS,
            column_labels=importing.COLUMN_LABELS,
            required=importing.REQUIRED,
            max_rows=importing.MAX_ROWS,
        ),
        status,
    )


@bp.route("/exhibitions/<id:exhibition_id>/import", methods=["GET", "POST"])
@login_required
def import_participants(exhibition_id: int):
    # Files may be larger than the site's limit for forms; only this page takes them.
    request.max_content_length = importing.MAX_BYTES + ENVELOPE_BYTES
    fair = _organized(exhibition_id)
    try:
        form = UploadForm()
        upload = request.files.get("file") if request.method == "POST" else None
    except RequestEntityTooLarge:
        _drain()
        form = UploadForm(formdata=None)
        form.file.errors = [_too_large()]
        return _page(fair, form, status=413)
    if request.method == "GET":
        return _page(fair, form)
    if not form.validate_on_submit():
        abort(400)  # the CSRF token is missing or stale
    if upload is None or not upload.filename:
        form.file.errors = [_("Choose a CSV file to check.")]
        return _page(fair, form, status=422)
    data = upload.stream.read(importing.MAX_BYTES + 1)
    if len(data) > importing.MAX_BYTES:
        form.file.errors = [_too_large()]
        return _page(fair, form, status=413)
    try:
        report = importing.check_file(db.session(), current_user, fair.id, data)
    except PermissionDenied:
        abort(403)
    token = _keep(fair.id, data) if report.ok else ""
    return _page(fair, form, report=report, token=token, status=200 if report.ok else 422)


csrf.exempt(import_participants)  # it sets its own size limit first; the form checks CSRF


def _upload_limit():
    """Let this page take files up to its own limit, before any hook reads the body.

    The site's other hooks parse form bodies against the site-wide limit (1 MB); a body over
    this page's limit goes straight to the view, which answers with a form error.
    """
    if request.endpoint != "exhibitions.import_participants":
        return None
    request.max_content_length = importing.MAX_BYTES + ENVELOPE_BYTES
    if (request.content_length or 0) > request.max_content_length:
        return current_app.view_functions[request.endpoint](**(request.view_args or {}))
    return None


@bp.record_once
def _run_upload_limit_first(state) -> None:
    state.app.before_request_funcs.setdefault(None, []).insert(0, _upload_limit)


@bp.post("/exhibitions/<id:exhibition_id>/import/confirm")
@login_required
def import_confirm(exhibition_id: int):
    fair = _organized(exhibition_id)
    confirm = ConfirmForm()
    if not confirm.validate_on_submit():
        abort(400)
    form = UploadForm(formdata=None)
    try:
        path, data = _kept(fair.id, confirm.token.data or "")
    except ValueError as problem:
        form.file.errors = [str(problem)]
        return _page(fair, form, status=422)
    try:
        report = importing.import_file(db.session(), current_user, fair.id, data)
    except PermissionDenied:
        abort(403)
    except DomainError as error:
        db.session().rollback()
        form.file.errors = [str(error.message)]
        return _page(fair, form, status=error.status)
    if not report.imported:
        # Something changed since the dry run (places taken, organizations registered).
        return _page(fair, form, report=report, status=422)
    path.unlink(missing_ok=True)
    flash(
        _(
            "Imported %(rows)s participants: %(created)s new organizations, "
            "%(matched)s existing ones; %(skipped)s already registered were skipped.",
            rows=report.count("create") + report.count("match"),
            created=report.count("create"),
            matched=report.count("match"),
            skipped=report.count("skip"),
        ),
        "success",
    )
    return redirect(url_for("exhibitions.dashboard", exhibition_id=fair.id), 303)


@bp.get("/exhibitions/<id:exhibition_id>/import/sample.csv")
@login_required
def import_sample(exhibition_id: int):
    _organized(exhibition_id)
    text = resources.files(__package__).joinpath("import_sample.csv").read_bytes()
    # A byte-order mark tells Excel the file is UTF-8 (Chinese names stay readable).
    return Response(
        b"\xef\xbb\xbf" + text,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=participants-sample.csv"},
    )
