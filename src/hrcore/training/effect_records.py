"""Training's records as analytics counts them, in plain data: each enrolment with when it
was made, completed and its exam passed (and whether its course has a pass mark), the
action plans submitted, and the yearly points balances per category as the ledger keeps
them. Two statements for any number of people; nothing is recomputed."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

ENROLMENTS = """
SELECT n.id, n.employee_id, e.department_id, coalesce(c.category, '') AS category,
       n.created_at, n.completed_at, n.passed_at, c.pass_mark IS NOT NULL AS examined,
       p.submitted_at AS plan_submitted_at
  FROM training_enrolments n
  JOIN training_courses c ON c.org_id = n.org_id AND c.id = n.course_id
  JOIN employees e ON e.org_id = n.org_id AND e.id = n.employee_id
  LEFT JOIN training_action_plans p
         ON p.org_id = n.org_id AND p.enrolment_id = n.id AND p.submitted_at IS NOT NULL
 WHERE n.org_id = $1 AND n.status IN ('enrolled', 'completed')
   AND ($2::uuid[] IS NULL OR n.employee_id = ANY($2::uuid[]))
"""

BALANCES = """
SELECT b.employee_id, e.department_id, b.period, b.participation, b.outcome, b.sharing,
       b.total
  FROM points_balances b
  JOIN employees e ON e.org_id = b.org_id AND e.id = b.employee_id
 WHERE b.org_id = $1 AND length(b.period) = 4
   AND ($2::uuid[] IS NULL OR b.employee_id = ANY($2::uuid[]))
"""
"""Yearly periods only (`2026`): quarters and months are parts of them."""


@dataclass(frozen=True)
class EnrolmentRecord:
    """An enrolment not cancelled nor waitlisted; `examined`: its course has a pass mark."""

    id: uuid.UUID
    employee_id: uuid.UUID
    department_id: uuid.UUID | None
    category: str
    created_at: datetime
    completed_at: datetime | None
    passed_at: datetime | None
    examined: bool
    plan_submitted_at: datetime | None


@dataclass(frozen=True)
class YearPoints:
    employee_id: uuid.UUID
    department_id: uuid.UUID | None
    period: str
    participation: int
    outcome: int
    sharing: int
    total: int


@dataclass(frozen=True)
class TrainingRecords:
    enrolments: list[EnrolmentRecord]
    points: list[YearPoints]


async def training_records(
    session: AsyncSession, org_id: uuid.UUID, people: Sequence[uuid.UUID] | None
) -> TrainingRecords:
    """These people's enrolments and yearly points (None: everyone's), each with the
    person's current department."""
    ids = list(people) if people is not None else None
    enrolments = await fetch(session, ENROLMENTS, org_id, ids)
    points = await fetch(session, BALANCES, org_id, ids)
    return TrainingRecords(
        enrolments=[EnrolmentRecord(**dict(row)) for row in enrolments],
        points=[YearPoints(**dict(row)) for row in points],
    )
