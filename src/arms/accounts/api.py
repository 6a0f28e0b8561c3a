"""/api/v1/me: who the caller is (roles, permissions) and their notifications."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Query, Router, Schema

from arms.accounts.names import person_name
from arms.accounts.roles import user_roles
from arms.common.errors import NotFound
from arms.common.notify import notification_list as notifications_of
from arms.common.notify import notification_mark_read, notifications_mark_all_read, notifications_unread
from arms.common.pagination import PageParams, paginate

router = Router(tags=["me"])


class MeOut(Schema):
    id: int
    username: str
    name: str = Field(description="The name as ARMS writes it: family name first for Chinese names (陈磊), "
                                  "else given and family name; the username when the user has no name.")
    email: str
    roles: list[str]
    permissions: list[str]
    unread_notifications: int


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[NotificationOut]


class NotificationFilters(PageParams):
    unread: bool = False


@router.get("", response=MeOut, summary="The caller: roles, permissions, unread notifications")
def me(request):
    user = request.user
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": person_name(user),
        "email": user.email,
        "roles": sorted(user_roles(user)),
        "permissions": sorted(user.get_all_permissions()),
        "unread_notifications": notifications_unread(user),
    }


@router.get("/notifications", response=NotificationPage, summary="The caller's notifications, newest first")
def notification_list(request, filters: Query[NotificationFilters]):
    rows = notifications_of(user=request.user, unread_only=filters.unread)
    return paginate(rows, limit=filters.limit, offset=filters.offset)


@router.post("/notifications/{notification_id}/read", response=NotificationOut, summary="Mark one as read")
def notification_read(request, notification_id: int):
    row = notification_mark_read(user=request.user, notification_id=notification_id)
    if row is None:
        raise NotFound("no such notification", field="notification_id")
    return row


@router.post("/notifications/read-all", response=dict, summary="Mark all of the caller's notifications as read")
def notification_read_all(request):
    return {"marked": notifications_mark_all_read(user=request.user)}
