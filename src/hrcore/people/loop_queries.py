"""Named queries for analytics' funnel, in plain data: some employees' posts (where a person
counts) and their promotions (an appointment), one statement each however many people."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

POSTS = """
SELECT id, department_id, position_id, status
FROM employees
WHERE org_id = $1 AND id = ANY($2::uuid[])
"""

PROMOTIONS = """
SELECT id, employee_id, effective_date, position_id
FROM employment_events
WHERE org_id = $1 AND kind = 'promotion' AND withdrawn_at IS NULL AND effective_date <= $2
  AND employee_id = ANY($3::uuid[])
"""


@dataclass(frozen=True)
class Post:
    """An employee's department and position now, and whether they still work here."""

    department_id: uuid.UUID
    position_id: uuid.UUID | None
    active: bool


@dataclass(frozen=True)
class Promotion:
    """A recorded promotion, not withdrawn: the employment event and the position it is to."""

    event_id: uuid.UUID
    employee_id: uuid.UUID
    effective_date: date
    position_id: uuid.UUID | None


async def posts_of(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Post]:
    """These employees' posts, leavers' included (their last post)."""
    if not employee_ids:
        return {}
    rows = await fetch(session, POSTS, org_id, list(employee_ids))
    return {
        row["id"]: Post(row["department_id"], row["position_id"], row["status"] != "exited")
        for row in rows
    }


async def promotions_of(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID], until: date
) -> list[Promotion]:
    """These employees' promotions effective by `until`."""
    if not employee_ids:
        return []
    rows = await fetch(session, PROMOTIONS, org_id, until, list(employee_ids))
    return [
        Promotion(row["id"], row["employee_id"], row["effective_date"], row["position_id"])
        for row in rows
    ]
