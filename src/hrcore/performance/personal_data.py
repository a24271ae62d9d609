"""Performance's sections of a person's own-data export (`core.personal_data`): their goals
with key results, and their check-ins as the report sees them (agenda, shared notes, action
items — never the manager's private notes)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.performance.check_in_models import CheckIn, CheckInActionItem
from hrcore.performance.goals_models import Goal, GoalKeyResult


async def goals(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[dict[str, Any]]:
    found = list(
        await session.scalars(
            select(Goal)
            .where(Goal.org_id == org_id, Goal.employee_id == employee_id)
            .order_by(Goal.period, Goal.id)
        )
    )
    results: dict[uuid.UUID, list[dict[str, Any]]] = {}
    if found:
        key_results = await session.scalars(
            select(GoalKeyResult)
            .where(
                GoalKeyResult.org_id == org_id,
                GoalKeyResult.goal_id.in_([goal.id for goal in found]),
            )
            .order_by(GoalKeyResult.position)
        )
        for key_result in key_results:
            results.setdefault(key_result.goal_id, []).append(
                {
                    "title": key_result.title,
                    "unit": key_result.unit,
                    "start": key_result.start,
                    "target": key_result.target,
                    "weight": key_result.weight,
                }
            )
    return [
        {
            "period": goal.period,
            "title": goal.title,
            "description": goal.description,
            "status": goal.status,
            "key_results": results.get(goal.id, []),
        }
        for goal in found
    ]


async def check_ins(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[dict[str, Any]]:
    found = list(
        await session.scalars(
            select(CheckIn)
            .where(CheckIn.org_id == org_id, CheckIn.report_id == employee_id)
            .order_by(CheckIn.scheduled_at, CheckIn.id)
        )
    )
    items: dict[uuid.UUID, list[dict[str, Any]]] = {}
    if found:
        rows = await session.scalars(
            select(CheckInActionItem).where(
                CheckInActionItem.org_id == org_id,
                CheckInActionItem.check_in_id.in_([check_in.id for check_in in found]),
            )
        )
        for item in rows:
            items.setdefault(item.check_in_id, []).append(
                {"title": item.title, "due_on": item.due_on.isoformat()}
            )
    return [
        {
            "scheduled_at": check_in.scheduled_at.isoformat(),
            "status": check_in.status,
            "agenda": check_in.agenda,
            "shared_notes": check_in.shared_notes,
            "action_items": items.get(check_in.id, []),
        }
        for check_in in found
    ]
