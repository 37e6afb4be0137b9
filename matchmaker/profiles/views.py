"""Directory, profile pages, and creating, editing and deleting organizations."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from matchmaker import db, reference
from matchmaker.accounts.forms import EmptyForm
from matchmaker.errors import DomainError, NotAuthenticated, NotFound, PermissionDenied
from matchmaker.i18n import fallback_text
from matchmaker.search.base import SearchQueryError, SearchUnavailable

from . import directory, directory_cache, facets, service
from .forms import OrganizationForm
from .models import Organization

bp = Blueprint("profiles", __name__)


def _viewer():
    return current_user if current_user.is_authenticated else None


def _counterpart_kind() -> str | None:
    """The kind a reader looks for first: a buyer seeks providers, a provider buyers."""
    own_id = getattr(_viewer(), "organization_id", None)
    own = db.session().get(Organization, own_id) if own_id else None
    if own is None:
        return None
    return "provider" if own.kind == "buyer" else "buyer"


def _directory_args() -> tuple[MultiDict, str]:
    """The request's arguments with the kind chosen for the reader, and that choice.

    ``kind=any`` asks for both kinds; no kind at all means the reader's counterpart.
    """
    args = MultiDict(request.args)
    kinds = args.getlist("kind")
    if kinds == ["any"]:
        args.poplist("kind")
        return args, "any"
    if not kinds:
        counterpart = _counterpart_kind()
        if counterpart is None:
            return args, "any"
        args.setlist("kind", [counterpart])
        return args, counterpart
    return args, kinds[0] if len(kinds) == 1 else "any"


@bp.get("/organizations")
def index():
    # Anonymous readers of a locale all see the same page for an address: reuse it.
    kept_key = directory_cache.page_key(db.session())
    kept = directory_cache.kept_page(kept_key)
    if kept is not None:
        return kept
    locale = str(get_locale())
    problem = None
    args, kind_choice = _directory_args()
    try:
        query = directory.parse_query(args, _viewer(), locale, current_app.config["PER_PAGE"])
    except DomainError as error:
        problem = " ".join(str(m) for m in error.fields.values()) or str(error.message)
        query = directory.parse_query(
            MultiDict(), _viewer(), locale, current_app.config["PER_PAGE"]
        )
    page = directory.DirectoryPage(query=query)
    unavailable = False
    try:
        page = directory.search_directory(db.session(), query)
    except SearchUnavailable:
        unavailable = True
    except SearchQueryError:
        problem = _("The search could not be run with these settings.")
    status = 200 if not problem else 422
    if unavailable:
        status = 503
    html = render_template(
        "profiles/directory.html",
        page=page,
        problem=problem,
        unavailable=unavailable,
        services_by_family=_services_by_family(),
        kind_choice=kind_choice,
        facet_panel=facets.facet_panel(page),
    )
    if not unavailable:
        directory_cache.keep_page(kept_key, html, status)
    return html, status


def _services_by_family():
    grouped: dict[str, list[str]] = {family: [] for family in reference.FAMILIES}
    for category in reference.services():
        grouped[category.family].append(category.code)
    return grouped


def _grouped_services(codes: list[str]) -> list[tuple[str, list[str]]]:
    return [
        (family, [code for code in codes if reference.family_of(code) == family])
        for family in reference.FAMILIES
        if any(reference.family_of(code) == family for code in codes)
    ]


@bp.get("/organizations/<id:org_id>")
def show(org_id: int):
    try:
        org = service.get_organization(db.session(), org_id, _viewer())
    except NotAuthenticated:
        return redirect(url_for("accounts.login", next=request.path))
    except NotFound:
        abort(404)
    description, description_locale = fallback_text(org.text_map(), str(get_locale()))
    from matchmaker.conversations.service import contact_persons
    from matchmaker.matching.service import fit_for_viewer, recommendations_panel, saved_partners

    return render_template(
        "profiles/show.html",
        org=org,
        description=description,
        description_locale=description_locale,
        grouped_services=_grouped_services(org.services),
        markets=reference.market_groups(org.country),
        can_edit=service.can_edit(_viewer(), org),
        delete_form=EmptyForm(),
        # Suggestions speak to the organization ("which you seek"): shown to its own team.
        recommendations={
            **recommendations_panel(db.session(), _viewer(), org),
            "form": EmptyForm(),
        }
        if service.can_edit(_viewer(), org)
        else None,
        fit=fit_for_viewer(db.session(), _viewer(), org),
        fit_form=EmptyForm(),
        shortlist=saved_partners(db.session(), _viewer(), org.id)
        if service.can_edit(_viewer(), org)
        else [],
        contacts=contact_persons(db.session(), _viewer(), org),
    )


@bp.get("/dashboard")
@login_required
def dashboard():
    if current_user.organization_id is None:
        return render_template("profiles/dashboard_empty.html")
    return redirect(url_for("profiles.show", org_id=current_user.organization_id))


def _form_for(org=None) -> OrganizationForm:
    form = OrganizationForm(obj=org)
    if org is not None and request.method == "GET":
        form.kind.data = org.kind
    return form


def _add_service_errors(form) -> None:
    """After a failed form check, add the service's own field errors: all shown at once."""
    try:
        service.validate(form.service_data(request.form))
    except DomainError as error:
        for name, message in error.fields.items():
            target = getattr(form, name, None)
            if name == "description":
                form.description_error = str(message)
            elif target is not None and not target.errors:
                target.errors = [*target.errors, str(message)]


