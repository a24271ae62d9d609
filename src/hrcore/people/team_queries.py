"""Queries of a team's history: SQL written once, run at the driver (`core.db.fetch`). No
rules here."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

TEAM_HISTORY = """
SELECT 'member' AS part, NULL::text AS period, e.hire_date,
       NULL::bigint AS headcount, NULL::bigint AS leavers
FROM employees e
WHERE e.org_id = $1 AND e.department_id = ANY($2::uuid[]) AND e.status = 'active'
UNION ALL
SELECT 'period', s.period, NULL::date,
       (SELECT count(*) FROM employees e
        WHERE e.org_id = $1 AND e.department_id = ANY($2::uuid[]) AND e.hire_date <= s.starts_on
          AND NOT EXISTS (
              SELECT 1 FROM employment_events x
              WHERE x.org_id = $1 AND x.employee_id = e.id AND x.kind = 'exit'
                AND x.effective_date >= e.hire_date AND x.effective_date <= s.starts_on)),
       (SELECT count(DISTINCT x.employee_id)
        FROM employment_events x
        JOIN employees e ON e.org_id = x.org_id AND e.id = x.employee_id
        WHERE x.org_id = $1 AND x.kind = 'exit' AND e.department_id = ANY($2::uuid[])
          AND x.effective_date >= s.starts_on AND x.effective_date < s.ends_on)
FROM unnest($3::text[], $4::date[], $5::date[]) AS s(period, starts_on, ends_on)
"""
"""The hire dates of the departments' active employees (`member` rows), then per period
(`$3` names, `$4` first days, `$5` the days after) the headcount on its first day — hired by
then and not exited since that hire — and its leavers: exit events dated in it of
employees whose (last) department is one of these."""


async def team_history(
    session: AsyncSession,
    org_id: uuid.UUID,
    department_ids: Sequence[uuid.UUID],
    periods: Sequence[tuple[str, date, date]],
) -> list[asyncpg.Record]:
    return await fetch(
        session,
        TEAM_HISTORY,
        org_id,
        list(department_ids),
        [p[0] for p in periods],
        [p[1] for p in periods],
        [p[2] for p in periods],
    )
