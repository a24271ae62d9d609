"""Background work of integrations (thin: `directory_sync` does the work)."""

from __future__ import annotations

import uuid

from hrcore.core.jobs import JobContext
from hrcore.integrations import directory_sync
from hrcore.integrations.config import config_from


async def apply_dingtalk_event(context: JobContext) -> None:
    if context.org_id is None:
        return
    await directory_sync.apply_event(
        context.session,
        context.org_id,
        uuid.UUID(str(context.payload["event_id"])),
        clock=context.clock,
        config=config_from(context.settings),
    )
