"""Partner recommendations and the interactions that feed them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from matchmaker.accounts.models import User, utcnow
from matchmaker.errors import PermissionDenied, ValidationFailed
from matchmaker.profiles.models import Interaction, Organization
from matchmaker.profiles.service import (
    can_edit,
    can_view,
    get_organization,
    log_graph_change,
    organization_document,
    organizations_by_ids,
)

from .models import NOTE_MAX_LENGTH, PartnerNote
from .reasons import reason_label
from .runtime import current_recommender

MAX_LIMIT = 100


@dataclass
class Suggestion:
    organization: Organization
    score: float
    reasons: list[dict]


def empty_hint(kind: str) -> str:
    """What an organization without services should do to get suggestions."""
    if kind == "buyer":
        return str(_l("Add the services you are looking for to your profile to get suggestions."))
    return str(_l("Add the services you offer to your profile to get suggestions."))


def parse_limit(raw: str | None, default: int = 10) -> int:
    if raw in (None, ""):
        return default
    try:
        limit = int(raw)
    except (TypeError, ValueError):
        raise ValidationFailed(fields={"limit": _l("Must be a whole number.")}) from None
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(fields={"limit": _l("Must be between 1 and %(n)d.", n=MAX_LIMIT)})
    return limit


def recommend_partners(
    db: Session, viewer: User | None, org_id: int, limit: int = 10
) -> list[Suggestion]:
    """Complementary partners for an organization, best first, each with its reasons."""
    org = get_organization(db, org_id, viewer)
    if not org.services:
        return []
    recommender = current_recommender(db)
    # Shortlisted partners live on the shortlist, not among new suggestions.
    saved = set(
        db.exec(
            select(Interaction.target_id).where(
                Interaction.source_id == org.id, Interaction.kind == "saved"
            )
        )
    )
    # Ask for a few more: some may be invisible to this reader (members-only profiles).
    try:
        found = recommender.recommend(org.id, limit=limit + 20, exclude=saved)
    except KeyError:
        # This worker has not seen the organization yet (its change is still on its way).
        recommender.upsert(organization_document(org, with_terms=False))
        found = recommender.recommend(org.id, limit=limit + 20, exclude=saved)
    return suggestions_for(db, viewer, org, found, limit)


def suggestions_for(
    db: Session, viewer: User | None, org: Organization, found: list, limit: int
) -> list[Suggestion]:
    """The engine's recommendations as suggestions ``viewer`` may see (at most ``limit``),
    their reasons in the reader's language; a "peers" reason names only organizations
    the reader may see."""
    named = {i for item in found for r in item.reasons for i in r.organizations}
    orgs = organizations_by_ids(db, sorted({item.org_id for item in found} | named))

    def visible(other: Organization | None) -> bool:
        return other is not None and other.visibility != "hidden" and can_view(viewer, other)

    suggestions = []
    for item in found:
        candidate = orgs.get(item.org_id)
        if not visible(candidate):
            continue
        reasons = []
        for r in item.reasons:
            shown = [orgs[i] for i in r.organizations if visible(orgs.get(i))]
            names = [other.name for other in shown]
            label = reason_label(r.type, r.code, org.kind, names=names)
            reason = {"type": r.type, "code": r.code, "label": label}
            if r.type == "peers":
                reason["organizations"] = [other.id for other in shown]
            reasons.append(reason)
        suggestions.append(Suggestion(candidate, shown_score(item.score), reasons))
        if len(suggestions) == limit:
            break
    return suggestions


def fit_for_viewer(db: Session, viewer: User | None, org: Organization) -> Suggestion | None:
    """Why ``org`` suits the viewer's own organization, when it is among its suggestions."""
    own_id = getattr(viewer, "organization_id", None)
    if not own_id or own_id == org.id:
        return None
    for suggestion in recommend_partners(db, viewer, own_id, limit=MAX_LIMIT):
        if suggestion.organization.id == org.id:
            return suggestion
    return None


