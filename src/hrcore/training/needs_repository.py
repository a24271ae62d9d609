"""The needs analysis's one query of training's own rows: the courses that address some
competencies, with who among some people has passed each."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

# Active courses tagged with any of `$2`, by name; `passed_by` the people of `$3` who passed
# the course: completed it when it has no exam, or passed its exam.
COURSES_ADDRESSING = """
SELECT course.id, course.name, course.mode, course.hours::float8 AS hours, course.points,
       course.competency_ids,
       coalesce(array_agg(DISTINCT enrolment.employee_id)
                FILTER (WHERE enrolment.employee_id IS NOT NULL), '{}') AS passed_by
  FROM training_courses AS course
  LEFT JOIN training_enrolments AS enrolment
    ON enrolment.org_id = course.org_id AND enrolment.course_id = course.id
   AND enrolment.employee_id = ANY($3::uuid[])
   AND (enrolment.passed_at IS NOT NULL
        OR (enrolment.status = 'completed' AND course.pass_mark IS NULL))
 WHERE course.org_id = $1 AND course.active AND course.competency_ids && $2::uuid[]
 GROUP BY course.id
 ORDER BY course.name, course.id
"""


async def courses_addressing(
    session: AsyncSession,
    org_id: uuid.UUID,
    competency_ids: Sequence[uuid.UUID],
    employee_ids: Sequence[uuid.UUID],
) -> list[asyncpg.Record]:
    """`COURSES_ADDRESSING` in one statement; none sent for no competencies."""
    if not competency_ids:
        return []
    return await fetch(
        session, COURSES_ADDRESSING, org_id, list(competency_ids), list(employee_ids)
    )
