"""Background work of people: future-dated moves take effect on their date. Thin: the rule
is in `employment_events.apply_due`."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.runtime import Runtime
from hrcore.identity import api as identity
from hrcore.people import employment_events


async def apply_due_changes(ctx: dict[str, Any]) -> int:
    """arq cron entry point (hourly, so a move takes effect within the first hour of its
    date wherever the organization is): pending employment events whose date has come."""
    runtime: Runtime = ctx["runtime"]

    async def apply(session: AsyncSession, org_id: uuid.UUID) -> int:
        return await employment_events.apply_due(session, org_id, runtime.clock)

    return await identity.for_each_organization(
        runtime.sessionmaker, apply, label="pending employment events"
    )
