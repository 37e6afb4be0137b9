"""People to meet at a fair: the matching engine, restricted to the fair's participants."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from matchmaker.accounts.models import User
from matchmaker.errors import ValidationFailed
from matchmaker.matching.runtime import current_recommender
from matchmaker.matching.service import MAX_LIMIT, Suggestion, suggestions_for
from matchmaker.profiles.models import Organization
from matchmaker.profiles.service import get_organization, organization_document

from .access import get_exhibition, require_member
from .models import Registration


def people_to_meet(
    db: Session, viewer: User | None, exhibition_id: int, org_id: int, limit: int = 10
) -> list[Suggestion]:
    """Registered participants of the fair that suit the organization, best first.

    The engine is asked with every organization outside the fair excluded, so the limit
    applies among participants only (not a filter over the global top list).
    """
    require_member(viewer, org_id)
    get_exhibition(db, exhibition_id, viewer)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(fields={"limit": _l("Must be between 1 and %(n)d.", n=MAX_LIMIT)})
    org = get_organization(db, org_id, viewer)
    if not org.services:
        return []
    present = set(
        db.exec(
            select(Registration.organization_id).where(
                Registration.exhibition_id == exhibition_id, Registration.status == "registered"
            )
        )
    )
    present.discard(org.id)
    if not present:
        return []
    absent = set(db.exec(select(Organization.id).where(Organization.id.not_in(present))))
    recommender = current_recommender(db)
    if org.id not in recommender:
        recommender.upsert(organization_document(org, with_terms=False))
    # A few more than asked: some may be invisible to this reader.
    found = recommender.recommend(org.id, limit=limit + 20, exclude=absent)
    return suggestions_for(db, viewer, org, found, limit)
