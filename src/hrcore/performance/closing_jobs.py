"""The cron that closes periods a grace period after their end (thin: `closing.close_due`)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.runtime import Runtime
from hrcore.identity import api as identity
from hrcore.performance import closing


async def close_due_periods(ctx: dict[str, Any]) -> int:
    """arq cron entry point (hourly, so a period closes within the first hour of its day
    wherever the organization is): periods whose grace days have passed."""
    runtime: Runtime = ctx["runtime"]

    async def close(session: AsyncSession, org_id: uuid.UUID) -> int:
        return await closing.close_due(session, org_id, runtime.clock)

    return await identity.for_each_organization(
        runtime.sessionmaker, close, label="performance period close"
    )
