"""Evaluating an ended period into incentives: queued once per organization and period (the
unique index on `incentive_evaluations`) by the hourly cron as soon as a quarter or a year has
ended where the organization is, or by an HR admin; run by the worker as a few set-based
statements (`incentive_queries`). A retried job finds the evaluation done, or rewrites
nothing (`ON CONFLICT DO NOTHING`)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, outbox
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.db import fetch
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.identity import api as identity
from hrcore.training import incentive_queries, incentive_rules
from hrcore.training.action_plan_repository import DUE_DAYS as PLAN_DUE_DAYS
from hrcore.training.incentive_models import EvaluationStatus, IncentiveEvaluation
from hrcore.training.incentive_periods import Period, last_ended, parse
from hrcore.training.incentive_schemas import IncentiveEvaluationIn

EVALUATE_JOB = "training.evaluate_incentives"
SUBJECT = "incentive_evaluation"


async def request(
    session: AsyncSession, principal: Principal, body: IncentiveEvaluationIn, clock: Clock
) -> IncentiveEvaluation:
    """An HR admin evaluates an ended period now rather than waiting for the cron: 422 for a
    period not ended yet, 409 for one evaluated (or queued) already. Audited."""
    require_hr_admin(principal)
    period = parse(body.period)
    timezone = await identity.org_timezone(session, principal.org_id)
    if clock.now() < period.ends(timezone):
        raise Unprocessable(
            _("Only an ended period can be evaluated"),
            errors=[FieldError(field="body.period", message=_("The period has not ended yet"))],
        )
    evaluation = await _queue(session, principal.org_id, period, principal.id)
    if evaluation is None:
        raise Conflict(_("The period {period} is evaluated already", period=period.name))
    audit.record(
        session,
        principal,
        f"{SUBJECT}.requested",
        SUBJECT,
        evaluation.id,
        org_id=principal.org_id,
        after={"period": period.name},
    )
    return evaluation


async def queue_ended(session: AsyncSession, org_id: uuid.UUID, clock: Clock) -> int:
    """The cron's share for one organization: the latest ended quarter and year, each queued
    unless it was before. How many were queued now."""
    timezone = await identity.org_timezone(session, org_id)
    queued = 0
    for period in last_ended(clock.now(), timezone):
        if await _queue(session, org_id, period, None) is not None:
            queued += 1
    return queued


async def _queue(
    session: AsyncSession, org_id: uuid.UUID, period: Period, requested_by: uuid.UUID | None
) -> IncentiveEvaluation | None:
    """The period's evaluation and its job, or None when it exists already."""
    evaluation_id = await session.scalar(
        insert(IncentiveEvaluation)
        .values(
            org_id=org_id,
            period=period.name,
            status=EvaluationStatus.QUEUED.value,
            requested_by=requested_by,
            version=1,
        )
        .on_conflict_do_nothing(index_elements=["org_id", "period"])
        .returning(IncentiveEvaluation.id)
    )
    if evaluation_id is None:
        return None
    outbox.enqueue(session, EVALUATE_JOB, {"evaluation_id": str(evaluation_id)}, org_id=org_id)
    return await session.get(IncentiveEvaluation, evaluation_id)


async def evaluate(
    session: AsyncSession, org_id: uuid.UUID, evaluation_id: uuid.UUID, clock: Clock
) -> None:
    """Write the period's incentives and mark the evaluation done (the job's work)."""
    evaluation = await session.scalar(
        select(IncentiveEvaluation)
        .where(IncentiveEvaluation.org_id == org_id, IncentiveEvaluation.id == evaluation_id)
        .with_for_update()
    )
    if evaluation is None or evaluation.status == EvaluationStatus.DONE:
        return
    await incentive_rules.ensure(session, org_id)
    period = parse(evaluation.period)
    if period.is_year:
        rows = await fetch(session, incentive_queries.YEAR_SQL, org_id, period.name)
    else:
        timezone = await identity.org_timezone(session, org_id)
        rows = await fetch(session, incentive_queries.QUARTER_SQL, org_id, period.name)
        rows += await fetch(
            session,
            incentive_queries.PROMOTION_SQL,
            org_id,
            period.name,
            period.last_twelve_months(),
            period.twelve_months_start(timezone),
            period.ends(timezone),
            PLAN_DUE_DAYS,
        )
    evaluation.status = EvaluationStatus.DONE.value
    evaluation.incentives = sum(row["written"] for row in rows)
    evaluation.evaluated_at = clock.now()
    await session.flush()