def _render_form(form, org=None, status=200):
    if request.method == "POST" and form.errors:
        _add_service_errors(form)
    texts = org.text_map() if org is not None else {}
    submitted = (
        {field: request.form.get(field, "") for _loc, _label, field in form.description_fields}
        if request.method == "POST"
        else {field: texts.get(locale, "") for locale, _label, field in form.description_fields}
    )
    return render_template("profiles/form.html", form=form, org=org, descriptions=submitted), status


def _save(form, org=None):
    data = form.service_data(request.form)
    try:
        if org is None:
            return service.create_organization(db.session(), current_user, data), None
        return service.update_organization(db.session(), current_user, org.id, data), None
    except DomainError as error:
        db.session().rollback()
        for name, message in error.fields.items():
            target = getattr(form, name, None)
            if name == "description":
                form.description_error = str(message)
            elif target is not None:
                target.errors = [*target.errors, str(message)]
        if not error.fields:
            flash(str(error.message), "error")
        return None, error


@bp.route("/organizations/new", methods=["GET", "POST"])
@login_required
def create():
    if not current_user.is_admin and current_user.organization_id is not None:
        flash(_("Your account already belongs to an organization."), "error")
        return redirect(url_for("profiles.show", org_id=current_user.organization_id))
    form = _form_for()
    if form.validate_on_submit():
        org, _error = _save(form)
        if org is not None:
            flash(_("The profile is created."), "success")
            return redirect(url_for("profiles.show", org_id=org.id), 303)
    return _render_form(form, status=422 if request.method == "POST" else 200)


def _editable(org_id: int):
    try:
        org = service.get_organization(db.session(), org_id, _viewer())
    except (NotFound, NotAuthenticated):
        abort(404)
    if not service.can_edit(_viewer(), org):
        abort(403)
    return org


@bp.route("/organizations/<id:org_id>/edit", methods=["GET", "POST"])
@login_required
def edit(org_id: int):
    org = _editable(org_id)
    form = _form_for(org)
    if form.validate_on_submit():
        saved, _error = _save(form, org)
        if saved is not None:
            flash(_("The profile is saved."), "success")
            return redirect(url_for("profiles.show", org_id=org.id), 303)
    return _render_form(form, org, status=422 if request.method == "POST" else 200)


@bp.post("/organizations/<id:org_id>/delete")
@login_required
def delete(org_id: int):
    org = _editable(org_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        service.delete_organization(db.session(), current_user, org.id)
    except PermissionDenied:
        abort(403)
    flash(_("The profile is deleted."), "success")
    return redirect(url_for("profiles.index"), 303)


@bp.post("/organizations/<id:org_id>/verification")
@login_required
def verify(org_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    verified = request.form.get("verified") == "1"
    try:
        service.set_verified(db.session(), current_user, org_id, verified)
    except PermissionDenied:
        abort(403)
    except NotFound:
        abort(404)
    flash(
        _("The profile is marked as verified.") if verified else _("The verification is removed."),
        "success",
    )
    return redirect(url_for("profiles.show", org_id=org_id), 303)
