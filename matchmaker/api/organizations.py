"""Organizations: directory search, profiles, recommendations, saved and dismissed lists."""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from matchmaker import db, reference
from matchmaker.errors import PermissionDenied
from matchmaker.matching import service as matching
from matchmaker.profiles import directory, service
from matchmaker.profiles.models import Organization as OrganizationRow
from matchmaker.reference import labels
from matchmaker.search.base import MAX_RESULT_WINDOW
from matchmaker.web import url_with_args

from . import require_user, viewer
from .auth import summary
from .schemas.organizations import (
    Marked,
    MarkedPartner,
    MarkedPartners,
    NewOrganization,
    Organization,
    OrganizationChanges,
    OrganizationFilters,
    OrganizationPage,
    PartnerRef,
    RecommendationLimit,
    Suggestion,
    Suggestions,
    VerificationChange,
)
from .spec import operation

ORG_ID = {"org_id": "The organization's id."}
_ORG_LINKS = {
    "getOrganization": {
        "operationId": "getOrganization",
        "parameters": {"org_id": "$response.body#/id"},
    },
    "updateOrganization": {
        "operationId": "updateOrganization",
        "parameters": {"org_id": "$response.body#/id"},
    },
    "deleteOrganization": {
        "operationId": "deleteOrganization",
        "parameters": {"org_id": "$response.body#/id"},
    },
    "listRecommendations": {
        "operationId": "listRecommendations",
        "parameters": {"org_id": "$response.body#/id"},
    },
}


def organization_body(org: OrganizationRow, highlight: str | None = None) -> Organization:
    return Organization(
        id=org.id,
        kind=org.kind,
        name=org.name,
        country=org.country,
        country_name=labels.country_name(org.country),
        city=org.city,
        markets=list(reference.market_groups(org.country)),
        website=org.website,
        founded=org.founded,
        size=org.size,
        budget=org.budget,
        services=org.services,
        families=list(dict.fromkeys(reference.family_of(code) for code in org.services)),
        target_markets=org.target_markets,
        languages=org.languages,
        certifications=org.certifications,
        industries=org.industries,
        visibility=org.visibility,
        verified=org.verified,
        verified_at=org.verified_at,
        description=org.text_map(),
        created_at=org.created_at,
        updated_at=org.updated_at,
        url=url_for("profiles.show", org_id=org.id, _external=True),
        highlight=highlight,
    )


def page_links(page: int, per_page: int, has_more: bool) -> dict[str, str]:
    """An RFC 8288 Link header with the next and previous pages."""
    links = []
    if has_more:
        links.append(f'<{url_with_args(request.path, page=str(page + 1))}>; rel="next"')
    if page > 1:
        links.append(f'<{url_with_args(request.path, page=str(page - 1))}>; rel="prev"')
    return {"Link": ", ".join(links)} if links else {}


LINK_HEADER = {
    "Link": {
        "description": "Next and previous pages (RFC 8288), e.g. "
        '`</api/v1/organizations?page=2>; rel="next"`.',
        "schema": {"type": "string"},
    }
}


@operation(
    "get",
    "/v1/organizations",
    operation_id="listOrganizations",
    tag="organizations",
    summary="Search and filter organizations",
    description="Full-text search in six languages with facets. Values of one filter are "
    "OR-ed, filters are AND-ed. Anonymous readers see public profiles; signed-in members "
    "also members-only ones.",
    query=OrganizationFilters,
    response=OrganizationPage,
    errors=(503,),
    response_headers=LINK_HEADER,
)
def list_organizations(query: OrganizationFilters):
    per_page = query.per_page or current_app.config["PER_PAGE"]
    # Search engines serve the first 10,000 results; a page beyond them is empty, not an error.
    beyond = query.page > MAX_RESULT_WINDOW // per_page
    args = request.args.copy()
    if beyond:
        args["page"] = "1"
    parsed = directory.parse_query(args, viewer(), str(get_locale()), per_page)
    page = directory.search_directory(db.session(), parsed)
    has_more = not beyond and parsed.page < page.pages
    body = OrganizationPage(
        items=[] if beyond else [organization_body(org, hl) for org, hl in page.items],
        total=page.total,
        page=query.page,
        per_page=parsed.per_page,
        has_more=has_more,
        facets=page.facets,
    )
    return body, page_links(query.page, parsed.per_page, has_more)


@operation(
    "post",
    "/v1/organizations",
    operation_id="createOrganization",
    tag="organizations",
    summary="Create an organization",
    description="A member without an organization becomes its member; administrators may "
    "create any number. Answers 403 when the account already has one.",
    auth="user",
    body=NewOrganization,
    response=Organization,
    status=201,
    links=_ORG_LINKS,
    response_headers={
        "Location": {"description": "The new organization.", "schema": {"type": "string"}}
    },
)
def create_organization(body: NewOrganization):
    org = service.create_organization(
        db.session(), require_user(), body.model_dump(mode="json", exclude_unset=True)
    )
    return organization_body(org), {"Location": url_for("api.get_organization", org_id=org.id)}


