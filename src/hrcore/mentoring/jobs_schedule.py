"""The background job planning a pairing's schedule as tasks when its plan is approved
(subscribed to `events.PLAN_APPROVED`), and the hourly cron catching up on plans the job
missed; thin: the rules are in `schedule`."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.jobs import JobContext
from hrcore.core.runtime import Runtime
from hrcore.identity import api as identity
from hrcore.mentoring import schedule

PLAN_SCHEDULE_JOB = "mentoring.plan_schedule"
CATCH_UP_CRON = "mentoring.catch_up_schedules"


async def plan_schedule(ctx: JobContext) -> None:
    """(Re)plan the approved pairing's tasks; running twice creates nothing twice."""
    if ctx.org_id is None:
        return
    await schedule.plan_schedule(
        ctx.session, ctx.org_id, uuid.UUID(ctx.payload["mentorship_id"]), ctx.clock
    )


async def catch_up_schedules(ctx: dict[str, Any]) -> int:
    """arq cron entry point (hourly): how many pairings' schedules were planned late."""
    runtime: Runtime = ctx["runtime"]

    async def catch_up(session: AsyncSession, org_id: uuid.UUID) -> int:
        return await schedule.catch_up(session, org_id, runtime.clock)

    return await identity.for_each_organization(
        runtime.sessionmaker, catch_up, label="mentoring schedule catch-up"
    )
