"""Inquiries and conversations between two organizations: rules, inbox, blocks, reports.

Everything an organization receives is its whole team's: access goes by the actor's
organization, and read state and archive are kept per organization, not per user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, update
from sqlmodel import Session, select

from matchmaker import reference
from matchmaker.accounts.models import User, utcnow
from matchmaker.errors import (
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    TooManyRequests,
    ValidationFailed,
)
from matchmaker.profiles.models import Interaction, Organization
from matchmaker.profiles.service import get_organization, log_graph_change

from .language import detect_language
from .models import (
    MAX_MESSAGE,
    MAX_REASON,
    MAX_SUBJECT,
    MAX_TIMELINE,
    AbuseReport,
    Block,
    Conversation,
    ConversationMember,
    Message,
)

PER_PAGE = 20
DEFAULT_PER_DAY = 20


# --- checks ---------------------------------------------------------------------------


def _require_user(actor: User | None) -> User:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated()
    return actor


def _require_team(actor: User, org_id: int) -> None:
    if actor.organization_id != org_id:
        raise PermissionDenied(_l("You may only write for your own organization."))


def _text(value: Any, name: str, limit: int, errors: dict, *, required: bool = True) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if required and not text:
        errors[name] = _l("This field is required.")
    elif len(text) > limit:
        errors[name] = _l("Use at most %(n)d characters.", n=limit)
    return text


def _language(value: str | None, body: str, actor: User) -> str:
    if value:
        if value not in reference.LANGUAGE_CODES:
            raise ValidationFailed(fields={"language": _l("Unknown language.")})
        return value
    return detect_language(body, actor.locale or _current_locale())


def _current_locale() -> str:
    from flask_babel import get_locale

    return str(get_locale() or "en") if has_app_context() else "en"


def blocked(db: Session, by_org_id: int, org_id: int) -> bool:
    """Whether ``by_org_id`` blocked ``org_id``."""
    return (
        db.exec(
            select(Block.id).where(
                Block.organization_id == by_org_id, Block.blocked_organization_id == org_id
            )
        ).first()
        is not None
    )


def _lock_organization(db: Session, org_id: int) -> None:
    """Serialize the organization's new conversations while the day's count is checked.

    PostgreSQL locks the row; on SQLite a no-op UPDATE takes the database's write lock
    first, so the count after it sees every earlier commit.
    """
    if db.get_bind().dialect.name == "sqlite":
        db.exec(
            update(Organization)
            .where(Organization.id == org_id)
            .values(updated_at=Organization.updated_at)
        )
    else:
        db.exec(select(Organization.id).where(Organization.id == org_id).with_for_update())


def _per_day() -> int:
    if not has_app_context():
        return DEFAULT_PER_DAY
    return int(current_app.config.get("CONVERSATIONS_PER_DAY", DEFAULT_PER_DAY))


def _notify(db: Session, org_id: int, kind: str, params: dict, link: str, actor: User) -> None:
    from matchmaker.notifications.service import notify_organization

    notify_organization(db, org_id, kind, params, link, exclude_user_id=actor.id)


# --- writes ---------------------------------------------------------------------------


def start_conversation(
    db: Session,
    actor: User | None,
    from_org_id: int,
    to_org_id: int,
    subject: Any,
    body: Any,
    services: list[str] | None = None,
    budget: str | None = None,
    timeline: Any = None,
    language: str | None = None,
) -> Conversation:
    """Send an inquiry from one organization to another: a new conversation and its message."""
    actor = _require_user(actor)
    _require_team(actor, from_org_id)
    sender = db.get(Organization, from_org_id)
    try:
        target = get_organization(db, to_org_id, actor)
    except NotAuthenticated:
        raise NotFound(_l("No organization with this id.")) from None
    if sender is None:
        raise NotFound(_l("No organization with this id."))
    if target.id == sender.id:
        raise ValidationFailed(
            _l("You cannot send an inquiry to your own organization."),
            fields={"to_organization_id": _l("Choose another organization.")},
        )
    if blocked(db, target.id, sender.id):
        raise PermissionDenied(_l("This organization does not accept messages from yours."))
    if getattr(actor, "email_verified_at", None) is None:
        raise PermissionDenied(
            _l("Confirm your e-mail address first: open the link we sent you, then try again.")
        )
    errors: dict[str, Any] = {}
    clean_subject = _text(subject, "subject", MAX_SUBJECT, errors)
    clean_body = _text(body, "message", MAX_MESSAGE, errors)
    clean_services = list(dict.fromkeys(services or []))
    known = {category.code for category in reference.services()}
    if any(code not in known for code in clean_services):
        errors["services"] = _l("Unknown service category.")
    is_buyer = sender.kind == "buyer"
    if budget and (not is_buyer or budget not in reference.BUDGET_BANDS):
        errors["budget"] = _l("Choose a budget band from the list.")
    clean_timeline = _text(timeline, "timeline", MAX_TIMELINE, errors, required=False)
    if errors:
        raise ValidationFailed(fields=errors)
    message_language = _language(language, clean_body, actor)

    _lock_organization(db, sender.id)  # two requests at once must not both pass the limit
    since = utcnow() - timedelta(days=1)
    started = db.exec(
        select(func.count(Conversation.id)).where(
            Conversation.started_by_org_id == sender.id, Conversation.created_at >= since
        )
    ).one()
    if started >= _per_day():
        raise TooManyRequests(
            _l(
                "Your organization started %(n)d conversations in the last 24 hours, the most "
                "allowed. Reply in existing conversations or try again tomorrow.",
                n=_per_day(),
            )
        )

    now = utcnow()
    conversation = Conversation(
        subject=clean_subject,
        started_by_org_id=sender.id,
        created_at=now,
        last_message_at=now,
        services=clean_services,
        budget=(budget or None) if is_buyer else None,
        timeline=clean_timeline if is_buyer else "",
    )
    db.add(conversation)
    db.flush()
    db.add(
        ConversationMember(
            conversation_id=conversation.id,
            organization_id=sender.id,
            partner_id=target.id,
            last_message_at=now,
            last_read_at=now,
        )
    )
    db.add(
        ConversationMember(
            conversation_id=conversation.id,
            organization_id=target.id,
            partner_id=sender.id,
            last_message_at=now,
            unread=1,
        )
    )
    db.add(
        Message(
            conversation_id=conversation.id,
            author_user_id=actor.id,
            organization_id=sender.id,
            body=clean_body,
            language=message_language,
            sent_at=now,
        )
    )
    _record_edge(db, sender.id, target.id)
    _notify(
        db,
        target.id,
        "inquiry",
        {"from_org": sender.name, "subject": clean_subject},
        f"/conversations/{conversation.id}",
        actor,
    )
    db.commit()
    return conversation


def _record_edge(db: Session, source_id: int, target_id: int) -> None:
    """An inquiry counts like a meeting request in the matching graph."""
    exists = db.exec(
        select(Interaction.id).where(
            Interaction.source_id == source_id,
            Interaction.target_id == target_id,
            Interaction.kind == "meeting_request",
        )
    ).first()
    if exists is None:
        db.add(Interaction(source_id=source_id, target_id=target_id, kind="meeting_request"))
        log_graph_change(db, source_id)
        log_graph_change(db, target_id)


def _membership(db: Session, actor: User | None, conversation_id: int) -> ConversationMember:
    """The actor's organization's side; a conversation of others looks absent."""
    actor = _require_user(actor)
    member = None
    if actor.organization_id is not None:
        member = db.exec(
            select(ConversationMember).where(
                ConversationMember.conversation_id == conversation_id,
                ConversationMember.organization_id == actor.organization_id,
            )
        ).first()
    if member is None:
        raise NotFound(_l("No conversation with this id."))
    return member


def reply(
    db: Session, actor: User | None, conversation_id: int, body: Any, language: str | None = None
) -> Message:
    """Add a message to a conversation for the actor's organization."""
    member = _membership(db, actor, conversation_id)
    if blocked(db, member.partner_id, member.organization_id):
        raise PermissionDenied(_l("This organization does not accept messages from yours."))
    errors: dict[str, Any] = {}
    clean_body = _text(body, "body", MAX_MESSAGE, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    now = utcnow()
    message = Message(
        conversation_id=conversation_id,
        author_user_id=actor.id,
        organization_id=member.organization_id,
        body=clean_body,
        language=_language(language, clean_body, actor),
        sent_at=now,
    )
    db.add(message)
    conversation = db.get(Conversation, conversation_id)
    conversation.last_message_at = now
    member.last_message_at = now
    member.last_read_at = now
    member.unread = 0
    # The other side: one more unread message, and the conversation leaves its archive.
    db.exec(
        update(ConversationMember)
        .where(
            ConversationMember.conversation_id == conversation_id,
            ConversationMember.organization_id == member.partner_id,
        )
        .values(unread=ConversationMember.unread + 1, last_message_at=now, archived_at=None)
    )
    sender = db.get(Organization, member.organization_id)
    _notify(
        db,
        member.partner_id,
        "reply",
        {"from_org": sender.name if sender else "", "subject": conversation.subject},
        f"/conversations/{conversation_id}",
        actor,
    )
    db.commit()
    return message


def set_archived(db: Session, actor: User | None, conversation_id: int, archived: bool) -> None:
    """Move a conversation to the organization's archive or back; a new message brings it back."""
    member = _membership(db, actor, conversation_id)
    member.archived_at = utcnow() if archived else None
    db.add(member)
    db.commit()


def block(db: Session, actor: User | None, conversation_id: int) -> int:
    """Block the other organization of a conversation; return its id."""
    member = _membership(db, actor, conversation_id)
    if not blocked(db, member.organization_id, member.partner_id):
        db.add(
            Block(
                organization_id=member.organization_id,
                blocked_organization_id=member.partner_id,
            )
        )
    member.archived_at = member.archived_at or utcnow()
    db.add(member)
    db.commit()
    return member.partner_id


def unblock(db: Session, actor: User | None, conversation_id: int) -> None:
    member = _membership(db, actor, conversation_id)
    for row in db.exec(
        select(Block).where(
            Block.organization_id == member.organization_id,
            Block.blocked_organization_id == member.partner_id,
        )
    ):
        db.delete(row)
    db.commit()


def report(db: Session, actor: User | None, conversation_id: int, reason: Any) -> AbuseReport:
    """Report the other organization of a conversation to the administrators."""
    member = _membership(db, actor, conversation_id)
    errors: dict[str, Any] = {}
    clean = _text(reason, "reason", MAX_REASON, errors)
    if errors:
        raise ValidationFailed(fields=errors)
    row = AbuseReport(
        reporter_user_id=actor.id,
        organization_id=member.partner_id,
        conversation_id=conversation_id,
        reason=clean,
    )
    db.add(row)
    db.commit()
    return row


# --- reads ----------------------------------------------------------------------------


@dataclass
class InboxItem:
    conversation: Conversation
    partner: Organization
    unread: int
    last_message_at: Any
    archived: bool


@dataclass
class InboxPage:
    items: list[InboxItem] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def inbox(
    db: Session,
    actor: User | None,
    org_id: int,
    q: str | None = None,
    archived: bool = False,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> InboxPage:
    """An organization's conversations, newest first, with unread counts; ``q`` searches
    subjects, messages and the other organization's name."""
    actor = _require_user(actor)
    _require_team(actor, org_id)
    member = ConversationMember
    where = [
        member.organization_id == org_id,
        member.archived_at.is_not(None) if archived else member.archived_at.is_(None),
    ]
    q = (q or "").strip()[:200]
    if q:
        pattern = _like(q)
        in_messages = (
            select(Message.id)
            .where(Message.conversation_id == member.conversation_id)
            .where(Message.body.ilike(pattern, escape="\\"))
            .exists()
        )
        where.append(
            or_(
                Conversation.subject.ilike(pattern, escape="\\"),
                Organization.name.ilike(pattern, escape="\\"),
                in_messages,
            )
        )
    base = (
        select(member, Conversation, Organization)
        .join(Conversation, Conversation.id == member.conversation_id)
        .join(Organization, Organization.id == member.partner_id)
        .where(*where)
    )
    total = db.exec(select(func.count()).select_from(base.subquery())).one()
    page = max(1, page)
    rows = db.exec(
        base.order_by(member.last_message_at.desc(), member.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    items = [
        InboxItem(
            conversation=conversation,
            partner=partner,
            unread=side.unread,
            last_message_at=side.last_message_at,
            archived=side.archived_at is not None,
        )
        for side, conversation, partner in rows
    ]
    return InboxPage(items=items, total=total, page=page, per_page=per_page)


@dataclass
class Thread:
    conversation: Conversation
    member: ConversationMember
    organizations: dict[int, Organization]
    messages: list[Message]
    authors: dict[int, User]
    partner_blocked: bool  # this organization blocked the other one
    blocked_by_partner: bool

    @property
    def partner(self) -> Organization:
        return self.organizations[self.member.partner_id]


def open_conversation(
    db: Session, actor: User | None, conversation_id: int, *, mark_read: bool = True
) -> Thread:
    """A conversation with its messages, oldest first; opening it marks it read for the team."""
    member = _membership(db, actor, conversation_id)
    conversation = db.get(Conversation, conversation_id)
    messages = list(
        db.exec(
            select(Message)
            .where(Message.conversation_id == conversation_id)
            .order_by(Message.sent_at, Message.id)
        )
    )
    org_ids = [member.organization_id, member.partner_id]
    organizations = {
        org.id: org for org in db.exec(select(Organization).where(Organization.id.in_(org_ids)))
    }
    author_ids = {m.author_user_id for m in messages if m.author_user_id is not None}
    authors = (
        {u.id: u for u in db.exec(select(User).where(User.id.in_(author_ids)))}
        if author_ids
        else {}
    )
    if mark_read and (member.unread or member.last_read_at is None):
        member.unread = 0
        member.last_read_at = utcnow()
        db.add(member)
        db.commit()
    return Thread(
        conversation=conversation,
        member=member,
        organizations=organizations,
        messages=messages,
        authors=authors,
        partner_blocked=blocked(db, member.organization_id, member.partner_id),
        blocked_by_partner=blocked(db, member.partner_id, member.organization_id),
    )


def unread_total(db: Session, org_id: int | None) -> int:
    """Unread messages in an organization's conversations that are not archived."""
    if org_id is None:
        return 0
    total = db.exec(
        select(func.coalesce(func.sum(ConversationMember.unread), 0)).where(
            ConversationMember.organization_id == org_id,
            ConversationMember.archived_at.is_(None),
        )
    ).one()
    return int(total)


def in_conversation(db: Session, org_id: int | None, other_org_id: int) -> bool:
    if org_id is None:
        return False
    return (
        db.exec(
            select(ConversationMember.id).where(
                ConversationMember.organization_id == org_id,
                ConversationMember.partner_id == other_org_id,
            )
        ).first()
        is not None
    )


@dataclass
class ContactPerson:
    name: str
    title: str
    languages: list[str]
    email: str | None
    phone: str | None


def contact_persons(db: Session, viewer: User | None, org: Organization) -> list[ContactPerson]:
    """The organization's team as contact persons; e-mail and phone only for the team
    itself and for organizations in a conversation with it."""
    viewer_org = getattr(viewer, "organization_id", None) if viewer is not None else None
    details = viewer_org is not None and (
        viewer_org == org.id or in_conversation(db, viewer_org, org.id)
    )
    people = db.exec(select(User).where(User.organization_id == org.id).order_by(User.id)).all()
    return [
        ContactPerson(
            name=person.display_name or "",
            title=getattr(person, "title", "") or "",
            languages=list(getattr(person, "spoken_languages", None) or []),
            email=person.email if details else None,
            phone=(getattr(person, "phone", "") or None) if details else None,
        )
        for person in people
    ]


# --- administrators -----------------------------------------------------------------


def _require_admin(actor: User | None) -> User:
    actor = _require_user(actor)
    if not actor.is_admin:
        raise PermissionDenied()
    return actor


def list_reports(db: Session, actor: User | None, resolved: bool = False) -> list[tuple]:
    """Abuse reports, newest first, with the organization and the reporter."""
    _require_admin(actor)
    condition = (
        AbuseReport.resolved_at.is_not(None) if resolved else AbuseReport.resolved_at.is_(None)
    )
    rows = db.exec(
        select(AbuseReport, Organization, User)
        .join(Organization, Organization.id == AbuseReport.organization_id)
        .join(User, User.id == AbuseReport.reporter_user_id, isouter=True)
        .where(condition)
        .order_by(AbuseReport.created_at.desc(), AbuseReport.id.desc())
        .limit(200)
    ).all()
    return list(rows)


def resolve_report(db: Session, actor: User | None, report_id: int) -> AbuseReport:
    _require_admin(actor)
    row = db.get(AbuseReport, report_id)
    if row is None:
        raise NotFound(_l("No report with this id."))
    if row.resolved_at is None:
        row.resolved_at = utcnow()
        db.add(row)
        db.commit()
    return row
