"""The read mentor suggestions need of mentoring's own tables: a program's mentors with the
mentees paired with each now, in one statement."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

MENTORS_WITH_LOAD = """
SELECT mentor.id, mentor.employee_id, count(pairing.id) AS load
  FROM mentors AS mentor
  LEFT JOIN mentorships AS pairing
    ON pairing.org_id = mentor.org_id AND pairing.mentor_id = mentor.id
   AND pairing.status = 'active'
 WHERE mentor.org_id = $1 AND mentor.program_id = $2 AND mentor.employee_id <> $3
   AND mentor.flagged_at IS NULL
 GROUP BY mentor.id
"""


async def mentors_with_load(
    session: AsyncSession, org_id: uuid.UUID, program_id: uuid.UUID, mentee_id: uuid.UUID
) -> list[asyncpg.Record]:
    """The program's mentors who qualify (not flagged), but the mentee, with their load."""
    return await fetch(session, MENTORS_WITH_LOAD, org_id, program_id, mentee_id)
