"""Background work of talent pools (thin: the service does the work)."""

from __future__ import annotations

import uuid

from hrcore.core.jobs import JobContext, job
from hrcore.talent import service, succession


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


@job(succession.OPEN_VACANCY_JOB)
async def open_vacancy_for_vacated_post(context: JobContext) -> None:
    """Subscribed to people's employment events: a management post left opens a vacancy."""
    if context.org_id is None:
        return
    await succession.open_vacancy_for_vacated_post(
        context.session, context.org_id, uuid.UUID(str(context.payload["event_id"])), context.clock
    )
