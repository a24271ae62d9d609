"""Queries of development plans, their versions and comments; no rules, no HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies.models import (
    DevelopmentPlan,
    DevelopmentPlanComment,
    DevelopmentPlanVersion,
)
from hrcore.core.db import among, fetch

OPEN = ("draft", "submitted", "active")
_LISTED: tuple[Any, ...] = (
    DevelopmentPlan.id,
    DevelopmentPlan.employee_id,
    DevelopmentPlan.period,
    DevelopmentPlan.title,
    DevelopmentPlan.status,
    DevelopmentPlan.version,
    DevelopmentPlan.updated_at,
)
"""The list's columns."""
_COMMENT_COLUMNS: tuple[Any, ...] = (
    DevelopmentPlanComment.id,
    DevelopmentPlanComment.reply_to_id,
    DevelopmentPlanComment.author_id,
    DevelopmentPlanComment.body,
    DevelopmentPlanComment.created_at,
)


async def plan_by_id(
    session: AsyncSession, org_id: uuid.UUID, plan_id: uuid.UUID, *, for_update: bool = False
) -> DevelopmentPlan | None:
    statement = select(DevelopmentPlan).where(
        DevelopmentPlan.org_id == org_id, DevelopmentPlan.id == plan_id
    )
    found: DevelopmentPlan | None = await session.scalar(
        statement.with_for_update() if for_update else statement
    )
    return found


async def open_plan_id(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, period: str
) -> uuid.UUID | None:
    """The employee's open plan of the period (not rejected, not closed), if any."""
    found: uuid.UUID | None = await session.scalar(
        select(DevelopmentPlan.id).where(
            DevelopmentPlan.org_id == org_id,
            DevelopmentPlan.employee_id == employee_id,
            DevelopmentPlan.period == period,
            DevelopmentPlan.status.in_(OPEN),
        )
    )
    return found


CURRENT_PLAN = """
SELECT id, period, title, status, jsonb_array_length(goals) AS goals,
       jsonb_array_length(actions) AS actions, approved_at
  FROM development_plans
 WHERE org_id = $1 AND employee_id = $2 AND status IN ('draft', 'submitted', 'active')
 ORDER BY period DESC, id DESC
 LIMIT 1
"""


async def current_plan(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> asyncpg.Record | None:
    """The employee's current plan in brief (the panoramic profile's section), at the
    driver."""
    rows = await fetch(session, CURRENT_PLAN, org_id, employee_id)
    return rows[0] if rows else None


async def current_plan_id(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> uuid.UUID | None:
    """The employee's current plan: the open one of the latest period (active, submitted or
    draft), else None."""
    found: uuid.UUID | None = await session.scalar(
        select(DevelopmentPlan.id)
        .where(
            DevelopmentPlan.org_id == org_id,
            DevelopmentPlan.employee_id == employee_id,
            DevelopmentPlan.status.in_(OPEN),
        )
        .order_by(DevelopmentPlan.period.desc(), DevelopmentPlan.id.desc())
        .limit(1)
    )
    return found


def plans_seen(
    org_id: uuid.UUID,
    visible: Sequence[uuid.UUID] | None,
    employee_id: uuid.UUID | None,
    period: str | None,
) -> Select[Any]:
    """The plans of the employees in `visible` (None: the whole organization), the list's
    columns only, optionally one employee's or one period's."""
    statement = select(*_LISTED).where(DevelopmentPlan.org_id == org_id)
    if visible is not None:
        statement = statement.where(among(DevelopmentPlan.employee_id, visible))
    if employee_id is not None:
        statement = statement.where(DevelopmentPlan.employee_id == employee_id)
    if period is not None:
        statement = statement.where(DevelopmentPlan.period == period)
    return statement


async def versions_of(
    session: AsyncSession, org_id: uuid.UUID, plan_id: uuid.UUID
) -> list[DevelopmentPlanVersion]:
    """Every content version of the plan, oldest first."""
    rows = await session.scalars(
        select(DevelopmentPlanVersion)
        .where(DevelopmentPlanVersion.org_id == org_id, DevelopmentPlanVersion.plan_id == plan_id)
        .order_by(DevelopmentPlanVersion.version)
    )
    return list(rows.all())


def comments_of(org_id: uuid.UUID, plan_id: uuid.UUID) -> Select[Any]:
    """The plan's comments, the list's columns."""
    return select(*_COMMENT_COLUMNS).where(
        DevelopmentPlanComment.org_id == org_id, DevelopmentPlanComment.plan_id == plan_id
    )


async def comment_in_plan(
    session: AsyncSession, org_id: uuid.UUID, plan_id: uuid.UUID, comment_id: uuid.UUID
) -> bool:
    found = await session.scalar(
        select(DevelopmentPlanComment.id).where(
            DevelopmentPlanComment.org_id == org_id,
            DevelopmentPlanComment.plan_id == plan_id,
            DevelopmentPlanComment.id == comment_id,
        )
    )
    return found is not None


PLANS_ON_MODEL_VERSION = (
    "SELECT title || ' (' || period || ')' FROM development_plans"
    " WHERE org_id = {org} AND model_position_id = {position}"
    " AND model_department_id IS NOT DISTINCT FROM {department}"
    " AND model_version = {version} AND status NOT IN ('rejected', 'closed')"
)
"""An open plan (draft, submitted, active) whose goals were drawn from the version goes by
it (`model_uses.ModelVersionUse`)."""
