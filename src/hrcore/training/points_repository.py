"""Queries of the points reads, written once and run at the driver: balances for ranks and
boards (never a sum over the ledger), ledger pages with the names beside their ids (the
employee's and department's name and the recorder's display name are the read-only name
joins docs/architecture.md lists)."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

_ENTRIES = """
SELECT l.id, l.employee_id, e.full_name AS employee_name, l.rule_id, r.name AS rule_name,
       r.code, l.category, l.points, l.source_type, l.source_id, l.occurred_at, l.recorded_at,
       l.corrects_id, l.reason, l.recorded_by, u.display_name AS recorded_by_name
FROM points_ledger l
JOIN employees e ON e.org_id = l.org_id AND e.id = l.employee_id
LEFT JOIN point_rules r ON r.org_id = l.org_id AND r.id = l.rule_id
LEFT JOIN users u ON u.org_id = l.org_id AND u.id = l.recorded_by
"""

LEDGER_PAGE = (
    _ENTRIES
    + """WHERE l.org_id = $1
  AND ($2::uuid[] IS NULL OR l.employee_id = ANY($2::uuid[]))
  AND ($3::uuid IS NULL OR l.employee_id = $3)
  AND ($4::timestamptz IS NULL OR l.occurred_at >= $4)
  AND ($5::timestamptz IS NULL OR l.occurred_at < $5)
  AND ($6::text IS NULL OR l.category = $6)
  AND ($7::text IS NULL OR r.code = $7)
  AND ($8::timestamptz IS NULL OR l.occurred_at < $8 OR (l.occurred_at = $8 AND l.id < $9))
ORDER BY l.occurred_at DESC, l.id DESC
LIMIT $10
"""
)
"""Newest first, within the reach (`NULL`: the organization), the filters optional."""

LEDGER_ENTRY = _ENTRIES + "WHERE l.org_id = $1 AND l.id = $2"

MY_LATEST = (
    _ENTRIES
    + """WHERE l.org_id = $1 AND l.employee_id = $2 AND l.occurred_at >= $3 AND l.occurred_at < $4
ORDER BY l.occurred_at DESC, l.id DESC
LIMIT $5"""
)
"""One employee's latest entries in a period, on the ledger's (org, employee, occurred_at)
index whatever plan the prepared statement settles on (`LEDGER_PAGE`'s optional filters
would let a generic plan scan the organization's ledger)."""

MY_STANDING = """
WITH me AS (
    SELECT e.full_name, e.department_id, d.name AS department_name
    FROM employees e JOIN departments d ON d.org_id = e.org_id AND d.id = e.department_id
    WHERE e.org_id = $1 AND e.id = $3
), balance AS (
    SELECT participation, outcome, sharing, total FROM points_balances
    WHERE org_id = $1 AND period = $2 AND employee_id = $3
), colleagues AS (
    SELECT b.total FROM points_balances b
    JOIN employees x ON x.org_id = b.org_id AND x.id = b.employee_id
    WHERE b.org_id = $1 AND b.period = $2 AND x.department_id = (SELECT department_id FROM me)
)
SELECT me.full_name, me.department_id, me.department_name,
       balance.participation, balance.outcome, balance.sharing, balance.total,
       ranks.organization_count, ranks.organization_above,
       (SELECT count(*) FROM colleagues) AS department_count,
       (SELECT count(*) FROM colleagues WHERE total > balance.total) AS department_above,
       s.category_weights, s.badge_thresholds
FROM me
LEFT JOIN balance ON true
LEFT JOIN LATERAL (
    SELECT count(*) AS organization_count,
           count(*) FILTER (WHERE b.total > balance.total) AS organization_above
    FROM points_balances b WHERE b.org_id = $1 AND b.period = $2
) ranks ON true
LEFT JOIN training_settings s ON s.org_id = $1
"""
"""An employee's balance in a period, the ranks counted in one pass over the period on the
leaderboard's index, and the settings that weigh it: one statement."""

_BOARD = """
SELECT b.employee_id, e.full_name AS employee_name, e.department_id,
       d.name AS department_name, b.total, b.participation, b.outcome, b.sharing
FROM points_balances b
JOIN employees e ON e.org_id = b.org_id AND e.id = b.employee_id
JOIN departments d ON d.org_id = e.org_id AND d.id = e.department_id
WHERE b.org_id = $1 AND b.period = $2
"""
_AFTER = "AND b.total <= $3 AND (b.total < $3 OR b.employee_id > $4)\n"
_ORDER = "ORDER BY b.total DESC, b.employee_id LIMIT {limit}"
_IN_DEPARTMENTS = "AND e.department_id = ANY({departments}::uuid[])\n"

BOARD_FIRST = _BOARD + _ORDER.format(limit="$3")
BOARD_NEXT = _BOARD + _AFTER + _ORDER.format(limit="$5")
DEPARTMENT_BOARD_FIRST = (
    _BOARD + _IN_DEPARTMENTS.format(departments="$3") + _ORDER.format(limit="$4")
)
DEPARTMENT_BOARD_NEXT = (
    _BOARD + _AFTER + _IN_DEPARTMENTS.format(departments="$5") + _ORDER.format(limit="$6")
)
"""A period's board by total, then employee id (`ix_points_balances_leaderboard` serves the
organization's); the next page starts after the last row's (total, employee id)."""


async def ledger_page(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    reach: list[uuid.UUID] | None,
    employee_id: uuid.UUID | None,
    starts_at: datetime | None,
    ends_at: datetime | None,
    category: str | None,
    code: str | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[asyncpg.Record]:
    before_at, before_id = after if after else (None, None)
    return await fetch(
        session,
        LEDGER_PAGE,
        org_id,
        reach,
        employee_id,
        starts_at,
        ends_at,
        category,
        code,
        before_at,
        before_id,
        limit,
    )


async def ledger_entry(
    session: AsyncSession, org_id: uuid.UUID, entry_id: uuid.UUID
) -> asyncpg.Record | None:
    rows = await fetch(session, LEDGER_ENTRY, org_id, entry_id)
    return rows[0] if rows else None


async def my_latest(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    starts_at: datetime,
    ends_at: datetime,
    limit: int,
) -> list[asyncpg.Record]:
    return await fetch(session, MY_LATEST, org_id, employee_id, starts_at, ends_at, limit)


async def my_standing(
    session: AsyncSession, org_id: uuid.UUID, period: str, employee_id: uuid.UUID
) -> asyncpg.Record | None:
    rows = await fetch(session, MY_STANDING, org_id, period, employee_id)
    return rows[0] if rows else None


async def board(
    session: AsyncSession,
    org_id: uuid.UUID,
    period: str,
    *,
    departments: list[uuid.UUID] | None,
    after: tuple[int, uuid.UUID] | None,
    limit: int,
) -> list[asyncpg.Record]:
    """One page of a board: the organization's, or the people of `departments`."""
    if departments is None:
        if after is None:
            return await fetch(session, BOARD_FIRST, org_id, period, limit)
        return await fetch(session, BOARD_NEXT, org_id, period, *after, limit)
    if after is None:
        return await fetch(session, DEPARTMENT_BOARD_FIRST, org_id, period, departments, limit)
    return await fetch(session, DEPARTMENT_BOARD_NEXT, org_id, period, *after, departments, limit)
