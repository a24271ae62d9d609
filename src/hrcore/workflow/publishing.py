"""Task events for webhook subscribers (`task.completed`, `task.overdue`).

Event ids are derived from the task, the occurrence and the task's schedule, so a repeat is
delivered once and a rescheduled task that falls overdue again is a new event. Confidential
tasks are never published: even a payload without names would tell an integration when a
rater answered.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.webhooks import api as webhooks


class PublishedTask(Protocol):
    """What an event tells of a task: a `Task` row or the sweep's `DueTask`."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def kind(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def subject_type(self) -> str: ...
    @property
    def subject_id(self) -> uuid.UUID: ...
    @property
    def assignee_employee_id(self) -> uuid.UUID: ...
    @property
    def due_at(self) -> datetime: ...
    @property
    def status(self) -> str: ...
    @property
    def on_time(self) -> bool | None: ...
    @property
    def schedule(self) -> int: ...
    @property
    def confidential(self) -> bool: ...


def _event(task: PublishedTask) -> dict[str, Any]:
    return {
        "task_id": str(task.id),
        "kind": task.kind,
        "title": task.title,
        "subject": {"type": task.subject_type, "id": str(task.subject_id)},
        "assignee_employee_id": str(task.assignee_employee_id),
        "due_at": task.due_at.isoformat(),
        "status": task.status,
        "on_time": task.on_time,
    }


async def publish_many(
    session: AsyncSession,
    org_id: uuid.UUID,
    event: webhooks.EventType,
    tasks: Sequence[PublishedTask],
    occurrence: str,
) -> None:
    """Tell webhook subscribers of these tasks' `occurrence`, confidential ones left out."""
    tasks = [task for task in tasks if not task.confidential]
    if not tasks:
        return
    await webhooks.publish_many(
        session,
        org_id=org_id,
        event_type=event,
        events=(
            (
                _event(task),
                uuid.uuid5(
                    uuid.NAMESPACE_URL, f"hrcore:task:{task.id}:{occurrence}:s{task.schedule}"
                ),
            )
            for task in tasks
        ),
    )
