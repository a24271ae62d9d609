"""Background work of imports (thin: the service does the work)."""

from __future__ import annotations

import uuid

from hrcore.core.jobs import JobContext, job
from hrcore.imports import service


@job(service.JOB, max_tries=3)
async def import_employees(context: JobContext) -> None:
    await service.run_queued(
        context.session,
        context.sessionmaker,
        uuid.UUID(str(context.payload["import_id"])),
        context.clock,
    )
