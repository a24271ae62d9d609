"""Background work of notification channels (thin: `sending` does the work)."""

from __future__ import annotations

import uuid

from hrcore.channels import sending
from hrcore.channels.config import config_from
from hrcore.core.jobs import JobContext


async def deliver(context: JobContext) -> None:
    if context.org_id is None:
        return
    await sending.deliver(
        context.session,
        context.sessionmaker,
        uuid.UUID(str(context.payload["delivery_id"])),
        org_id=context.org_id,
        job_attempt=context.attempt,
        config=config_from(context.settings),
        clock=context.clock,
    )
