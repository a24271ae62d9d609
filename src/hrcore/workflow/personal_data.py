"""Workflow's section of a person's own-data export (`core.personal_data`): the tasks
assigned to them, newest first."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.workflow.models import Task


async def tasks_assigned(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> list[dict[str, Any]]:
    rows = await session.execute(
        select(Task.id, Task.kind, Task.title, Task.status, Task.due_at, Task.completed_at)
        .where(Task.org_id == org_id, Task.assignee_employee_id == employee_id)
        .order_by(Task.due_at.desc(), Task.id)
    )
    return [
        {
            "id": str(row.id),
            "kind": row.kind,
            "title": row.title,
            "status": row.status,
            "due_at": row.due_at.isoformat(),
            "completed_at": row.completed_at.isoformat() if row.completed_at else None,
        }
        for row in rows
    ]
