"""Queries of stretch assignments, their assignees and outcomes, and the set-based reads
matching ranks with; no rules, no HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies.models import (
    CompetencyEvidence,
    StretchAssignee,
    StretchAssignment,
    StretchOutcome,
)
from hrcore.core.db import among, fetch


def assignments_query(
    org_id: uuid.UUID,
    *,
    department_ids: Sequence[uuid.UUID] | None,
    department_id: uuid.UUID | None,
    status: str | None,
) -> Select[Any]:
    """The list's statement: the reach (`None`: every department) and the filters."""
    statement = select(StretchAssignment).where(StretchAssignment.org_id == org_id)
    if department_ids is not None:
        statement = statement.where(among(StretchAssignment.department_id, department_ids))
    if department_id is not None:
        statement = statement.where(StretchAssignment.department_id == department_id)
    if status is not None:
        statement = statement.where(StretchAssignment.status == status)
    return statement


async def taken(
    session: AsyncSession, org_id: uuid.UUID, assignment_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """How many people are on each of these assignments, in one statement."""
    if not assignment_ids:
        return {}
    rows = await session.execute(
        select(StretchAssignee.assignment_id, func.count())
        .where(
            StretchAssignee.org_id == org_id,
            among(StretchAssignee.assignment_id, assignment_ids),
        )
        .group_by(StretchAssignee.assignment_id)
    )
    return dict(rows.all())


async def assignees_of(
    session: AsyncSession, org_id: uuid.UUID, assignment_id: uuid.UUID
) -> list[StretchAssignee]:
    """The people on one assignment, in the order they were assigned."""
    rows = await session.scalars(
        select(StretchAssignee)
        .where(StretchAssignee.org_id == org_id, StretchAssignee.assignment_id == assignment_id)
        .order_by(StretchAssignee.created_at, StretchAssignee.id)
    )
    return list(rows)


async def involves(
    session: AsyncSession, org_id: uuid.UUID, assignment_id: uuid.UUID, employee_id: uuid.UUID
) -> bool:
    """Whether the employee is on the assignment or supervises someone on it."""
    found = await session.scalar(
        select(StretchAssignee.id)
        .where(
            StretchAssignee.org_id == org_id,
            StretchAssignee.assignment_id == assignment_id,
            (StretchAssignee.employee_id == employee_id)
            | (StretchAssignee.supervisor_id == employee_id),
        )
        .limit(1)
    )
    return found is not None


async def assignee_of(
    session: AsyncSession, org_id: uuid.UUID, assignment_id: uuid.UUID, employee_id: uuid.UUID
) -> StretchAssignee | None:
    """One person's row on one assignment, locked until the transaction ends."""
    row: StretchAssignee | None = await session.scalar(
        select(StretchAssignee)
        .where(
            StretchAssignee.org_id == org_id,
            StretchAssignee.assignment_id == assignment_id,
            StretchAssignee.employee_id == employee_id,
        )
        .with_for_update()
    )
    return row


async def outcomes_of(
    session: AsyncSession, org_id: uuid.UUID, assignee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, StretchOutcome]:
    """The outcomes recorded for these assignees, in one statement."""
    if not assignee_ids:
        return {}
    rows = await session.scalars(
        select(StretchOutcome).where(
            StretchOutcome.org_id == org_id, among(StretchOutcome.assignee_id, assignee_ids)
        )
    )
    return {row.assignee_id: row for row in rows}


async def outcome_of(
    session: AsyncSession, org_id: uuid.UUID, assignee_id: uuid.UUID
) -> StretchOutcome | None:
    row: StretchOutcome | None = await session.scalar(
        select(StretchOutcome).where(
            StretchOutcome.org_id == org_id, StretchOutcome.assignee_id == assignee_id
        )
    )
    return row


LOAD = """
SELECT a.employee_id,
       count(*) FILTER (WHERE a.status = 'active' AND s.status <> 'closed') AS open,
       array_agg(a.assignment_id) AS assignment_ids
  FROM stretch_assignees a
  JOIN stretch_assignments s ON s.id = a.assignment_id AND s.org_id = a.org_id
 WHERE a.org_id = $1 AND a.employee_id = ANY($2::uuid[])
 GROUP BY a.employee_id
"""


async def loads(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, set[uuid.UUID]]]:
    """Per employee: how many of their assignments are open (no outcome yet, not closed)
    and every assignment they are on, in one statement."""
    if not employee_ids:
        return {}
    rows = await fetch(session, LOAD, org_id, list(employee_ids))
    return {row["employee_id"]: (row["open"], set(row["assignment_ids"])) for row in rows}


OPEN_IN = """
SELECT id, title, department_id, starts_on, ends_on, competencies
  FROM stretch_assignments
 WHERE org_id = $1 AND status = 'open' AND department_id = ANY($2::uuid[])
 ORDER BY id
"""


async def open_assignments_in(
    session: AsyncSession, org_id: uuid.UUID, department_ids: Sequence[uuid.UUID]
) -> list[Any]:
    """The open assignments of these departments, oldest first: what matching shows of each
    and the competencies it develops."""
    return await fetch(session, OPEN_IN, org_id, list(department_ids))


async def drop_evidence_except(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    source_kind: str,
    source_id: uuid.UUID,
    competency_ids: Sequence[uuid.UUID],
) -> int:
    """Remove what a source event said about competencies it no longer names (a corrected
    outcome rates a competency list that changed); how many rows went."""
    result = await session.execute(
        delete(CompetencyEvidence).where(
            CompetencyEvidence.org_id == org_id,
            CompetencyEvidence.source_kind == source_kind,
            CompetencyEvidence.source_id == source_id,
            CompetencyEvidence.competency_id.not_in(list(competency_ids)),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def lock_load(session: AsyncSession, employee_id: uuid.UUID) -> None:
    """Serialize assignments of one person until the transaction ends, so two at once never
    both pass the capacity check."""
    key = f"stretch_load:{employee_id}"
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(key, 0))))


PLAN_ACTIONS = """
SELECT a.id, a.department_id, s.status AS assignee_status,
       o.figures, o.competencies, o.updated_at AS recorded_at
  FROM stretch_assignments AS a
  LEFT JOIN stretch_assignees AS s
    ON s.org_id = a.org_id AND s.assignment_id = a.id AND s.employee_id = $2
  LEFT JOIN stretch_outcomes AS o ON o.org_id = a.org_id AND o.assignee_id = s.id
 WHERE a.org_id = $1 AND a.id = ANY($3::uuid[])
"""


async def employee_on(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    assignment_ids: Sequence[uuid.UUID],
) -> list[Any]:
    """The organization's assignments among these, each with the employee's part in it
    (their assignee status and outcome; null when not on it), in one statement."""
    return await fetch(session, PLAN_ACTIONS, org_id, employee_id, list(assignment_ids))
