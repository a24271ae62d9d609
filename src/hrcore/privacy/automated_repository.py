"""Queries of objections to automated evaluations: no rules, no HTTP."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch
from hrcore.privacy.automated_models import AutomatedEvaluationObjection, ObjectionStatus

LATEST = """
SELECT DISTINCT ON (evaluation_id) evaluation_id, id, status, created_at
FROM automated_evaluation_objections
WHERE org_id = $1 AND employee_id = $2
ORDER BY evaluation_id, created_at DESC, id DESC
"""


async def latest_objections(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> dict[str, dict[str, Any]]:
    """Each evaluation's latest objection of the employee (id, status, when), one statement."""
    rows = await fetch(session, LATEST, org_id, employee_id)
    return {row["evaluation_id"]: dict(row) for row in rows}


async def latest_objection(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, evaluation_id: str
) -> AutomatedEvaluationObjection | None:
    return await session.scalar(
        select(AutomatedEvaluationObjection)
        .where(
            AutomatedEvaluationObjection.org_id == org_id,
            AutomatedEvaluationObjection.employee_id == employee_id,
            AutomatedEvaluationObjection.evaluation_id == evaluation_id,
        )
        .order_by(
            AutomatedEvaluationObjection.created_at.desc(), AutomatedEvaluationObjection.id.desc()
        )
        .limit(1)
    )


async def open_objection_exists(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, evaluation_id: str
) -> bool:
    found = await session.scalar(
        select(AutomatedEvaluationObjection.id).where(
            AutomatedEvaluationObjection.org_id == org_id,
            AutomatedEvaluationObjection.employee_id == employee_id,
            AutomatedEvaluationObjection.evaluation_id == evaluation_id,
            AutomatedEvaluationObjection.status == ObjectionStatus.OPEN.value,
        )
    )
    return found is not None
