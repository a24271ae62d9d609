"""Background work of imports (thin: the service does the work)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from hrcore.core.jobs import JobContext
from hrcore.core.runtime import Runtime
from hrcore.imports import service


async def run_import(context: JobContext) -> None:
    """A queued import of any kind, as the user who uploaded it."""
    await service.run_queued(
        context.session,
        context.sessionmaker,
        uuid.UUID(str(context.payload["import_id"])),
        context.clock,
    )


async def fail_stalled_imports(ctx: dict[str, Any]) -> int:
    """arq cron entry point (every five minutes): running imports whose worker died."""
    runtime: Runtime = ctx["runtime"]
    stall = timedelta(minutes=runtime.settings.import_stall_minutes)
    return await service.fail_stalled_imports(runtime.sessionmaker, runtime.clock, stall)
