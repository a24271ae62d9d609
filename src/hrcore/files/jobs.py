"""Background work of files (thin: `uploads` does the work)."""

from __future__ import annotations

from typing import Any

from hrcore.core.runtime import Runtime
from hrcore.files import uploads


async def purge_unreferenced(ctx: dict[str, Any]) -> int:
    """arq cron entry point (hourly)."""
    runtime: Runtime = ctx["runtime"]
    return await uploads.purge_unreferenced(runtime.sessionmaker, runtime.clock, runtime.settings)
