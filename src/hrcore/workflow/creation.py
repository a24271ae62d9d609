"""Assigning tasks: one (`create_task`) or thousands in a fixed number of statements
(`create_tasks`, opening a review cycle).

Policies left `None` take the organization's defaults; the effective policy is snapshotted
on the task. A date-only due is the end of that day in the organization's time zone.
Every task gets a `task.created` audit event, and a DingTalk to-do where its assignee is a
DingTalk user (`todos`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, overload

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.db import insert_all
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import Text, _, render
from hrcore.core.models import new_id
from hrcore.identity import api as identity
from hrcore.people import api as people
from hrcore.workflow import audit_state, kinds, todos
from hrcore.workflow.models import Task
from hrcore.workflow.policies import effective_defaults
from hrcore.workflow.schedule import Timeline, due_in, next_action_at, timeline
from hrcore.workflow.schemas import EscalationPolicy, ReminderPolicy, TaskPolicy


@dataclass(frozen=True, slots=True)
class NewTask:
    """One task for `create_tasks`: the arguments of `create_task` that vary per task."""

    subject_type: str
    subject_id: uuid.UUID
    kind: str
    assignee_employee_id: uuid.UUID
    title: str | Text
    due: date | datetime
    reminder_policy: ReminderPolicy | None = None
    escalation_policy: EscalationPolicy | None = None
    submission_required: bool = False
    confidential: bool = False
    submission_rule: kinds.Requirement | None = None
    completion_params: Mapping[str, str] | None = None
    subject_employee_id: uuid.UUID | None = None


async def create_task(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    subject_type: str,
    subject_id: uuid.UUID,
    kind: str,
    assignee_employee_id: uuid.UUID,
    title: str | Text,
    due: date | datetime,
    reminder_policy: ReminderPolicy | None = None,
    escalation_policy: EscalationPolicy | None = None,
    submission_required: bool = False,
    confidential: bool = False,
    submission_rule: kinds.Requirement | None = None,
    completion_params: Mapping[str, str] | None = None,
    subject_employee_id: uuid.UUID | None = None,
    actor: Principal | None = None,
) -> uuid.UUID:
    """Assign a task to an employee of `org_id` (422 for an unknown employee); its id."""
    new = NewTask(
        subject_type=subject_type,
        subject_id=subject_id,
        kind=kind,
        assignee_employee_id=assignee_employee_id,
        title=title,
        due=due,
        reminder_policy=reminder_policy,
        escalation_policy=escalation_policy,
        submission_required=submission_required,
        confidential=confidential,
        submission_rule=submission_rule,
        completion_params=completion_params,
        subject_employee_id=subject_employee_id,
    )
    [row] = await _insert_tasks(session, org_id, [new], actor)
    task_id: uuid.UUID = row["id"]
    return task_id


async def create_tasks(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    tasks: Sequence[NewTask],
    actor: Principal | None = None,
) -> list[uuid.UUID]:
    """Create many tasks in a fixed number of statements (a review cycle opens tens of
    thousands); returns their ids in the order given.

    All or nothing: any unknown assignee (422 naming them) or invalid field refuses the
    batch before anything is written. Each task gets its own `task.created` audit event.
    """
    return [row["id"] for row in await _insert_tasks(session, org_id, tasks, actor)]


async def _insert_tasks(
    session: AsyncSession,
    org_id: uuid.UUID,
    tasks: Sequence[NewTask],
    actor: Principal | None,
) -> list[dict[str, Any]]:
    """Rows go in without ORM objects: for thousands, the unit of work's bookkeeping costs
    more than the insert."""
    if not tasks:
        return []
    tasks = await _titles_in_assignee_locales(session, org_id, tasks)
    departments = await _assignee_departments(session, org_id, tasks)
    defaults = await effective_defaults(session, org_id)
    line = await timeline(session, org_id)
    moments = {new.due: due_in(new.due, line.zone) for new in tasks}
    rows = [
        _task_row(
            org_id, new, departments[new.assignee_employee_id], moments[new.due], defaults, line
        )
        for new in tasks
    ]
    await insert_all(session, Task, rows)
    await audit.record_many(
        session, actor, "task.created", "task", _created_events(rows), org_id=org_id
    )
    await todos.open_todos(session, org_id, rows)
    return rows


@overload
async def due_after(
    session: AsyncSession, org_id: uuid.UUID, start: datetime, days: int
) -> datetime: ...
@overload
async def due_after(session: AsyncSession, org_id: uuid.UUID, start: date, days: int) -> date: ...
async def due_after(
    session: AsyncSession, org_id: uuid.UUID, start: date | datetime, days: int
) -> date | datetime:
    """A fixed length another domain gives a task ("reply within 5 days"), counted as the
    organization counts its tasks' days: working days on its calendar when its default task
    policy counts working days (reminders or escalations), else calendar days. A moment
    keeps its local time on the last working day. One statement in calendar days, three in
    working days."""
    defaults = await effective_defaults(session, org_id)
    if "working" not in (defaults.reminder.days_are, defaults.escalation.days_are):
        return start + timedelta(days=days)
    line = await timeline(session, org_id)
    if isinstance(start, datetime):
        return line.at(start, days, "working", hold=False)
    return line.calendar.add_working_days(start, days)


TITLE_LIMIT = 200


async def _titles_in_assignee_locales(
    session: AsyncSession, org_id: uuid.UUID, tasks: Sequence[NewTask]
) -> Sequence[NewTask]:
    """A title given as a `Text` is written in the assignee's language (their account's, else
    the organization's); titles people typed stay as they are."""
    if not any(isinstance(new.title, Text) for new in tasks):
        return tasks
    locales = await identity.employee_locales(
        session, org_id, [new.assignee_employee_id for new in tasks]
    )
    return [
        replace(new, title=render(new.title, locales[new.assignee_employee_id])[:TITLE_LIMIT])
        for new in tasks
    ]


