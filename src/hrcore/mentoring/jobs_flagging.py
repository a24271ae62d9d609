"""The nightly cron that flags mentors who stopped qualifying (`flagging.reevaluate`), one
organization at a time."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.runtime import Runtime
from hrcore.identity import api as identity
from hrcore.mentoring import flagging

FLAG_CRON = "mentoring.flag_mentors"


async def flag_mentors(ctx: dict[str, Any]) -> int:
    """arq cron entry point (nightly): how many mentors were flagged or cleared."""
    runtime: Runtime = ctx["runtime"]

    async def sweep(session: AsyncSession, org_id: uuid.UUID) -> int:
        return await flagging.reevaluate(session, org_id, runtime.clock)

    return await identity.for_each_organization(
        runtime.sessionmaker, sweep, label="mentor flagging"
    )
