"""Who finished a development program and when (analytics' retention of program
graduates): one statement for any number of people."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

FIRST_GRADUATIONS = """
SELECT employee_id, min(ended_at) AS graduated_at
FROM program_participants
WHERE org_id = $1 AND status IN ('completed', 'graduated') AND ended_at IS NOT NULL
  AND ($2::uuid[] IS NULL OR employee_id = ANY($2::uuid[]))
GROUP BY employee_id
"""


async def first_graduations(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID] | None
) -> dict[uuid.UUID, datetime]:
    """When each of these employees (None: everyone) first completed a program's stages or
    graduated from it through an appointment; those who never did are absent."""
    wanted = list(employee_ids) if employee_ids is not None else None
    rows = await fetch(session, FIRST_GRADUATIONS, org_id, wanted)
    return {row["employee_id"]: row["graduated_at"] for row in rows}