def recommendations_panel(
    db: Session, viewer: User | None, org: Organization, limit: int = 10
) -> dict:
    """What an organization's own profile page shows: its suggestions (with reasons), or
    ``hint`` when it can have none yet (no services). Pages of other domains call this
    rather than the matching views."""
    if not org.services:
        return {"items": [], "hint": True}
    return {"items": recommend_partners(db, viewer, org.id, limit=limit), "hint": False}


def _record(db: Session, actor: User | None, source_id: int, target_id: int, kind: str) -> None:
    source = get_organization(db, source_id, actor)
    if not can_edit(actor, source):
        raise PermissionDenied(_l("You may only act for your own organization."))
    target = get_organization(db, target_id, actor)
    if target.id == source.id:
        raise ValidationFailed(fields={"organization_id": _l("Choose another organization.")})
    opposite = {"saved": "dismissed", "dismissed": "saved"}.get(kind)
    if opposite:
        for row in db.exec(
            select(Interaction).where(
                Interaction.source_id == source.id,
                Interaction.target_id == target.id,
                Interaction.kind == opposite,
            )
        ):
            db.delete(row)
    exists = db.exec(
        select(Interaction.id).where(
            Interaction.source_id == source.id,
            Interaction.target_id == target.id,
            Interaction.kind == kind,
        )
    ).first()
    try:
        if exists is None:
            db.add(Interaction(source_id=source.id, target_id=target.id, kind=kind))
        log_graph_change(db, source.id)
        db.commit()
    except IntegrityError:
        # Someone recorded the same edge at the same moment (and logged it): same result.
        db.rollback()


def save_partner(db: Session, actor: User | None, source_id: int, target_id: int) -> None:
    """Save a partner to the shortlist (a positive signal for matching)."""
    _record(db, actor, source_id, target_id, "saved")


def dismiss_partner(db: Session, actor: User | None, source_id: int, target_id: int) -> None:
    """Dismiss a suggestion: it is not shown again and similar ones rank lower."""
    _record(db, actor, source_id, target_id, "dismissed")


def forget_partner(
    db: Session,
    actor: User | None,
    source_id: int,
    target_id: int,
    kinds: tuple[str, ...] = ("saved", "dismissed"),
) -> None:
    """Remove a saved or dismissed mark (only ``kinds``); removing none is fine."""
    source = get_organization(db, source_id, actor)
    if not can_edit(actor, source):
        raise PermissionDenied(_l("You may only act for your own organization."))
    rows = db.exec(
        select(Interaction).where(
            Interaction.source_id == source.id,
            Interaction.target_id == target_id,
            Interaction.kind.in_(kinds),
        )
    ).all()
    for row in rows:
        db.delete(row)
    log_graph_change(db, source.id)
    db.commit()


def marked_partners(
    db: Session, actor: User | None, org_id: int, kind: str
) -> list[tuple[Organization, datetime]]:
    """The organization's saved (or dismissed) partners with when, newest first (team only)."""
    source = get_organization(db, org_id, actor)
    if not can_edit(actor, source):
        raise PermissionDenied(_l("Only the organization's team sees its lists."))
    rows = db.exec(
        select(Interaction.target_id, Interaction.created_at)
        .where(Interaction.source_id == org_id, Interaction.kind == kind)
        .order_by(Interaction.id.desc())
    ).all()
    found = organizations_by_ids(db, [target for target, _at in rows])
    return [(found[t], at) for t, at in rows if t in found and can_view(actor, found[t])]


def saved_partners(db: Session, viewer: User | None, org_id: int) -> list[Organization]:
    ids = db.exec(
        select(Interaction.target_id)
        .where(Interaction.source_id == org_id, Interaction.kind == "saved")
        .order_by(Interaction.id.desc())
    ).all()
    found = organizations_by_ids(db, list(ids))
    return [found[i] for i in ids if i in found and can_view(viewer, found[i])]


@dataclass
class SavedEntry:
    organization: Organization
    saved_at: datetime
    note: str
    interest_sent_at: datetime | None


def _own_source(db: Session, actor: User | None, org_id: int) -> Organization:
    source = get_organization(db, org_id, actor)
    if not can_edit(actor, source):
        raise PermissionDenied(_l("Only the organization's team sees its lists."))
    return source


