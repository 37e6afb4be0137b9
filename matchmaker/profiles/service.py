"""Organizations: validation, permissions, create / edit / delete, and the shared document."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete as sql_delete
from sqlalchemy import update as sql_update
from sqlmodel import Session, select

from matchmaker import reference
from matchmaker.accounts.models import User, utcnow
from matchmaker.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from matchmaker.i18n import LOCALES
from matchmaker.reference import labels
from matchmaker.reference.search_keywords import SERVICE_KEYWORDS
from matchmaker.search.base import SearchUnavailable
from matchmaker.search.runtime import current_backend

from .models import GraphChange, Interaction, Organization, OrganizationText, SearchBacklog

LIST_FIELDS = ("services", "target_markets", "languages", "certifications", "industries")
EDITABLE_FIELDS = (
    "kind",
    "name",
    "country",
    "city",
    "website",
    "founded",
    "size",
    "budget",
    "visibility",
    "description",
    *LIST_FIELDS,
)
# The fields stored as columns (the description lives in OrganizationText rows).
COLUMN_FIELDS = tuple(field for field in EDITABLE_FIELDS if field != "description")
MAX_DESCRIPTION = 5000
logger = logging.getLogger(__name__)
_URL = re.compile(r"^https?://[^\s\ufeff/$.?#][^\s\ufeff]*$", re.IGNORECASE)
# Unicode spaces and the byte-order mark that editors paste around an address.
_EDGE_SPACE = re.compile(r"^[\s\ufeff]+|[\s\ufeff]+$")


# --- validation -------------------------------------------------------------


def _text(value: Any, field: str, errors: dict, *, required: bool, limit: int) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[field] = _l("Must be text.")
        return ""
    value = value.strip()
    if required and not value:
        errors[field] = _l("This field is required.")
    elif len(value) > limit:
        errors[field] = _l("Use at most %(n)d characters.", n=limit)
    return value


def _choice(value: Any, field: str, allowed, errors: dict, *, required: bool) -> str | None:
    if isinstance(value, str | type(None)) and value in (None, ""):
        if required:
            errors[field] = _l("This field is required.")
        return None
    if not isinstance(value, str) or value not in allowed:
        errors[field] = _l("Unknown value: %(value)s.", value=str(value)[:40])
        return None
    return value


def _codes(value: Any, field: str, allowed, errors: dict) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        errors[field] = _l("Must be a list of codes.")
        return []
    unknown = [item for item in value if item not in allowed]
    if unknown:
        errors[field] = _l("Unknown codes: %(codes)s.", codes=", ".join(unknown[:5])[:120])
        return []
    return list(dict.fromkeys(value))


def _descriptions(value: Any, errors: dict) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):
        value = {"en": value}
    if not isinstance(value, dict):
        errors["description"] = _l('Give descriptions keyed by locale, e.g. {"en": "..."}.')
        return {}
    texts: dict[str, str] = {}
    for locale, text in value.items():
        if locale not in LOCALES:
            errors["description"] = _l("Unknown locale: %(locale)s.", locale=str(locale)[:20])
            return {}
        if text is not None and not isinstance(text, str):
            errors["description"] = _l("Must be text.")
            return {}
        text = (text or "").strip()
        if len(text) > MAX_DESCRIPTION:
            errors["description"] = _l("Use at most %(n)d characters.", n=MAX_DESCRIPTION)
            return {}
        texts[locale] = text
    return texts


def _founded(value: Any, errors: dict) -> int | None:
    if value is None or value == "":
        return None
    try:
        year = int(value)
    except (TypeError, ValueError, OverflowError):
        errors["founded"] = _l("Enter a year, e.g. 2008.")
        return None
    if isinstance(value, bool) or not 1800 <= year <= datetime.now(UTC).year:
        errors["founded"] = _l("Enter a year between 1800 and this year.")
        return None
    return year


def validate(data: dict[str, Any], *, current: Organization | None = None) -> dict[str, Any]:
    """Check and normalize organization fields; raise ValidationFailed listing every bad field.

    With ``current`` only the given keys are checked (a partial update).
    """
    if not isinstance(data, dict):
        raise ValidationFailed(_l("Send a JSON object."))
    unknown = sorted(set(data) - set(EDITABLE_FIELDS))
    errors: dict[str, Any] = {key: _l("Unknown field.") for key in unknown}
    given = set(data) if current is not None else set(EDITABLE_FIELDS)
    clean: dict[str, Any] = {}
    checks = {
        "kind": lambda v: _choice(v, "kind", reference.KINDS, errors, required=True),
        "name": lambda v: _text(v, "name", errors, required=True, limit=200),
        "country": lambda v: _choice(v, "country", reference.countries(), errors, required=True),
        "city": lambda v: _text(v, "city", errors, required=False, limit=120),
        "website": lambda v: _text(v, "website", errors, required=False, limit=300),
        "founded": lambda v: _founded(v, errors),
        "size": lambda v: _choice(v, "size", reference.SIZE_BANDS, errors, required=False),
        "budget": lambda v: _choice(v, "budget", reference.BUDGET_BANDS, errors, required=False),
        "visibility": lambda v: _choice(
            "public" if v in (None, "") else v,
            "visibility",
            reference.VISIBILITIES,
            errors,
            required=True,
        ),
        "description": lambda v: _descriptions(v, errors),
        "services": lambda v: _codes(v, "services", {s.code for s in reference.services()}, errors),
        "target_markets": lambda v: _codes(
            v, "target_markets", reference.target_market_codes(), errors
        ),
        "languages": lambda v: _codes(v, "languages", reference.LANGUAGE_CODES, errors),
        "certifications": lambda v: _codes(v, "certifications", reference.CERTIFICATIONS, errors),
        "industries": lambda v: _codes(v, "industries", reference.INDUSTRIES, errors),
    }
    for field in EDITABLE_FIELDS:
        if field in given:
            clean[field] = checks[field](data.get(field))
    website = clean.get("website")
    if website:
        website = clean["website"] = _EDGE_SPACE.sub("", website)
    if website and "://" not in website and re.match(r"^[\w.-]+\.[a-z]{2,}(/\S*)?$", website, re.I):
        website = clean["website"] = f"https://{website}"  # people type "example.com"
    if website and not _URL.match(website) and "website" not in errors:
        errors["website"] = _l("Enter an address starting with http:// or https://.")
    # A provider's budget and a buyer's target markets are dropped on save (_apply), not
    # refused: a client switching the kind need not clear the other kind's fields first.
    if errors:
        raise ValidationFailed(fields=errors)
    return clean


# --- permissions ------------------------------------------------------------


def can_view(viewer: User | None, org: Organization) -> bool:
    if org.visibility == "public":
        return True
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    if org.visibility == "members":
        return True
    return viewer.is_admin or viewer.organization_id == org.id


def can_edit(actor: User | None, org: Organization) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    return actor.is_admin or actor.organization_id == org.id


def visible_levels(viewer: User | None) -> tuple[str, ...]:
    """Visibility levels a reader may see in lists (hidden ones only for administrators)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return ("public",)
    if viewer.is_admin:
        return reference.VISIBILITIES
    return ("public", "members")


