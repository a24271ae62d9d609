"""Background work of competencies (thin: the use cases do the work)."""

from __future__ import annotations

import uuid

from hrcore.competencies import profile_events, profiles
from hrcore.core.jobs import JobContext


async def recompute_profile(ctx: JobContext) -> None:
    """Recompute the profile of the employee whose evidence changed; a new snapshot is
    published to webhook subscribers (`competency_profile.changed`)."""
    if ctx.org_id is None:
        return
    employee_id = uuid.UUID(ctx.payload["employee_id"])
    now = ctx.clock.now()
    stored = await profiles.recompute(ctx.session, ctx.org_id, employee_id, ctx.settings, now)
    if stored:
        await profile_events.publish_many(ctx.session, ctx.org_id, stored)
