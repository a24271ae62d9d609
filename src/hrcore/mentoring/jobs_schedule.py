"""The background job planning a pairing's schedule as tasks when its plan is approved
(subscribed to `events.PLAN_APPROVED`); thin: the rules are in `schedule`."""

from __future__ import annotations

import uuid

from hrcore.core.jobs import JobContext
from hrcore.mentoring import schedule

PLAN_SCHEDULE_JOB = "mentoring.plan_schedule"


async def plan_schedule(ctx: JobContext) -> None:
    """(Re)plan the approved pairing's tasks; running twice creates nothing twice."""
    if ctx.org_id is None:
        return
    await schedule.plan_schedule(
        ctx.session, ctx.org_id, uuid.UUID(ctx.payload["mentorship_id"]), ctx.clock
    )
