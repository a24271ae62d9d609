"""Background work of competencies (thin: the use cases do the work)."""

from __future__ import annotations

import uuid

from hrcore.competencies import profiles
from hrcore.core.jobs import JobContext


async def recompute_profile(ctx: JobContext) -> None:
    """Recompute the profile of the employee whose evidence changed."""
    if ctx.org_id is None:
        return
    employee_id = uuid.UUID(ctx.payload["employee_id"])
    await profiles.recompute(ctx.session, ctx.org_id, employee_id, ctx.settings, ctx.clock.now())
