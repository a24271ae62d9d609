"""Analytics' background work: the refresh job (marks → facts → rollups), the subscription
job turning a domain event into marks, the cron marking figures due by time, and the talent
review report's drawing."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics import on_time, refresh, talent_review_report
from hrcore.analytics.catalog import FIGURES
from hrcore.core import outbox
from hrcore.core.jobs import JobContext
from hrcore.core.runtime import Runtime
from hrcore.identity import api as identity
from hrcore.workflow import api as workflow

EVENT_JOB = "analytics.note_event"
DUE_CRON = "analytics.mark_due"


async def refresh_figures(ctx: JobContext) -> None:
    """Bring the organization's stale figures up to date; while another refresh of it
    runs, leave the marks to the pending job."""
    if ctx.org_id is None:
        return
    if not await refresh.refresh(ctx.session, ctx.org_id, ctx.clock.now()):
        await outbox.enqueue_once(ctx.session, refresh.REFRESH_JOB, org_id=ctx.org_id)


async def note_event(ctx: JobContext) -> None:
    """Mark stale the figures listening to the event, for the person it names (its
    `employee_id`) or, when it names none, for everyone."""
    if ctx.org_id is None:
        return
    event = ctx.payload.get("event")
    figures = [figure.name for figure in FIGURES.values() if event in figure.events]
    person = ctx.payload.get("employee_id")
    people = [uuid.UUID(str(person))] if person else None
    await refresh.mark(ctx.session, ctx.org_id, figures, people)


async def draw_talent_review_report(ctx: JobContext) -> None:
    """Draw a talent review's report PDF asked for over HTTP."""
    if ctx.org_id is None:
        return
    await talent_review_report.draw_report(
        ctx.session,
        ctx.org_id,
        uuid.UUID(str(ctx.payload["report_id"])),
        ctx.settings,
        ctx.clock,
    )


async def note_completed_task(session: AsyncSession, task: workflow.TaskInfo, clock: Any) -> None:
    """A task counted by the on-time rates completed: its assignee's facts are recollected."""
    await refresh.mark(session, task.org_id, [on_time.NAME], [task.assignee_employee_id])


async def mark_due(ctx: dict[str, Any]) -> int:
    """arq cron entry point (each minute): figures whose time has come, in every
    organization; how many were marked."""
    runtime: Runtime = ctx["runtime"]

    async def due(session: AsyncSession, org_id: uuid.UUID) -> int:
        return await refresh.mark_due(session, org_id, runtime.clock.now())

    return await identity.for_each_organization(
        runtime.sessionmaker, due, label="analytics refresh marks"
    )
