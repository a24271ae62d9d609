"""A to-do ticked off in DingTalk (the `todo_task_update` event 「待办任务更新」, through the
verified callback): the task is completed through the same rules as
`POST /tasks/{id}/complete`.

DingTalk's HTTP push names the to-do (`taskId`) and the people on it (`UnionIdList`), not
its state (open.dingtalk.com "event-todo-task-update"): whether it is done is read back. Only
kinds completed by `complete_task` (the assignee ticks the task itself) whose task needs no
submission are completed this way, with the kind's submission validator and completion
hooks as always. Any other task (a report to write, a review to submit, an amendment to
confirm) cannot be finished by a tick: the event is `ignored` with a note and the to-do is
**re-opened**, so it stays in the person's DingTalk list with the link that opens the item.
A to-do no task of the organization has (another organization's, or one hrcore never made)
is ignored, logged. The tick is the assignee's own act: the task is completed by the
assignee's active account (`completed_by`, the audit's actor, `via: "dingtalk"` in its
`task.completed` entry); an assignee without an active account cannot act in hrcore, so
that tick is ignored and the to-do re-opened like any refused one.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.errors import ProblemError
from hrcore.core.i18n import N_, Text, _
from hrcore.core.labels import label
from hrcore.identity import api as identity
from hrcore.integrations import api as integrations
from hrcore.workflow import kinds, lifecycle, repository, todos
from hrcore.workflow.models import Task, TaskTodo

TODO_EVENT = "todo_task_update"
VIA = "dingtalk"
"""Where a ticked task was completed, in its `task.completed` audit entry."""
logger = logging.getLogger("hrcore.workflow")
Status = integrations.EventStatus


def _ignored(note: Text) -> integrations.Handled:
    return integrations.Handled(Status.IGNORED, note.render())


def _tickable(task: Task) -> bool:
    """Completed by the assignee's own tick: the generic operation, no submission needed."""
    operation = kinds.completion_json(task.kind, task.id, task.subject_id, task.completion_params)
    rule = kinds.rule_json(task.kind, task.submission_required, task.submission_rule)
    return operation["operation_id"] == kinds.COMPLETE_TASK.operation_id and not (
        rule and rule["required"]
    )


async def apply_todo_event(
    session: AsyncSession, event: integrations.InboundEvent
) -> integrations.Handled:
    """Complete the task whose to-do was ticked, where a tick may complete it."""
    todo_id = event.payload.get("taskId")
    todo = (
        await repository.todo_by_dingtalk_id(session, event.org_id, todo_id)
        if isinstance(todo_id, str) and todo_id
        else None
    )
    if todo is None or todo.union_id is None or event.workflow is None:
        logger.warning(
            "dingtalk to-do event for no task of the organization",
            extra={"org_id": str(event.org_id), "todo_id": str(todo_id)[:128]},
        )
        return _ignored(_("No task of this organization has it"))
    if not await integrations.todos_for(event.workflow).done(todo.union_id, str(todo_id)):
        return _ignored(_("The to-do is not done"))
    return await _complete_ticked(session, event, todo)


async def _complete_ticked(
    session: AsyncSession, event: integrations.InboundEvent, todo: TaskTodo
) -> integrations.Handled:
    task = await repository.task_by_id(session, event.org_id, todo.task_id, for_update=True)
    if task is None or task.status != "open":
        status = label(task.status) if task is not None else _("gone")
        return _ignored(_("The task is {status}", status=status))
    if not _tickable(task):
        todos.resync(session, todo, synced=todos.DONE)
        return _ignored(_(REOPENED))
    assignee = await _assignee(session, task)
    if assignee is None:
        todos.resync(session, todo, synced=todos.DONE)
        return _ignored(_(NO_ACCOUNT))
    todo.synced = todos.DONE
    await session.flush()
    try:
        async with session.begin_nested():
            await lifecycle.complete_task(
                session,
                org_id=event.org_id,
                task_id=task.id,
                clock=event.clock,
                actor=assignee,
                via=VIA,
            )
    except ProblemError as exc:
        todos.resync(session, todo, synced=todos.DONE)
        refusal = f"{exc.title}: {exc.detail or ''}".strip(": ")
        note = f"{_(REFUSED).render()} {refusal}"[:1000]
        return integrations.Handled(Status.IGNORED, note)
    return integrations.Handled(Status.APPLIED, _("The task was completed from DingTalk").render())


async def _assignee(session: AsyncSession, task: Task) -> Principal | None:
    """The assignee's active account, which the tick acts as; None without one."""
    accounts = await identity.user_ids_for_employees(
        session, task.org_id, [task.assignee_employee_id]
    )
    for user_id in sorted(accounts.get(task.assignee_employee_id, [])):
        principal = await identity.principal_for_user(session, task.org_id, user_id)
        if principal is not None:
            return principal
    return None


NO_ACCOUNT = N_(
    "The assignee has no active hrcore account to complete the task with: the to-do is re-opened"
)
REOPENED = N_(
    "This task is finished in hrcore (a submission or another operation), not by a tick: "
    "the to-do is re-opened"
)
REFUSED = N_("The task could not be completed, the to-do is re-opened:")
