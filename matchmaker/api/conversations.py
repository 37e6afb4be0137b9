"""Conversations: the inbox, inquiries, threads and replies."""

from __future__ import annotations

from flask_babel import gettext as _

from matchmaker import db
from matchmaker.conversations import service
from matchmaker.errors import ValidationFailed

from . import require_user
from .auth import summary
from .schemas import conversations as s
from .spec import operation

CONVERSATION_ID = {"conversation_id": "The conversation's id."}


def _own_organization() -> int:
    user = require_user()
    if user.organization_id is None:
        raise ValidationFailed(
            _("Your account belongs to no organization yet."),
            fields={"from_organization_id": _("Create your organization's profile first.")},
        )
    return user.organization_id


@operation(
    "get",
    "/v1/conversations",
    operation_id="listConversations",
    tag="conversations",
    summary="The inbox of your organization",
    description="Newest first, with the unread count of each; the whole team sees the same.",
    auth="user",
    query=s.InboxQuery,
    response=s.Inbox,
)
def list_conversations(query: s.InboxQuery):
    page = service.inbox(
        db.session(), require_user(), _own_organization(), query.q, query.archived, query.page
    )
    return s.Inbox(
        items=[
            s.InboxItem(
                id=item.conversation.id,
                subject=item.conversation.subject,
                partner=summary(item.partner),
                unread=item.unread,
                last_message_at=item.last_message_at,
                archived=item.archived,
            )
            for item in page.items
        ],
        total=page.total,
        page=page.page,
        per_page=page.per_page,
        has_more=page.page < page.pages,
    )


@operation(
    "post",
    "/v1/conversations",
    operation_id="startConversation",
    tag="conversations",
    summary="Send an inquiry",
    description="Starts a conversation with another organization. Refused: a hidden or "
    "unknown organization (404), your own (422), one that blocked yours or an account whose "
    "e-mail is not confirmed (403), more new conversations per day than allowed (429).",
    auth="user",
    body=s.NewConversation,
    response=s.Created,
    status=201,
    errors=(429,),
)
def start_conversation(body: s.NewConversation):
    conversation = service.start_conversation(
        db.session(),
        require_user(),
        body.from_organization_id or _own_organization(),
        body.to_organization_id,
        body.subject,
        body.message,
        services=[str(code) for code in body.services],
        budget=str(body.budget) if body.budget else None,
        timeline=body.timeline or "",
        language=str(body.language) if body.language else None,
    )
    return s.Created(id=conversation.id)


@operation(
    "get",
    "/v1/conversations/<id:conversation_id>",
    operation_id="getConversation",
    tag="conversations",
    summary="A conversation with its messages",
    description="Reading it marks it read for your organization.",
    auth="user",
    response=s.Conversation,
    path_params=CONVERSATION_ID,
)
def get_conversation(conversation_id: int):
    thread = service.open_conversation(db.session(), require_user(), conversation_id)
    own, partner = thread.member.organization_id, thread.member.partner_id
    return s.Conversation(
        id=thread.conversation.id,
        subject=thread.conversation.subject,
        organizations=[summary(thread.organizations[own]), summary(thread.organizations[partner])],
        services=list(thread.conversation.services),
        budget=thread.conversation.budget,
        timeline=thread.conversation.timeline,
        archived=thread.member.archived_at is not None,
        messages=[
            s.MessageOut(
                id=m.id,
                author=s.Author(
                    id=m.author_user_id,
                    name=(
                        thread.authors[m.author_user_id].display_name
                        if m.author_user_id in thread.authors
                        else ""
                    ),
                ),
                organization_id=m.organization_id,
                body=m.body,
                language=m.language,
                sent_at=m.sent_at,
            )
            for m in thread.messages
        ],
    )


@operation(
    "post",
    "/v1/conversations/<id:conversation_id>/messages",
    operation_id="replyInConversation",
    tag="conversations",
    summary="Reply in a conversation",
    description="Refused when the other organization blocked yours (403).",
    auth="user",
    body=s.NewMessage,
    response=s.Created,
    status=201,
    path_params=CONVERSATION_ID,
)
def reply(conversation_id: int, body: s.NewMessage):
    message = service.reply(
        db.session(),
        require_user(),
        conversation_id,
        body.body,
        language=str(body.language) if body.language else None,
    )
    return s.Created(id=message.id)