def _note_row(db: Session, source_id: int, target_id: int) -> PartnerNote | None:
    return db.exec(
        select(PartnerNote).where(
            PartnerNote.source_id == source_id, PartnerNote.target_id == target_id
        )
    ).first()


def _is_saved(db: Session, source_id: int, target_id: int) -> bool:
    return (
        db.exec(
            select(Interaction.id).where(
                Interaction.source_id == source_id,
                Interaction.target_id == target_id,
                Interaction.kind == "saved",
            )
        ).first()
        is not None
    )


def saved_entries(db: Session, actor: User | None, org_id: int) -> list[SavedEntry]:
    """The shortlist with each partner's private note, newest first (team only)."""
    marked = marked_partners(db, actor, org_id, "saved")
    notes = {
        row.target_id: row
        for row in db.exec(select(PartnerNote).where(PartnerNote.source_id == org_id))
    }
    entries = []
    for partner, saved_at in marked:
        row = notes.get(partner.id)
        entries.append(
            SavedEntry(
                partner,
                saved_at,
                row.note if row else "",
                row.interest_sent_at if row else None,
            )
        )
    return entries


def saved_ids(db: Session, org_id: int) -> set[int]:
    """Ids of the partners an organization saved (for "Saved" marks on cards)."""
    return set(
        db.exec(
            select(Interaction.target_id).where(
                Interaction.source_id == org_id, Interaction.kind == "saved"
            )
        )
    )


def interest_sent_ids(db: Session, org_id: int) -> set[int]:
    """Ids of the partners an organization already told of its interest."""
    return set(
        db.exec(
            select(PartnerNote.target_id).where(
                PartnerNote.source_id == org_id, PartnerNote.interest_sent_at.is_not(None)
            )
        )
    )


def set_partner_note(
    db: Session, actor: User | None, source_id: int, target_id: int, note: str
) -> PartnerNote:
    """Keep a private note on a saved partner (empty clears it); only the team reads it."""
    source = _own_source(db, actor, source_id)
    note = (note or "").replace("\r\n", "\n").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationFailed(fields={"note": _l("At most %(n)d characters.", n=NOTE_MAX_LENGTH)})
    if not _is_saved(db, source.id, target_id):
        raise ValidationFailed(fields={"note": _l("Save the organization first.")})
    row = _note_row(db, source.id, target_id)
    if row is None:
        row = PartnerNote(source_id=source.id, target_id=target_id)
    row.note = note
    row.updated_at = utcnow()
    db.add(row)
    db.commit()
    return row


def send_interest(db: Session, actor: User | None, source_id: int, target_id: int) -> bool:
    """Tell a saved partner's team that this organization is interested: once per pair.

    Saves the partner if it was not saved yet. Returns False when it was told before.
    """
    from matchmaker.notifications.service import notify_organization

    source = _own_source(db, actor, source_id)
    target = get_organization(db, target_id, actor)
    if target.id == source.id:
        raise ValidationFailed(fields={"organization_id": _l("Choose another organization.")})
    if not _is_saved(db, source.id, target.id):
        save_partner(db, actor, source.id, target.id)
    if _note_row(db, source.id, target.id) is None:
        try:
            db.add(PartnerNote(source_id=source.id, target_id=target.id))
            db.commit()
        except IntegrityError:
            db.rollback()  # created by a concurrent request: fine
    # A conditional update claims the pair: of two concurrent clicks only one notifies.
    now = utcnow()
    claimed = db.exec(
        update(PartnerNote)
        .where(
            PartnerNote.source_id == source.id,
            PartnerNote.target_id == target.id,
            PartnerNote.interest_sent_at.is_(None),
        )
        .values(interest_sent_at=now, updated_at=now)
    ).rowcount
    if claimed != 1:
        db.rollback()
        return False
    notify_organization(
        db,
        target.id,
        "interest",
        {"from_org": source.name},
        f"/organizations/{source.id}",
    )
    db.commit()
    return True


def shown_score(score: float) -> float:
    """The engine's score as shown: a strength ≥ 0, six decimals.

    A dismissal pulls the walk's mass below zero for the dismissed organization's
    look-alikes, so a raw score can be negative; the order is already decided by then.
    """
    return max(0.0, round(float(score), 6))
