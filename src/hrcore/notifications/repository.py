"""Queries of the inbox. Every query is on (org_id, user_id): the mobile app polls these."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import insert_new
from hrcore.notifications.models import Notification


async def insert_many(
    session: AsyncSession, rows: Sequence[dict[str, Any]]
) -> list[tuple[uuid.UUID, uuid.UUID, str]]:
    """Insert, skipping (user, dedupe_key) pairs that exist; returns (id, user, key) of the new."""
    new = await insert_new(
        session,
        Notification,
        rows,
        unique=["org_id", "user_id", "dedupe_key"],
        returning=[Notification.id, Notification.user_id, Notification.dedupe_key],
    )
    return [(notification_id, user_id, key) for notification_id, user_id, key in new]


def inbox_query(org_id: uuid.UUID, user_id: uuid.UUID, *, unread: bool | None) -> Select[Any]:
    statement = select(Notification).where(
        Notification.org_id == org_id, Notification.user_id == user_id
    )
    if unread is True:
        statement = statement.where(Notification.read_at.is_(None))
    elif unread is False:
        statement = statement.where(Notification.read_at.is_not(None))
    return statement


async def unread_count(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count()).where(
            Notification.org_id == org_id,
            Notification.user_id == user_id,
            Notification.read_at.is_(None),
        )
    )
    return int(count or 0)


async def mark_read(
    session: AsyncSession,
    org_id: uuid.UUID,
    user_id: uuid.UUID,
    at: datetime,
    notification_id: uuid.UUID | None = None,
) -> int:
    """Mark one (or, without an id, every) unread notification of the user as read."""
    statement = (
        update(Notification)
        .where(
            Notification.org_id == org_id,
            Notification.user_id == user_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=at)
    )
    if notification_id is not None:
        statement = statement.where(Notification.id == notification_id)
    result = await session.execute(statement.execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


async def by_id(
    session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID, notification_id: uuid.UUID
) -> Notification | None:
    return await session.scalar(
        select(Notification).where(
            Notification.org_id == org_id,
            Notification.user_id == user_id,
            Notification.id == notification_id,
        )
    )
