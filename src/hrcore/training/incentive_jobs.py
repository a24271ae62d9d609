"""Background work of incentives (thin: `incentive_evaluation` does the work): the job that
evaluates a queued period, and the hourly cron that queues periods as they end."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.jobs import JobContext
from hrcore.core.runtime import Runtime
from hrcore.identity import api as identity
from hrcore.training import incentive_evaluation

QUEUE_CRON = "training.queue_incentive_evaluations"


async def evaluate_incentives(ctx: JobContext) -> None:
    """A period was queued: its incentives are written."""
    if ctx.org_id is None:
        return
    await incentive_evaluation.evaluate(
        ctx.session, ctx.org_id, uuid.UUID(ctx.payload["evaluation_id"]), ctx.clock
    )


async def queue_evaluations(ctx: dict[str, Any]) -> int:
    """arq cron entry point (hourly: a quarter ends at midnight in each organization's time
    zone): how many periods were queued."""
    runtime: Runtime = ctx["runtime"]

    async def sweep(session: AsyncSession, org_id: uuid.UUID) -> int:
        return await incentive_evaluation.queue_ended(session, org_id, runtime.clock)

    return await identity.for_each_organization(
        runtime.sessionmaker, sweep, label="incentive evaluations"
    )
