"""Background work of talent pools (thin: the service does the work)."""

from __future__ import annotations

import uuid

from hrcore.core.jobs import JobContext, job
from hrcore.talent import service


@job(service.LEFT_JOB)
async def end_memberships_of_leaver(context: JobContext) -> None:
    """Subscribed to people's employment events; only an exit ends memberships."""
    if context.org_id is None or context.payload.get("kind") != "exit":
        return
    await service.end_memberships_of_leaver(
        context.session,
        context.org_id,
        uuid.UUID(str(context.payload["employee_id"])),
        context.clock,
    )
