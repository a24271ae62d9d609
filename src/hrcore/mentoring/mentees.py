"""When people were first mentored (analytics' retention of mentees): one statement for
any number of people."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

FIRST_PAIRINGS = """
SELECT mentee_employee_id AS employee_id, min(starts_on) AS starts_on
FROM mentorships
WHERE org_id = $1 AND status IN ('active', 'completed')
  AND ($2::uuid[] IS NULL OR mentee_employee_id = ANY($2::uuid[]))
GROUP BY mentee_employee_id
"""
"""A cancelled pairing mentored nobody; an active one counts from its first day."""


async def first_pairings(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID] | None
) -> dict[uuid.UUID, date]:
    """The first day each of these employees (None: everyone) was a mentee; those never
    mentored are absent."""
    wanted = list(employee_ids) if employee_ids is not None else None
    rows = await fetch(session, FIRST_PAIRINGS, org_id, wanted)
    return {row["employee_id"]: row["starts_on"] for row in rows}