def _created_events(rows: Sequence[dict[str, Any]]) -> list[tuple[uuid.UUID, dict[str, Any]]]:
    """Each new task's `task.created` audit: its state, kind and subject type."""
    return [
        (
            row["id"],
            audit_state.state(row["status"], row["due_at"], row["assignee_employee_id"], None, None)
            | {"kind": row["kind"], "subject_type": row["subject_type"]},
        )
        for row in rows
    ]


async def _assignee_departments(
    session: AsyncSession, org_id: uuid.UUID, tasks: Sequence[NewTask]
) -> dict[uuid.UUID, uuid.UUID]:
    """Each assignee's department (tasks are listed by it), in one query; 422 for unknowns."""
    wanted = list(dict.fromkeys(new.assignee_employee_id for new in tasks))
    found = await people.employee_summaries(session, org_id, wanted)
    unknown = [str(employee_id) for employee_id in wanted if employee_id not in found]
    if unknown:
        raise Unprocessable(
            "Unknown employee" if len(unknown) == 1 else "Unknown employees",
            errors=[
                FieldError(
                    field="assignee_employee_id",
                    message=_("no such employee: {employees}", employees=", ".join(unknown[:20])),
                )
            ],
        )
    return {employee_id: summary.department_id for employee_id, summary in found.items()}


def _require_text(field: str, value: str, limit: int) -> str:
    value = value.strip()
    if not value or len(value) > limit:
        raise Unprocessable(
            _("Invalid {field}", field=field),
            errors=[FieldError(field=field, message=_("1–{limit} characters", limit=limit))],
        )
    return value


def _task_row(
    org_id: uuid.UUID,
    new: NewTask,
    department_id: uuid.UUID,
    due_at: datetime,
    defaults: TaskPolicy,
    line: Timeline,
) -> dict[str, Any]:
    policy = TaskPolicy(
        reminder=new.reminder_policy or defaults.reminder,
        escalation=new.escalation_policy or defaults.escalation,
    )
    rule = kinds.effective_rule(new.kind, new.submission_required, new.submission_rule)
    kinds.check_params(new.kind, new.completion_params)
    return {
        "id": new_id(),
        "org_id": org_id,
        "subject_type": _require_text("subject_type", new.subject_type, 64),
        "subject_id": new.subject_id,
        "kind": _require_text("kind", new.kind, 64),
        "title": _require_text("title", render(new.title), 200),
        "assignee_employee_id": new.assignee_employee_id,
        "department_id": department_id,
        "due_at": due_at,
        "status": "open",
        "submission_required": rule is not None and rule.required,
        "subject_employee_id": new.subject_employee_id,
        "submission_rule": rule.as_json() if rule is not None else None,
        "completion_params": dict(new.completion_params) if new.completion_params else None,
        "confidential": new.confidential,
        "policy": policy.model_dump(mode="json"),
        "schedule": 1,
        "handled_until": None,
        "next_action_at": next_action_at(policy, line, due_at, after=None),
    }