def _require_user(actor: User | None) -> User:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    return actor


# --- reads --------------------------------------------------------------------


def get_organization(db: Session, org_id: int, viewer: User | None) -> Organization:
    """Return the organization if it exists and the viewer may see it (hidden ones look absent)."""
    org = db.get(Organization, org_id)
    if org is None or not can_view(viewer, org):
        if org is not None and org.visibility == "members" and viewer is None:
            raise NotAuthenticated(_l("Sign in to see this profile."))
        raise NotFound(_l("No organization with this id."))
    return org


def organizations_by_ids(db: Session, ids: list[int]) -> dict[int, Organization]:
    """Load organizations by id as the database has them now (not as this session saw them)."""
    if not ids:
        return {}
    rows = db.exec(
        select(Organization)
        .where(Organization.id.in_(ids))
        .execution_options(populate_existing=True)
    )
    return {org.id: org for org in rows}


def all_organizations(db: Session, batch: int = 500):
    """Yield every organization, in id order, a batch at a time."""
    last = 0
    while True:
        rows = list(
            db.exec(
                select(Organization)
                .where(Organization.id > last)
                .order_by(Organization.id)
                .limit(batch)
            )
        )
        if not rows:
            return
        yield from rows
        last = rows[-1].id


# --- writes -------------------------------------------------------------------


