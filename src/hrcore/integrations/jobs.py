"""Background work of integrations (thin: the service does the work)."""

from __future__ import annotations

import uuid

from hrcore.core.jobs import JobContext
from hrcore.integrations import service


async def apply_dingtalk_event(context: JobContext) -> None:
    if context.org_id is None:
        return
    await service.apply_event(
        context.session,
        context.org_id,
        uuid.UUID(str(context.payload["event_id"])),
        clock=context.clock,
        config=service.config_from(context.settings),
    )
