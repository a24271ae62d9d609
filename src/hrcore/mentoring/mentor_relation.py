"""The "mentor of" relation people's access asks about (`people.api.RelationProvider`): a
mentor reads their mentees' performance goals and development plan while a pairing runs."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

RELATION = "mentor_of"
RUNNING_MENTEES = """
SELECT DISTINCT mentee_employee_id
  FROM mentorships
 WHERE org_id = $1 AND mentor_employee_id = $2 AND status = 'active'
"""


async def running_mentees(
    session: AsyncSession, org_id: uuid.UUID, mentor_employee_id: uuid.UUID
) -> list[uuid.UUID]:
    """The employees the mentor is paired with in a running pairing; one statement."""
    rows = await fetch(session, RUNNING_MENTEES, org_id, mentor_employee_id)
    return [row["mentee_employee_id"] for row in rows]
