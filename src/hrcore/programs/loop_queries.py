"""A named query for analytics' funnel, in plain data: the program participations that
ended completed (every stage done) or graduated (ended by the participant's appointment),
one statement for the whole organization or some people."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch
from hrcore.core.schemas import Ref

COMPLETIONS = """
SELECT p.id, p.employee_id, p.status, p.ended_at, r.id AS run_id, r.name AS run_name
FROM program_participants p
JOIN program_runs r ON r.org_id = p.org_id AND r.id = p.run_id
WHERE p.org_id = $1 AND p.status IN ('completed', 'graduated') AND p.ended_at <= $2
  AND ($3::uuid[] IS NULL OR p.employee_id = ANY($3::uuid[]))
"""


@dataclass(frozen=True)
class ProgramCompletion:
    """A participation that ended `completed` or `graduated`, and when."""

    participant_id: uuid.UUID
    employee_id: uuid.UUID
    run: Ref
    status: str
    ended_at: datetime


async def program_completions(
    session: AsyncSession,
    org_id: uuid.UUID,
    now: datetime,
    employee_ids: Sequence[uuid.UUID] | None,
) -> list[ProgramCompletion]:
    """Participations of these employees (None: everyone's) completed or graduated by `now`."""
    rows = await fetch(
        session, COMPLETIONS, org_id, now, list(employee_ids) if employee_ids is not None else None
    )
    return [
        ProgramCompletion(
            participant_id=row["id"],
            employee_id=row["employee_id"],
            run=Ref(id=row["run_id"], name=row["run_name"]),
            status=row["status"],
            ended_at=row["ended_at"],
        )
        for row in rows
    ]
