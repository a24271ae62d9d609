"""Queries of inbound integrations. Tenant tables are also filtered by RLS."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.integrations.models import DingTalkEvent, DingTalkIntegration


async def dingtalk_integration(
    session: AsyncSession, org_id: uuid.UUID
) -> DingTalkIntegration | None:
    return await session.scalar(
        select(DingTalkIntegration).where(DingTalkIntegration.org_id == org_id)
    )


async def insert_event(session: AsyncSession, values: dict[str, Any]) -> uuid.UUID | None:
    """Insert an event unless its (org, dedup key) exists; the new id, or None for a replay."""
    result = await session.execute(
        insert(DingTalkEvent)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["org_id", "dedup_key"])
        .returning(DingTalkEvent.id)
    )
    return result.scalar_one_or_none()


async def event_by_id(
    session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID
) -> DingTalkEvent | None:
    return await session.scalar(
        select(DingTalkEvent).where(DingTalkEvent.org_id == org_id, DingTalkEvent.id == event_id)
    )


async def finish_event(
    session: AsyncSession,
    event_id: uuid.UUID,
    *,
    status: str,
    error: str | None,
    at: datetime,
) -> bool:
    """Move a `received` event to its outcome; False when another run already did."""
    result = await session.execute(
        update(DingTalkEvent)
        .where(DingTalkEvent.id == event_id, DingTalkEvent.status == "received")
        .values(status=status, error=error, applied_at=at)
        .returning(DingTalkEvent.id)
        .execution_options(synchronize_session=False)
    )
    return result.scalar_one_or_none() is not None


def events_query(org_id: uuid.UUID, *, status: str | None) -> Any:
    statement = select(DingTalkEvent).where(DingTalkEvent.org_id == org_id)
    if status is not None:
        statement = statement.where(DingTalkEvent.status == status)
    return statement


async def approval_process_code(session: AsyncSession, org_id: uuid.UUID, kind: str) -> str | None:
    """The DingTalk process code `kind` runs under, when the integration is active."""
    code = await session.scalar(
        select(DingTalkIntegration.approval_processes[kind].astext).where(
            DingTalkIntegration.org_id == org_id, DingTalkIntegration.active.is_(True)
        )
    )
    return str(code) if code else None
