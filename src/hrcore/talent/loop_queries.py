"""Named queries for analytics' funnel and vacancy fill, in plain data: the pool memberships
ever activated and the vacancies filled, each one statement for the whole organization (or
some people), never a query per person."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch
from hrcore.core.schemas import Ref

MEMBERSHIPS = """
SELECT m.id, m.employee_id, m.status, m.activated_at, p.id AS pool_id, p.name AS pool_name,
       p.target_position_id
FROM talent_pool_members m
JOIN talent_pools p ON p.org_id = m.org_id AND p.id = m.pool_id
WHERE m.org_id = $1 AND m.activated_at IS NOT NULL AND m.activated_at <= $2
  AND ($3::uuid[] IS NULL OR m.employee_id = ANY($3::uuid[]))
"""

FILLED = """
SELECT v.id, v.department_id, v.opened_at, v.closed_at, a.employee_id,
       a.member_id IS NOT NULL AS from_pool,
       EXISTS (
           SELECT 1 FROM vacancy_applications x
           WHERE x.org_id = v.org_id AND x.vacancy_id = v.id
             AND x.employee_id = a.employee_id AND x.status = 'appointed'
       ) AS from_competition
FROM vacancies v
JOIN vacancy_appointments a ON a.org_id = v.org_id AND a.vacancy_id = v.id
WHERE v.org_id = $1 AND v.status = 'filled' AND v.closed_at <= $2
  AND ($3::uuid[] IS NULL OR a.employee_id = ANY($3::uuid[]))
"""


@dataclass(frozen=True)
class PoolMembership:
    """A membership that became active (whatever it is now: active, graduated, appointed,
    removed, left) and the position its pool prepares for (None: a job family's pool)."""

    id: uuid.UUID
    employee_id: uuid.UUID
    pool: Ref
    target_position_id: uuid.UUID | None
    status: str
    activated_at: datetime


@dataclass(frozen=True)
class FilledVacancy:
    """A vacancy filled by an appointment: who filled it and whether from inside — an
    active pool member's appointment (`from_pool`) or an internal competition's applicant
    (`from_competition`)."""

    id: uuid.UUID
    department_id: uuid.UUID
    employee_id: uuid.UUID
    opened_at: datetime
    filled_at: datetime
    from_pool: bool
    from_competition: bool


async def activated_memberships(
    session: AsyncSession,
    org_id: uuid.UUID,
    now: datetime,
    employee_ids: Sequence[uuid.UUID] | None,
) -> list[PoolMembership]:
    """Memberships activated by `now`, of these employees (None: everyone's)."""
    rows = await fetch(
        session, MEMBERSHIPS, org_id, now, list(employee_ids) if employee_ids is not None else None
    )
    return [
        PoolMembership(
            id=row["id"],
            employee_id=row["employee_id"],
            pool=Ref(id=row["pool_id"], name=row["pool_name"]),
            target_position_id=row["target_position_id"],
            status=row["status"],
            activated_at=row["activated_at"],
        )
        for row in rows
    ]


async def filled_vacancies(
    session: AsyncSession,
    org_id: uuid.UUID,
    now: datetime,
    appointee_ids: Sequence[uuid.UUID] | None,
) -> list[FilledVacancy]:
    """Vacancies filled by `now`, by these appointees (None: all of them)."""
    rows = await fetch(
        session, FILLED, org_id, now, list(appointee_ids) if appointee_ids is not None else None
    )
    return [
        FilledVacancy(
            id=row["id"],
            department_id=row["department_id"],
            employee_id=row["employee_id"],
            opened_at=row["opened_at"],
            filled_at=row["closed_at"],
            from_pool=row["from_pool"],
            from_competition=row["from_competition"],
        )
        for row in rows
    ]
