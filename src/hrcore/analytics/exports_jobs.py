"""Exports in the worker: building one, and the daily expiry of old ones."""

from __future__ import annotations

import uuid
from typing import Any

from hrcore.analytics import exports
from hrcore.core.jobs import JobContext
from hrcore.core.runtime import Runtime

EXPIRE_CRON = "analytics.expire_exports"


async def build_export(context: JobContext) -> None:
    if context.org_id is None:
        return
    await exports.build(
        context.session,
        context.org_id,
        uuid.UUID(str(context.payload["export_id"])),
        context.settings,
        context.clock,
    )


async def expire_exports(ctx: dict[str, Any]) -> int:
    """arq cron entry point (daily)."""
    runtime: Runtime = ctx["runtime"]
    return await exports.expire(runtime.sessionmaker, runtime.clock, runtime.settings)
