"""To-dos for tasks opened before they could have one: before the organization's DingTalk
app was configured (or switched back on, or replaced), or before their assignee became a
DingTalk user. Integrations announces the app (`DINGTALK_APP_READY`) and people a new
DingTalk link (`EMPLOYEE_DINGTALK_LINKED`); workflow subscribes this job to both.

When the app is announced, to-dos that failed because the organization had no active app
(switched off between a task's creation and the worker's call) go back to the worker first.
Then the job walks the open tasks that have no to-do row — all of the organization's, or one
person's — in id order, `BACKFILL_BATCH` at a time, each batch in its own job (the next one
queued with the last id), so a large organization never holds one long transaction. Each
batch costs the same few statements however many tasks it holds. A to-do row is unique per
task, so a run that races with a new task, or a second announcement, adds nothing twice;
the rows go to the worker's usual `workflow.sync_todo`, which creates each to-do once by its
`sourceId`.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import outbox
from hrcore.integrations import api as integrations
from hrcore.workflow import repository, todos
from hrcore.workflow.todo_sync import NO_APP

BACKFILL_JOB = "workflow.backfill_todos"
BACKFILL_BATCH = 500


async def backfill(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    assignee: uuid.UUID | None,
    after: uuid.UUID | None,
) -> int:
    """One batch of open tasks without a to-do (of `assignee`, else everyone's) after the
    task id `after`; queues the next batch when this one was full. How many to-dos it
    added."""
    if not await integrations.has_app(session, org_id):
        return 0
    if assignee is None and after is None:  # the app's announcement, before its first batch
        todos.queue(session, org_id, await repository.reopen_failed(session, org_id, NO_APP))
    batch = BACKFILL_BATCH
    tasks = await repository.open_tasks_without_todo(
        session, org_id, assignee=assignee, after=after, limit=batch
    )
    if not tasks:
        return 0
    added = await todos.open_missing(session, org_id, tasks)
    if len(tasks) == batch:
        outbox.enqueue(
            session,
            BACKFILL_JOB,
            {
                "employee_id": str(assignee) if assignee else None,
                "after": str(tasks[-1]["id"]),
            },
            org_id=org_id,
        )
    return added
