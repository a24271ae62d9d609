"""Background work of retention (thin: `retention_purge` does the work)."""

from __future__ import annotations

from typing import Any

from hrcore.core.runtime import Runtime
from hrcore.privacy import retention_purge

APPLY_RETENTION = "privacy.apply_retention"


async def apply_retention(ctx: dict[str, Any]) -> int:
    """arq cron entry point (daily)."""
    runtime: Runtime = ctx["runtime"]
    return await retention_purge.apply_retention(runtime)
