"""Background work of performance (thin: the use cases do the work)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import outbox
from hrcore.core.jobs import JobContext
from hrcore.core.metrics import DROPPED_RECOMPUTES
from hrcore.core.runtime import Runtime
from hrcore.identity import api as identity
from hrcore.performance import (
    alerts,
    dashboard_stream,
    diagnoses,
    live_scores,
    review_ratings,
    score_queue,
    team_settling,
)

log = logging.getLogger(__name__)


async def recompute_scores(ctx: JobContext) -> None:
    """Recompute the live scores of the employees and months gone stale (`score_queue`),
    with those the payload names (the demo seed's); while another recompute of the
    organization runs, hand the work to the pending job (deferred ones collapse into it)."""
    if ctx.org_id is None:
        return
    picked = await score_queue.pick(ctx.session, ctx.org_id)
    if picked is None:
        if ctx.payload:
            outbox.enqueue(ctx.session, live_scores.RECOMPUTE_JOB, ctx.payload, org_id=ctx.org_id)
        else:
            await outbox.enqueue_once(ctx.session, live_scores.RECOMPUTE_JOB, org_id=ctx.org_id)
        return
    months = picked.months
    for employee, named in ctx.payload.get("months", {}).items():
        months[employee] = sorted({*months.get(employee, []), *named})
    if months:
        months = await _recompute_isolating(ctx, ctx.org_id, months)
        dashboard_stream.announce(ctx.session, ctx.org_id, months)
        await alerts.sweep(ctx.session, ctx.org_id, ctx.clock, [uuid.UUID(e) for e in months])
    await score_queue.clear(ctx.session, ctx.org_id, picked)


DETERMINISTIC_FAILURES = (DataError, IntegrityError, ArithmeticError, ValueError, TypeError)
"""What a retry cannot mend: the data of an employee's month makes their recompute fail.
Anything else (a lost connection, a statement timeout) fails the job, which is retried."""


async def _recompute_isolating(
    ctx: JobContext, org_id: uuid.UUID, months: dict[str, list[str]]
) -> dict[str, list[str]]:
    """Recompute the months; when that fails on the data, employee by employee, so that one
    employee whose recompute always fails cannot hold up every later recompute of the
    organization (the stale keys are read oldest first): their keys are logged, counted
    (`hrcore_worker_dropped_recomputes_total`) and leave the queue, stale until their next
    observation; the others are stored. The employees recomputed are returned."""
    now = ctx.clock.now()
    try:
        async with ctx.session.begin_nested():
            await live_scores.recompute(ctx.session, org_id, months, now)
        return months
    except DETERMINISTIC_FAILURES:
        pass
    recomputed = {}
    for employee, periods in months.items():
        try:
            async with ctx.session.begin_nested():
                await live_scores.recompute(ctx.session, org_id, {employee: periods}, now)
        except DETERMINISTIC_FAILURES:
            log.exception(
                "live-score recompute of employee %s, months %s, failed on its data: dropped",
                employee,
                periods,
            )
            DROPPED_RECOMPUTES.inc(len(periods))
            continue
        recomputed[employee] = periods
    return recomputed


async def record_review_peer_ratings(ctx: JobContext) -> None:
    """A published review result's peer ratings become observations of mapped indicators."""
    if ctx.org_id is None:
        return
    await review_ratings.record_peer_ratings(
        ctx.session,
        ctx.org_id,
        uuid.UUID(ctx.payload["result_id"]),
        uuid.UUID(ctx.payload["published_by"]),
        threshold=ctx.settings.review_anonymity_threshold,
    )


async def sweep_decline_alerts(ctx: dict[str, Any]) -> int:
    """arq cron entry point (daily): every employee's decline alerts, one organization at a
    time (a `sum` period is judged once it is over)."""
    runtime: Runtime = ctx["runtime"]

    async def sweep(session: AsyncSession, org_id: uuid.UUID) -> int:
        return await alerts.sweep(session, org_id, runtime.clock)

    return await identity.for_each_organization(
        runtime.sessionmaker, sweep, label="performance decline alerts"
    )


async def open_diagnoses(ctx: dict[str, Any]) -> int:
    """arq cron entry point (daily): departments below target on an indicator for several
    ended periods in a row get a diagnosis and their head a task."""
    runtime: Runtime = ctx["runtime"]

    async def sweep(session: AsyncSession, org_id: uuid.UUID) -> int:
        return await diagnoses.open_diagnoses(session, org_id, runtime.clock)

    return await identity.for_each_organization(
        runtime.sessionmaker, sweep, label="performance diagnoses"
    )


async def settle_team_periods(ctx: dict[str, Any]) -> int:
    """arq cron entry point (daily): the department aggregates count moved, departed and
    rehired people where they are now (`team_settling`)."""
    runtime: Runtime = ctx["runtime"]
    return await identity.for_each_organization(
        runtime.sessionmaker, team_settling.settle, label="performance team periods"
    )
