"""Load the demo organizations, users and interactions; loading again adds nothing."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete as sql_delete
from sqlalchemy import func
from sqlmodel import Session, select
from werkzeug.security import generate_password_hash

from matchmaker.accounts.models import User, utcnow
from matchmaker.notifications.models import OutboxMail
from matchmaker.profiles.models import GraphChange, Interaction, Organization, OrganizationText
from matchmaker.profiles.service import COLUMN_FIELDS

from .data import DEMO_USERS, demo_interactions, demo_organizations
from .fairs import load_fairs

_ORG_FIELDS = (*COLUMN_FIELDS, "verified")
# What the demo people show as contact persons: job title and languages spoken.
_CONTACT = {
    "admin@matchmaker.example": ("Platform administrator", ["en"]),
    "organizer@matchmaker.example": ("Fair organizer", ["zh", "en"]),
    "provider@matchmaker.example": ("Head of international sales", ["zh", "en", "ja"]),
    "buyer@matchmaker.example": ("Head of IT sourcing", ["de", "en"]),
    "provider-zh@matchmaker.example": ("海外业务总监", ["zh", "en"]),
    "buyer-ar@matchmaker.example": ("مديرة المشتريات", ["ar", "en"]),
    "buyer-ru@matchmaker.example": ("Руководитель закупок ИТ", ["ru", "kk", "en"]),
    "buyer-es@matchmaker.example": ("Gerente de compras de TI", ["es", "en"]),
    "buyer-fr@matchmaker.example": ("Responsable des achats IT", ["fr", "en"]),
}


def load_demo(db: Session, echo: Callable[[str], None] = lambda _msg: None) -> dict[str, int]:
    """Add whatever part of the demo data is missing, matched by stable keys and e-mails."""
    added = {"organizations": 0, "users": 0, "interactions": 0, "fairs": 0}
    organizations = demo_organizations()
    existing = {key: oid for key, oid in db.exec(select(Organization.key, Organization.id)) if key}
    echo(f"• Demo organizations: {len(organizations)} ({len(existing)} present)")
    for number, item in enumerate(organizations, 1):
        if item["key"] in existing:
            continue
        org = Organization(key=item["key"], **{f: item.get(f) for f in _ORG_FIELDS})
        org.verified_at = utcnow() if org.verified else None
        org.texts = [
            OrganizationText(locale=locale, description=text)
            for locale, text in item["texts"].items()
            if text
        ]
        db.add(org)
        db.flush()
        existing[item["key"]] = org.id
        db.add(GraphChange(organization_id=org.id))
        added["organizations"] += 1
        if number % 100 == 0:
            echo(f"  {number}/{len(organizations)}")
    db.commit()

    emails = set(db.exec(select(User.email)))
    for spec in DEMO_USERS:
        if spec["email"] in emails:
            continue
        title, spoken = _CONTACT.get(spec["email"], ("", []))
        db.add(
            User(
                # Demo addresses cannot receive mail: they count as confirmed.
                email_verified_at=utcnow(),
                title=title,
                spoken_languages=spoken,
                email=spec["email"],
                password_hash=generate_password_hash(spec["password"], method="scrypt"),
                display_name=spec["display_name"],
                role=spec["role"],
                locale=spec.get("locale"),
                organization_id=existing.get(spec.get("org_key")) if spec.get("org_key") else None,
            )
        )
        added["users"] += 1
    db.commit()

    present = {
        (s, t, k)
        for s, t, k in db.exec(
            select(Interaction.source_id, Interaction.target_id, Interaction.kind)
        )
    }
    for source_key, target_key, kind in demo_interactions(organizations):
        edge = (existing[source_key], existing[target_key], kind)
        if edge in present or edge[0] == edge[1]:
            continue
        db.add(Interaction(source_id=edge[0], target_id=edge[1], kind=kind))
        present.add(edge)
        added["interactions"] += 1
    db.commit()

    # The fairs' events notify the demo accounts in the site; no e-mail leaves for the demo's
    # example addresses: what loading queued in the outbox goes again.
    last_mail = db.exec(select(func.max(OutboxMail.id))).one() or 0
    added["fairs"] = load_fairs(db, echo)
    db.exec(sql_delete(OutboxMail).where(OutboxMail.id > last_mail))
    db.commit()
    return added
