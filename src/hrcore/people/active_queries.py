"""Reads over the active workforce: reporting lines, a subtree's people, and the posts a
ranking over a whole organization reads (kept apart from the repository's row reads)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import among, fetch
from hrcore.people.models import Employee
from hrcore.people.repository import LISTED_FROM, LISTED_NAMES


async def active_reports(
    session: AsyncSession, org_id: uuid.UUID, manager_ids: Sequence[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(manager id, report id) of the active direct reports of these managers."""
    if not manager_ids:
        return []
    rows = await session.execute(
        select(Employee.manager_id, Employee.id)
        .where(
            Employee.org_id == org_id,
            Employee.manager_id.in_(list(manager_ids)),
            Employee.status == "active",
        )
        .order_by(Employee.id)
    )
    return [(manager_id, report_id) for manager_id, report_id in rows.all() if manager_id]


async def active_ids_where(
    session: AsyncSession, org_id: uuid.UUID, department_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(Employee.id)
        .where(
            Employee.org_id == org_id,
            Employee.status == "active",
            among(Employee.department_id, department_ids),
        )
        .order_by(Employee.id)
    )
    return list(rows)


async def active_posts_where(
    session: AsyncSession,
    org_id: uuid.UUID,
    department_ids: Sequence[uuid.UUID],
    among_ids: Sequence[uuid.UUID] | None,
) -> Sequence[Row[Any]]:
    """The active employees of these departments (within `among_ids` unless None), each with
    their post's names joined, by name: one statement."""
    statement = (
        select(Employee.id, Employee.full_name, Employee.department_id, Employee.position_id)
        .add_columns(*LISTED_NAMES[:2])
        .select_from(LISTED_FROM)
        .where(Employee.org_id == org_id, Employee.status == "active")
        .where(among(Employee.department_id, department_ids))
    )
    if among_ids is not None:
        statement = statement.where(among(Employee.id, among_ids))
    return (await session.execute(statement.order_by(Employee.full_name, Employee.id))).all()


# One row of three arrays in (full name, id) order: a ranking over a whole organization reads
# ~100,000 people, and arrays cross the driver without a Python object per person; names are
# left to the page (`employee_refs`). The aggregates keep the subquery's order (one sort, not
# one per array).
ACTIVE_PEOPLE = """
SELECT coalesce(array_agg(id), '{}') AS ids,
       coalesce(array_agg(department_id), '{}') AS department_ids,
       coalesce(array_agg(position_id), '{}') AS position_ids
  FROM (SELECT id, department_id, position_id
          FROM employees
         WHERE org_id = $1 AND status = 'active' AND department_id = ANY($2::uuid[])
           AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))
         ORDER BY full_name, id) AS active
"""


# `ACTIVE_PEOPLE` for some employees wherever they are (mentoring's suggestions: a program's
# mentors across the organization).
ACTIVE_PEOPLE_AMONG = """
SELECT coalesce(array_agg(id), '{}') AS ids, coalesce(array_agg(full_name), '{}') AS names,
       coalesce(array_agg(department_id), '{}') AS department_ids,
       coalesce(array_agg(position_id), '{}') AS position_ids
  FROM (SELECT id, full_name, department_id, position_id
          FROM employees
         WHERE org_id = $1 AND status = 'active' AND id = ANY($2::uuid[])
         ORDER BY full_name, id) AS active
"""


async def active_people_among_ids(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> Any:
    """Which of these employees are active, as four parallel arrays by name: one statement."""
    rows = await fetch(session, ACTIVE_PEOPLE_AMONG, org_id, list(employee_ids))
    return rows[0]


async def active_people_where(
    session: AsyncSession,
    org_id: uuid.UUID,
    department_ids: Sequence[uuid.UUID],
    among_ids: Sequence[uuid.UUID] | None,
) -> Any:
    """The active employees of these departments (within `among_ids` unless None) as three
    parallel arrays in name order: one statement."""
    rows = await fetch(
        session,
        ACTIVE_PEOPLE,
        org_id,
        list(department_ids),
        None if among_ids is None else list(among_ids),
    )
    return rows[0]