def _apply(db: Session, org: Organization, clean: dict[str, Any]) -> None:
    for field, value in clean.items():
        if field == "description":
            continue
        setattr(org, field, value)
    if org.kind == "buyer":
        org.target_markets = []
    else:
        org.budget = None
    if "description" in clean:
        existing = {text.locale: text for text in org.texts}
        for locale, text in clean["description"].items():
            if text:
                if locale in existing:
                    existing[locale].description = text
                else:
                    org.texts.append(OrganizationText(locale=locale, description=text))
            elif locale in existing:
                org.texts.remove(existing[locale])
    org.updated_at = utcnow()


GRAPH_CHANGES_KEPT = timedelta(days=7)


def log_graph_change(db: Session, org_id: int) -> None:
    """Tell every worker's matching graph that this organization or its edges changed.

    Part of the caller's transaction. Now and then old entries are pruned: a worker that
    finds its next entry pruned rebuilds instead (matching/runtime.py).
    """
    change = GraphChange(organization_id=org_id)
    db.add(change)
    db.flush()
    if change.id % 500 == 0:
        db.exec(
            sql_delete(GraphChange).where(GraphChange.created_at < utcnow() - GRAPH_CHANGES_KEPT)
        )


def _after_write(db: Session, org_id: int) -> None:
    """Log the change for matching graphs (same transaction), then follow it in the search index."""
    log_graph_change(db, org_id)
    db.commit()
    sync_search(db, [org_id])


def sync_search(db: Session, org_ids: list[int]) -> None:
    """Bring the search index up to date for these organizations and any left in the backlog.

    When the backend is down the ids wait in the backlog instead of failing the user's write.
    """
    backlog = list(db.exec(select(SearchBacklog.organization_id).limit(200)))
    pending = list(dict.fromkeys([*org_ids, *backlog]))
    try:
        backend = current_backend()
        found = organizations_by_ids(db, pending)
        for org_id in pending:
            if org_id not in found:
                backend.delete(org_id)
        if found:
            backend.index([organization_document(found[i]) for i in pending if i in found])
    except Exception as error:  # the write is saved; the index catches up later
        if not isinstance(error, SearchUnavailable):
            logger.exception("indexing failed")
        db.rollback()
        logger.warning("search index unavailable; %d organization(s) wait", len(pending))
        for org_id in org_ids:
            db.merge(SearchBacklog(organization_id=org_id))
        db.commit()
        return
    if backlog:
        db.exec(sql_delete(SearchBacklog).where(SearchBacklog.organization_id.in_(backlog)))
        db.commit()


def create_organization(db: Session, actor: User | None, data: dict[str, Any]) -> Organization:
    """Create an organization; a member without one becomes its member.

    The member is linked with a conditional UPDATE in the same transaction, so a double
    submit (two requests at once) creates one organization, not two.
    """
    actor = _require_user(actor)
    if not actor.is_admin and actor.organization_id is not None:
        raise PermissionDenied(_l("Your account already belongs to an organization."))
    clean = validate(data)
    org = Organization(kind=clean["kind"], name=clean["name"], country=clean["country"])
    _apply(db, org, clean)
    db.add(org)
    db.flush()
    if not actor.is_admin:
        linked = db.exec(
            sql_update(User)
            .where(User.id == actor.id, User.organization_id.is_(None))
            .values(organization_id=org.id)
        )
        if linked.rowcount != 1:
            db.rollback()
            raise PermissionDenied(_l("Your account already belongs to an organization."))
        actor.organization_id = org.id
    _after_write(db, org.id)
    return org