@operation(
    "get",
    "/v1/organizations/<id:org_id>",
    operation_id="getOrganization",
    tag="organizations",
    summary="One organization",
    description="Members-only profiles need a signed-in reader (401); hidden ones are "
    "visible to their team and administrators only (404 for others).",
    response=Organization,
    path_params=ORG_ID,
)
def get_organization(org_id: int):
    return organization_body(service.get_organization(db.session(), org_id, viewer()))


@operation(
    "patch",
    "/v1/organizations/<id:org_id>",
    operation_id="updateOrganization",
    tag="organizations",
    summary="Change some fields of an organization",
    description="Only the organization's team and administrators. Fields not given stay.",
    auth="user",
    body=OrganizationChanges,
    response=Organization,
    path_params=ORG_ID,
)
def update_organization(org_id: int, body: OrganizationChanges):
    data = body.model_dump(mode="json", exclude_unset=True)
    org = service.update_organization(db.session(), require_user(), org_id, data)
    return organization_body(org)


@operation(
    "delete",
    "/v1/organizations/<id:org_id>",
    operation_id="deleteOrganization",
    tag="organizations",
    summary="Delete an organization",
    description="Its id is never given to another organization.",
    auth="user",
    status=204,
    path_params=ORG_ID,
)
def delete_organization(org_id: int):
    service.delete_organization(db.session(), require_user(), org_id)


@operation(
    "put",
    "/v1/organizations/<id:org_id>/verification",
    operation_id="setVerification",
    tag="organizations",
    summary="Verify or unverify an organization (administrators)",
    description="Records who verified it and when.",
    auth="user",
    body=VerificationChange,
    response=Organization,
    path_params=ORG_ID,
)
def set_verification(org_id: int, body: VerificationChange):
    org = service.set_verified(db.session(), require_user(), org_id, body.verified)
    return organization_body(org)


@operation(
    "get",
    "/v1/organizations/<id:org_id>/recommendations",
    operation_id="listRecommendations",
    tag="matching",
    summary="Recommended partners, with the reasons",
    description="Complementary partners (providers for a buyer and buyers for a provider), "
    "best first, each with the reasons it fits, in the reader's language. Private to the "
    "organization's team and administrators (others: 403), like its profile page: the list "
    "also reflects what the team saved or dismissed.",
    auth="user",
    query=RecommendationLimit,
    response=Suggestions,
    path_params=ORG_ID,
    errors=(403,),
)
def recommendations(org_id: int, query: RecommendationLimit):
    user = require_user()
    org = service.get_organization(db.session(), org_id, user)
    if not service.can_edit(user, org):
        raise PermissionDenied(_("Only the organization's team sees its recommendations."))
    items = matching.recommend_partners(db.session(), viewer(), org.id, query.limit)
    return Suggestions(
        items=[
            Suggestion(organization=summary(s.organization), score=s.score, reasons=s.reasons)
            for s in items
        ],
        hint=None if org.services else matching.empty_hint(org.kind),
    )


def _marks(kind: str, verb: str, noun: str):
    """The list, add and undo operations of one kind of mark (saved or dismissed)."""
    base = f"/v1/organizations/<id:org_id>/{kind}"
    title = kind.capitalize()

    @operation(
        "get",
        base,
        operation_id=f"list{title}",
        tag="matching",
        summary=f"List {kind} partners",
        description=f"The organization's {noun}, newest first. Only its team and administrators.",
        auth="user",
        response=MarkedPartners,
        path_params=ORG_ID,
        endpoint=f"list_{kind}",
    )
    def list_marked(org_id: int):
        rows = matching.marked_partners(db.session(), require_user(), org_id, kind)
        return MarkedPartners(
            items=[MarkedPartner(organization=summary(o), marked_at=at) for o, at in rows]
        )

    @operation(
        "post",
        base,
        operation_id=f"{verb}Partner",
        tag="matching",
        summary=f"Add a partner to the {noun}",
        description="Private to the organization's team; it feeds the recommendations.",
        auth="user",
        body=PartnerRef,
        response=Marked,
        status=201,
        path_params=ORG_ID,
        links={
            f"undo{title}": {
                "operationId": f"undo{title}",
                "parameters": {
                    "org_id": "$request.path.org_id",
                    "target_id": "$response.body#/organization_id",
                },
            }
        },
        endpoint=f"add_{kind}",
    )
    def add_mark(org_id: int, body: PartnerRef):
        action = matching.save_partner if kind == "saved" else matching.dismiss_partner
        action(db.session(), require_user(), org_id, body.organization_id)
        return Marked(organization_id=body.organization_id, status=kind)

    @operation(
        "delete",
        f"{base}/<id:target_id>",
        operation_id=f"undo{title}",
        tag="matching",
        summary=f"Remove a partner from the {noun}",
        description="Removing one that is not there is fine (204).",
        auth="user",
        status=204,
        path_params={**ORG_ID, "target_id": "The partner organization's id."},
        endpoint=f"undo_{kind}",
    )
    def undo_mark(org_id: int, target_id: int):
        matching.forget_partner(db.session(), require_user(), org_id, target_id, (kind,))


_marks("saved", "save", "shortlist")
_marks("dismissed", "dismiss", "dismissed list")
