"""The background job making an action plan when an enrolment is completed (subscribed to
`events.ENROLMENT_COMPLETED`); thin: the rules are in `action_plans`."""

from __future__ import annotations

import uuid

from hrcore.core.jobs import JobContext
from hrcore.training import action_plans

CREATE_JOB = "training.create_action_plan"


async def create_action_plan(ctx: JobContext) -> None:
    """The completed enrolment's plan and task; a replayed event makes nothing twice."""
    if ctx.org_id is None:
        return
    await action_plans.create_after_course(
        ctx.session, ctx.org_id, uuid.UUID(ctx.payload["enrolment_id"])
    )