def update_organization(
    db: Session, actor: User | None, org_id: int, data: dict[str, Any]
) -> Organization:
    actor = _require_user(actor)
    org = get_organization(db, org_id, actor)
    if not can_edit(actor, org):
        raise PermissionDenied(_l("You may only edit your own organization."))
    clean = validate(data, current=org)
    _apply(db, org, clean)
    db.add(org)
    _after_write(db, org.id)
    return org


def set_verified(db: Session, actor: User | None, org_id: int, verified: bool) -> Organization:
    """Mark a profile as checked by the platform (administrators only), recording who and when."""
    actor = _require_user(actor)
    if not actor.is_admin:
        raise PermissionDenied(_l("Only administrators verify organizations."))
    org = get_organization(db, org_id, actor)
    newly_verified = verified and not org.verified
    org.verified = verified
    org.verified_at = utcnow() if verified else None
    org.verified_by_id = actor.id if verified else None
    db.add(org)
    if newly_verified:
        from matchmaker.notifications.service import notify_organization

        notify_organization(
            db, org.id, "verification_granted", {"org": org.name}, f"/organizations/{org.id}"
        )
    _after_write(db, org.id)
    return org


def delete_organization(db: Session, actor: User | None, org_id: int) -> None:
    actor = _require_user(actor)
    org = get_organization(db, org_id, actor)
    if not can_edit(actor, org):
        raise PermissionDenied(_l("You may only delete your own organization."))
    db.exec(
        sql_delete(Interaction).where(
            (Interaction.source_id == org_id) | (Interaction.target_id == org_id)
        )
    )
    for member in db.exec(select(User).where(User.organization_id == org_id)):
        member.organization_id = None
        db.add(member)
    db.delete(org)
    db.flush()
    _after_write(db, org_id)


# --- the shared document ------------------------------------------------------------


def organization_document(org: Organization, *, with_terms: bool = True) -> dict[str, Any]:
    """The plain document search backends index and the matching engine reads.

    ``with_terms=False`` skips the names in every language, which only search needs.
    """
    terms: list[str] = []
    for code in org.services if with_terms else ():
        terms.extend(labels.all_locale_names(labels.SERVICE_LABELS[code]))
        terms.extend(SERVICE_KEYWORDS.get(code, ()))
    if with_terms:
        for family in dict.fromkeys(reference.family_of(code) for code in org.services):
            terms.extend(labels.all_locale_names(labels.FAMILY_SHORT_LABELS[family]))
        for code in org.industries:
            terms.extend(labels.all_locale_names(labels.INDUSTRY_LABELS[code]))
        terms.extend(labels.country_names_all_locales(org.country))
    return {
        "id": org.id,
        "kind": org.kind,
        "name": org.name,
        "country": org.country,
        "city": org.city or "",
        "markets": list(reference.market_groups(org.country)),
        "families": list(dict.fromkeys(reference.family_of(code) for code in org.services)),
        "services": list(org.services),
        "target_markets": list(org.target_markets) if org.kind == "provider" else [],
        "languages": list(org.languages),
        "certifications": list(org.certifications),
        "industries": list(org.industries),
        "size": org.size,
        "budget": org.budget,
        "visibility": org.visibility,
        "verified": bool(org.verified),
        "texts": org.text_map(),
        "search_terms": " ".join(dict.fromkeys(terms)),
        "updated_at": (org.updated_at or utcnow()).isoformat(),
    }
