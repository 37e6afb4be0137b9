from __future__ import annotations

from flask import current_app, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from matchmaker import db, reference
from matchmaker.errors import ValidationFailed
from matchmaker.matching import service as matching
from matchmaker.profiles import directory, service
from matchmaker.profiles.models import Organization
from matchmaker.reference import labels

from . import bp, json_body, require_user, viewer


def organization_json(org: Organization, highlight: str | None = None) -> dict:
    body = {
        "id": org.id,
        "kind": org.kind,
        "name": org.name,
        "country": org.country,
        "country_name": labels.country_name(org.country),
        "city": org.city,
        "markets": list(reference.market_groups(org.country)),
        "website": org.website,
        "founded": org.founded,
        "size": org.size,
        "budget": org.budget,
        "services": org.services,
        "families": list(dict.fromkeys(reference.family_of(code) for code in org.services)),
        "target_markets": org.target_markets,
        "languages": org.languages,
        "certifications": org.certifications,
        "industries": org.industries,
        "visibility": org.visibility,
        "verified": org.verified,
        "verified_at": org.verified_at.isoformat() if org.verified_at else None,
        "description": org.text_map(),
        "created_at": org.created_at.isoformat(),
        "updated_at": org.updated_at.isoformat(),
        "url": url_for("profiles.show", org_id=org.id, _external=True),
    }
    if highlight is not None:
        body["highlight"] = highlight
    return body


@bp.get("/v1/organizations")
def list_organizations():
    query = directory.parse_query(
        request.args, viewer(), str(get_locale()), current_app.config["PER_PAGE"]
    )
    page = directory.search_directory(db.session(), query)
    return {
        "items": [organization_json(org, highlight) for org, highlight in page.items],
        "total": page.total,
        "page": query.page,
        "per_page": query.per_page,
        "facets": page.facets,
    }


@bp.post("/v1/organizations")
def create_organization():
    user = require_user()
    org = service.create_organization(db.session(), user, json_body())
    return organization_json(org), 201, {"Location": url_for("api.get_organization", org_id=org.id)}


@bp.get("/v1/organizations/<id:org_id>")
def get_organization(org_id: int):
    return organization_json(service.get_organization(db.session(), org_id, viewer()))


@bp.patch("/v1/organizations/<id:org_id>")
def update_organization(org_id: int):
    user = require_user()
    data = json_body()
    org = service.update_organization(db.session(), user, org_id, data)
    return organization_json(org)


@bp.delete("/v1/organizations/<id:org_id>")
def delete_organization(org_id: int):
    service.delete_organization(db.session(), require_user(), org_id)
    return "", 204


@bp.get("/v1/organizations/<id:org_id>/recommendations")
def recommendations(org_id: int):
    limit = matching.parse_limit(request.args.get("limit"))
    org = service.get_organization(db.session(), org_id, viewer())
    items = matching.recommend_partners(db.session(), viewer(), org.id, limit)
    body: dict = {
        "items": [
            {
                "organization": {
                    "id": s.organization.id,
                    "name": s.organization.name,
                    "kind": s.organization.kind,
                    "country": s.organization.country,
                },
                "score": s.score,
                "reasons": s.reasons,
            }
            for s in items
        ]
    }
    if not org.services:
        body["hint"] = matching.empty_hint(org.kind)
    return body


@bp.put("/v1/organizations/<id:org_id>/verification")
def set_verification(org_id: int):
    verified = json_body().get("verified")
    if not isinstance(verified, bool):
        raise ValidationFailed(fields={"verified": _("Send true or false.")})
    org = service.set_verified(db.session(), require_user(), org_id, verified)
    return organization_json(org)


def _target_id() -> int:
    target = json_body().get("organization_id")
    if not isinstance(target, int) or isinstance(target, bool) or not 1 <= target < 2**31:
        raise ValidationFailed(fields={"organization_id": _("Give the id of an organization.")})
    return target


@bp.post("/v1/organizations/<id:org_id>/saved")
def save_partner(org_id: int):
    target = _target_id()
    matching.save_partner(db.session(), require_user(), org_id, target)
    return {"organization_id": target, "status": "saved"}, 201


@bp.post("/v1/organizations/<id:org_id>/dismissed")
def dismiss_partner(org_id: int):
    target = _target_id()
    matching.dismiss_partner(db.session(), require_user(), org_id, target)
    return {"organization_id": target, "status": "dismissed"}, 201
