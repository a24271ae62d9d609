"""Succession as analytics reads it: the key positions (the target positions of active
pools), their successors (active members of those pools) with their readiness, and the
appointments made from pools — each one statement for the whole organization, as plain
data."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

KEY_POSITIONS = """
SELECT DISTINCT p.id, p.title, p.department_id
FROM talent_pools tp
JOIN positions p ON p.id = tp.target_position_id AND p.org_id = tp.org_id
WHERE tp.org_id = $1 AND tp.active
  AND ($2::uuid[] IS NULL OR p.department_id = ANY($2::uuid[]))
ORDER BY p.title, p.id
"""

SUCCESSORS = """
SELECT DISTINCT ON (m.employee_id, p.id)
       m.id AS member_id, m.employee_id, p.id AS position_id, p.title,
       p.department_id, m.readiness, tp.name AS pool_name
FROM talent_pool_members m
JOIN talent_pools tp ON tp.id = m.pool_id AND tp.org_id = m.org_id
JOIN positions p ON p.id = tp.target_position_id AND p.org_id = tp.org_id
WHERE m.org_id = $1 AND tp.active AND m.status = 'active'
  AND ($2::uuid[] IS NULL OR m.employee_id = ANY($2::uuid[]))
ORDER BY m.employee_id, p.id,
         CASE m.readiness WHEN 'ready_now' THEN 0 WHEN 'one_to_two_years' THEN 1
                          WHEN 'three_plus_years' THEN 2 ELSE 3 END,
         m.id
"""

APPOINTMENTS = """
SELECT a.id, a.employee_id, v.position_id, p.title, v.department_id, a.effective_date
FROM vacancy_appointments a
JOIN vacancies v ON v.id = a.vacancy_id AND v.org_id = a.org_id
JOIN positions p ON p.id = v.position_id AND p.org_id = v.org_id
WHERE a.org_id = $1 AND a.member_id IS NOT NULL
  AND ($2::uuid[] IS NULL OR a.employee_id = ANY($2::uuid[]))
"""


@dataclass(frozen=True)
class KeyPosition:
    id: uuid.UUID
    title: str
    department_id: uuid.UUID


@dataclass(frozen=True)
class Successor:
    """An active member of a pool aiming at `position_id`; a person in two pools for the
    same position counts once, at their best readiness (None: not assessed)."""

    member_id: uuid.UUID
    employee_id: uuid.UUID
    position_id: uuid.UUID
    position_title: str
    department_id: uuid.UUID
    readiness: str | None
    pool_name: str


async def key_positions(
    session: AsyncSession, org_id: uuid.UUID, department_ids: Sequence[uuid.UUID] | None
) -> list[KeyPosition]:
    """The positions an active pool prepares for, in those departments (None: all)."""
    rows = await fetch(
        session, KEY_POSITIONS, org_id, list(department_ids) if department_ids is not None else None
    )
    return [KeyPosition(r["id"], r["title"], r["department_id"]) for r in rows]


async def successors(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID] | None
) -> list[Successor]:
    """The successors among those people (None: everyone) for every key position."""
    rows = await fetch(
        session, SUCCESSORS, org_id, list(employee_ids) if employee_ids is not None else None
    )
    return [
        Successor(
            r["member_id"],
            r["employee_id"],
            r["position_id"],
            r["title"],
            r["department_id"],
            r["readiness"],
            r["pool_name"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class PoolAppointment:
    """A vacancy filled from a pool: who, to which position (in the vacancy's department),
    from which day."""

    id: uuid.UUID
    employee_id: uuid.UUID
    position_id: uuid.UUID
    position_title: str
    department_id: uuid.UUID
    effective_date: date


async def pool_appointments(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID] | None
) -> list[PoolAppointment]:
    """The appointments from pools of those people (None: everyone)."""
    rows = await fetch(
        session, APPOINTMENTS, org_id, list(employee_ids) if employee_ids is not None else None
    )
    return [
        PoolAppointment(
            r["id"],
            r["employee_id"],
            r["position_id"],
            r["title"],
            r["department_id"],
            r["effective_date"],
        )
        for r in rows
    ]
