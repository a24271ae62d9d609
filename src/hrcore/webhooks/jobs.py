"""Background work of webhooks (thin: the service does the work)."""

from __future__ import annotations

import uuid

from hrcore.core.jobs import JobContext
from hrcore.webhooks import service


async def deliver(context: JobContext) -> None:
    if context.org_id is None:
        return
    await service.deliver(
        context.session,
        context.sessionmaker,
        uuid.UUID(str(context.payload["delivery_id"])),
        org_id=context.org_id,
        job_attempt=context.attempt,
        config=service.config_from(context.settings),
        clock=context.clock,
    )
