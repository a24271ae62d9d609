"""The caller's inbox."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.notifications import service
from hrcore.notifications.schemas import InboxPage, NotificationOut, ReadAll

router = APIRouter(route_class=HrcoreRoute, tags=["notifications"])


@router.get(
    "/me/notifications",
    operation_id="list_my_notifications",
    summary="My inbox, newest first, with the unread count",
)
async def list_my_notifications(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    unread: Annotated[bool | None, Query(description="Only unread (true) or read (false).")] = None,
) -> InboxPage:
    """For the signed-in user (an integration key has no inbox: 403): their own notifications,
    newest first, cursor-paginated, with the unread count; filter with `unread`. Cheap to poll:
    send the `ETag` back as `If-None-Match` and an unchanged inbox answers 304."""
    return await service.inbox(session, principal, page, unread=unread)


@router.post(
    "/me/notifications/{notification_id}/read",
    operation_id="read_notification",
    summary="Mark one notification as read",
)
async def read_notification(
    notification_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> NotificationOut:
    """Marks one of the caller's own notifications as read and returns it; marking it again changes
    nothing. Another user's notification is a 404."""
    return await service.mark_read(session, principal, notification_id, clock)


@router.post(
    "/me/notifications/read-all",
    operation_id="read_all_notifications",
    summary="Mark every notification as read",
)
async def read_all_notifications(
    principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> ReadAll:
    """Marks every unread notification of the caller as read and says how many were marked."""
    return ReadAll(marked=await service.mark_all_read(session, principal, clock))
