"""Notifications of the signed-in user: list (with the unread count) and mark read."""

from __future__ import annotations

from matchmaker import db
from matchmaker.notifications import service
from matchmaker.notifications.messages import display_params, render_text

from . import require_user
from .organizations import LINK_HEADER, page_links
from .schemas.notifications import (
    MarkedRead,
    MarkRead,
    NotificationItem,
    NotificationPage,
    NotificationQuery,
)
from .spec import operation


@operation(
    "get",
    "/v1/notifications",
    operation_id="listNotifications",
    tag="notifications",
    summary="List my notifications",
    description="Newest first, with the texts in the reader's language and the unread count.",
    auth="user",
    query=NotificationQuery,
    response=NotificationPage,
    response_headers=LINK_HEADER,
)
def list_notifications(query: NotificationQuery):
    page = service.list_notifications(db.session(), require_user(), query.page, query.per_page)
    body = NotificationPage(
        items=[
            NotificationItem(
                id=item.id,
                kind=item.kind,
                text=render_text(item.kind, item.params),
                params=display_params(item.kind, item.params),
                link=item.link,
                created_at=item.created_at,
                read_at=item.read_at,
            )
            for item in page.items
        ],
        unread=page.unread,
        total=page.total,
        page=page.page,
        per_page=page.per_page,
        has_more=page.has_more,
    )
    return body, page_links(page.page, page.per_page, page.has_more)


@operation(
    "post",
    "/v1/notifications/read",
    operation_id="markNotificationsRead",
    tag="notifications",
    summary="Mark notifications read",
    description="Marks the given ids (only your own; others are ignored), or all of them "
    "when `ids` is left out.",
    auth="user",
    body=MarkRead,
    response=MarkedRead,
)
def mark_notifications_read(body: MarkRead):
    user = require_user()
    marked = service.mark_read(db.session(), user, body.ids)
    return MarkedRead(marked=marked, unread=service.unread_count(db.session(), user))
