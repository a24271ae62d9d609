"""Background work of the workflow domain: the deadline sweep the worker's cron runs."""

from __future__ import annotations

from typing import Any

from hrcore.core.runtime import Runtime
from hrcore.workflow.sweep import sweep


async def sweep_deadlines(ctx: dict[str, Any]) -> int:
    """arq cron entry point (every minute): send due reminders and escalations."""
    runtime: Runtime = ctx["runtime"]
    return await sweep(runtime.sessionmaker, runtime.clock)
