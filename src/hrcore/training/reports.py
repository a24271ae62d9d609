"""Training's reports of points and courses: points by category against the target weights
per department, and per course its classes, attendance and action plans. Each is a fixed
number of statements whatever the organization's size: the reach (one or two), the figures
(one), the weights (one)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.org import api as org
from hrcore.training import reports_repository as repository
from hrcore.training.ledger import DEFAULT_CATEGORY_WEIGHTS
from hrcore.training.models import PointCategory
from hrcore.training.reports_access import report_reach
from hrcore.training.reports_schemas import TrainingCoursesReport, TrainingPointsByCategory

_CATEGORIES = tuple(category.value for category in PointCategory)


async def points_by_category(
    session: AsyncSession,
    principal: Principal,
    period: str,
    department_id: uuid.UUID | None,
) -> TrainingPointsByCategory:
    """Each department's points of the period by category, their shares of the total and
    how far those are from the settings' target weights; the subtree as a whole first."""
    reach = await report_reach(session, principal, department_id)
    rows = await repository.points_by_department(
        session, principal.org_id, period, reach.department_ids
    )
    weights = await repository.category_weights(session, principal.org_id)
    targets = weights or DEFAULT_CATEGORY_WEIGHTS
    root = (
        await org.department_ref(session, principal.org_id, reach.root_id)
        if reach.root_id is not None
        else None
    )
    overall = {
        "people": sum(row["people"] for row in rows),
        **{name: sum(row[name] for row in rows) for name in (*_CATEGORIES, "total")},
    }
    return TrainingPointsByCategory.model_validate(
        {
            "period": period,
            "department": root,
            "overall": _figures(overall, targets),
            "departments": [
                {"department": {"id": row["id"], "name": row["name"]}, **_figures(row, targets)}
                for row in rows
            ],
        }
    )


def _figures(row: Mapping[str, Any], targets: Mapping[str, int]) -> dict[str, Any]:
    total = int(row["total"])
    figures: dict[str, Any] = {"people": row["people"], "total": total}
    for category in _CATEGORIES:
        share = round(100 * row[category] / total, 1) if total else None
        target = int(targets.get(category, 0))
        figures[category] = {
            "points": row[category],
            "share": share,
            "target": target,
            "gap": round(share - target, 1) if share is not None else None,
        }
    return figures


async def courses(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID | None
) -> TrainingCoursesReport:
    """Per course: classes, who enrolled, attended, came late and completed, and the action
    plans that followed (how many, their mean score, how many the company adopted) — counted
    over the people in reach; a department's report leaves out courses none of them took."""
    reach = await report_reach(session, principal, department_id)
    rows = await repository.course_figures(session, principal.org_id, reach.department_ids)
    return TrainingCoursesReport.model_validate({"items": [_course(row) for row in rows]})


def _course(row: asyncpg.Record) -> dict[str, Any]:
    enrolled = row["enrolled"]
    mean_score = row["mean_score"]
    return {
        "course": {"id": row["id"], "name": row["name"]},
        "mode": row["mode"],
        "sessions": row["sessions"],
        "enrolled": enrolled,
        "attended": row["attended"],
        "late": row["late"],
        "completed": row["completed"],
        "completion_rate": round(100 * row["completed"] / enrolled, 1) if enrolled else None,
        "action_plans": row["plans"],
        "mean_plan_score": round(mean_score, 1) if mean_score is not None else None,
        "adopted_plans": row["adopted"],
    }
