"""Queries of the inbox. Every query is on (org_id, user_id): the mobile app polls these."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch, insert_new
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


_INBOX = (
    "SELECT n.id, n.kind, n.title, n.body, n.subject_type, n.subject_id, n.created_at,"
    " n.read_at, t.title AS subject_name, t.assignee_employee_id, e.full_name AS employee_name"
    " FROM notifications n LEFT JOIN tasks t ON n.subject_type = 'task'"
    " AND t.id = n.subject_id AND t.org_id = n.org_id"
    " AND (NOT t.confidential OR t.assignee_employee_id = $4)"
    " LEFT JOIN employees e ON e.id = t.assignee_employee_id AND e.org_id = t.org_id"
    " WHERE n.org_id = $1 AND n.user_id = $2"
)
_READ_STATE = {None: "", True: " AND n.read_at IS NULL", False: " AND n.read_at IS NOT NULL"}
INBOX_PAGES = {
    (unread, after): _INBOX
    + _READ_STATE[unread]
    + (" AND n.id < $5" if after else "")
    + " ORDER BY n.id DESC LIMIT $3"
    for unread in (None, True, False)
    for after in (False, True)
}
"""The inbox page by (read filter, has a cursor): written once, prepared once per connection.
A task's title and assignee are joined in (a confidential task's only for its assignee: an
escalation never names it)."""
UNREAD_COUNT = (
    "SELECT count(*) FROM notifications WHERE org_id = $1 AND user_id = $2 AND read_at IS NULL"
)


async def inbox_rows(
    session: AsyncSession,
    org_id: uuid.UUID,
    user_id: uuid.UUID,
    employee_id: uuid.UUID | None,
    *,
    unread: bool | None,
    before: uuid.UUID | None,
    limit: int,
) -> list[Any]:
    """Newest first (ids are time-ordered), below the id `before` when given; `employee_id`
    is the reader's (names of their own confidential tasks)."""
    sql = INBOX_PAGES[(unread, before is not None)]
    arguments = (org_id, user_id, limit, employee_id) + ((before,) if before is not None else ())
    return await fetch(session, sql, *arguments)


async def unread_count(session: AsyncSession, org_id: uuid.UUID, user_id: uuid.UUID) -> int:
    rows = await fetch(session, UNREAD_COUNT, org_id, user_id)
    return int(rows[0][0])


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


ONE = _INBOX + " AND n.id = $3"


async def one_row(
    session: AsyncSession,
    org_id: uuid.UUID,
    user_id: uuid.UUID,
    employee_id: uuid.UUID | None,
    notification_id: uuid.UUID,
) -> Any | None:
    """One of the user's notifications as the inbox shows it (None: not theirs)."""
    rows = await fetch(session, ONE, org_id, user_id, notification_id, employee_id)
    return rows[0] if rows else None
