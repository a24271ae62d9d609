"""Whether tasks were done by their deadlines, for analytics' on-time rates: the tasks of
some kinds that are due or done by a day, in one statement (docs/workflow.md)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

TIMELINESS = """
SELECT id, kind, assignee_employee_id, department_id, due_at, completed_at, on_time, status
FROM tasks
WHERE org_id = $1 AND kind = ANY($2::text[]) AND status <> 'cancelled'
  AND (status = 'completed' OR due_at <= $3)
  AND ($4::uuid[] IS NULL OR assignee_employee_id = ANY($4::uuid[]))
"""


@dataclass(frozen=True)
class TaskTimeliness:
    """A task that is done or past its deadline: `on_time` is None while it stays open."""

    id: uuid.UUID
    kind: str
    assignee_employee_id: uuid.UUID
    department_id: uuid.UUID
    due_at: datetime
    completed_at: datetime | None
    on_time: bool | None


async def task_timeliness(
    session: AsyncSession,
    org_id: uuid.UUID,
    kinds: Sequence[str],
    now: datetime,
    assignee_ids: Sequence[uuid.UUID] | None = None,
) -> list[TaskTimeliness]:
    """The tasks of `kinds` completed, or open past their deadline at `now` (cancelled
    ones are not counted), of these assignees (None: everyone's)."""
    rows = await fetch(
        session,
        TIMELINESS,
        org_id,
        list(kinds),
        now,
        list(assignee_ids) if assignee_ids is not None else None,
    )
    return [
        TaskTimeliness(
            row["id"],
            row["kind"],
            row["assignee_employee_id"],
            row["department_id"],
            row["due_at"],
            row["completed_at"],
            row["on_time"],
        )
        for row in rows
    ]
