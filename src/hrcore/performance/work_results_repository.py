"""Queries of work results, written once and run at the driver: the submitter's name and the
decider's display name joined in (the read-only name joins docs/architecture.md lists)."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

_SELECTED = """
SELECT w.id, w.employee_id, e.full_name AS employee_name, w.title, w.description, w.indicator,
       w.value, w.achieved_at, w.status, w.decided_by, u.display_name AS decided_by_name,
       w.decided_at, w.reason, w.observation_id, w.created_at
FROM work_results w
JOIN employees e ON e.org_id = w.org_id AND e.id = w.employee_id
LEFT JOIN users u ON u.org_id = w.org_id AND u.id = w.decided_by
"""

ONE = _SELECTED + "WHERE w.org_id = $1 AND w.id = $2"

PAGE = (
    _SELECTED
    + """WHERE w.org_id = $1
  AND ($2::uuid[] IS NULL OR w.employee_id = ANY($2::uuid[]))
  AND ($3::uuid IS NULL OR w.employee_id = $3)
  AND ($4::text IS NULL OR w.status = $4)
  AND ($5::uuid IS NULL OR w.id < $5)
ORDER BY w.id DESC
LIMIT $6"""
)
"""Newest first (ids are time-ordered), within the reach (`NULL`: the organization)."""


async def one(
    session: AsyncSession, org_id: uuid.UUID, result_id: uuid.UUID
) -> list[asyncpg.Record]:
    return await fetch(session, ONE, org_id, result_id)


async def page(
    session: AsyncSession,
    org_id: uuid.UUID,
    reach: list[uuid.UUID] | None,
    employee_id: uuid.UUID | None,
    status: str | None,
    before: uuid.UUID | None,
    limit: int,
) -> list[asyncpg.Record]:
    return await fetch(session, PAGE, org_id, reach, employee_id, status, before, limit)
