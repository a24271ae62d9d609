"""When people first finished a course (analytics' retention of trained managers): one
statement for any number of people."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

FIRST_COMPLETIONS = """
SELECT e.employee_id, min(greatest(e.completed_at, e.passed_at)) AS done_at
FROM training_enrolments e
JOIN training_courses c ON c.org_id = e.org_id AND c.id = e.course_id
WHERE e.org_id = $1 AND e.status = 'completed' AND e.completed_at IS NOT NULL
  AND (c.pass_mark IS NULL OR e.passed_at IS NOT NULL)
  AND ($2::uuid[] IS NULL OR e.employee_id = ANY($2::uuid[]))
GROUP BY e.employee_id
"""
"""Done as `completed_courses` counts it: completed and, for a course with a pass mark,
its exam passed — done when both hold."""


async def first_completions(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID] | None
) -> dict[uuid.UUID, datetime]:
    """When each of these employees (None: everyone) first finished a course; those who
    never did are absent."""
    wanted = list(employee_ids) if employee_ids is not None else None
    rows = await fetch(session, FIRST_COMPLETIONS, org_id, wanted)
    return {row["employee_id"]: row["done_at"] for row in rows}
