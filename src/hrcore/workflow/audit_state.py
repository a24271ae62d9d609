"""What audit events record of a task's state (created, rescheduled, cancelled, completed)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from hrcore.workflow.models import Task


def state(
    status: str,
    due_at: datetime,
    assignee_employee_id: uuid.UUID,
    completed_at: datetime | None,
    on_time: bool | None,
) -> dict[str, Any]:
    return {
        "status": status,
        "due_at": due_at.isoformat(),
        "assignee_employee_id": str(assignee_employee_id),
        "completed_at": completed_at.isoformat() if completed_at else None,
        "on_time": on_time,
    }


def snapshot(task: Task) -> dict[str, Any]:
    return state(
        task.status, task.due_at, task.assignee_employee_id, task.completed_at, task.on_time
    )
