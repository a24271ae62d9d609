"""Background work of the workflow domain: the deadline sweep the worker's cron runs,
bringing a task's DingTalk to-do up to date, and giving tasks opened before DingTalk could
take them their to-dos."""

from __future__ import annotations

import uuid
from typing import Any

from hrcore.core.jobs import JobContext
from hrcore.core.runtime import Runtime
from hrcore.integrations import api as integrations
from hrcore.workflow import todo_backfill, todo_sync
from hrcore.workflow.sweep import sweep


async def sweep_deadlines(ctx: dict[str, Any]) -> int:
    """arq cron entry point (every minute): send due reminders and escalations."""
    runtime: Runtime = ctx["runtime"]
    return await sweep(runtime.sessionmaker, runtime.clock)


async def sync_todo(context: JobContext) -> None:
    """`workflow.sync_todo`: one attempt at a to-do's pending change (`todo_sync`)."""
    if context.org_id is None:
        return
    await todo_sync.sync_todo(
        context.session,
        context.org_id,
        uuid.UUID(str(context.payload["todo_id"])),
        config=integrations.config_from(context.settings),
        retry_base_seconds=context.settings.job_retry_base_seconds,
        clock=context.clock,
    )


def _id(value: Any) -> uuid.UUID | None:
    return uuid.UUID(str(value)) if value else None


async def backfill_todos(context: JobContext) -> None:
    """`workflow.backfill_todos`: one batch of open tasks without a to-do; run when the
    DingTalk app became usable or an employee became a DingTalk user (`todo_backfill`)."""
    if context.org_id is None:
        return
    await todo_backfill.backfill(
        context.session,
        context.org_id,
        assignee=_id(context.payload.get("employee_id")),
        after=_id(context.payload.get("after")),
    )
