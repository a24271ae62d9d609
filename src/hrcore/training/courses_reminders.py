"""The reminder of a seat in a session: a workflow task for the enrolled employee, due at the
session's start and reminded 3 days before, that checking in completes.

Its id is kept on the enrolment (`reminder_task_id`). Moving the session moves the task;
cancelling the enrolment or the session withdraws it; check-in (another part of training)
calls `complete_reminder` once it has set `checked_in_at`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.core.errors import Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.training.models import CourseSession, Enrolment
from hrcore.workflow import api as workflow

REMINDER_KIND = "training_session_reminder"
SUBJECT_TYPE = "training_enrolment"
REMINDER_DAYS = 3
TITLE = N_("Attend {course}")

CHECK_IN = workflow.Operation(
    "check_in_course_session", "POST", "/course-sessions/{session_id}/check-in"
)
"""What completes the reminder: checking in to the session (its id from the task's
completion parameters)."""

INBOX_NAMES = (
    "SELECT e.id, c.name, e.employee_id FROM training_enrolments e"
    " JOIN training_courses c ON c.org_id = e.org_id AND c.id = e.course_id"
    " WHERE e.org_id = {org} AND e.id = ANY({ids})"
)
"""The inbox names an enrolment after its course, about its employee."""

REMINDER = workflow.ReminderPolicy(before_due_days=[REMINDER_DAYS], repeat_every_days=None)
NO_ESCALATION = workflow.EscalationPolicy(manager_after_days=None, hr_after_days=None)
"""Reminded 3 days before the start; a class missed is not escalated (its attendance is
what HR reads)."""


async def add_reminders(
    session: AsyncSession,
    course_session: CourseSession,
    course_name: str,
    enrolments: Sequence[Enrolment],
) -> None:
    """A reminder task for each of these seated enrolments, in a fixed number of
    statements; each task's id goes on its enrolment."""
    if not enrolments:
        return
    task_ids = await workflow.create_tasks(
        session,
        org_id=course_session.org_id,
        tasks=[
            workflow.NewTask(
                subject_type=SUBJECT_TYPE,
                subject_id=enrolment.id,
                kind=REMINDER_KIND,
                assignee_employee_id=enrolment.employee_id,
                subject_employee_id=enrolment.employee_id,
                title=_(TITLE, course=course_name),
                due=course_session.starts_at,
                reminder_policy=REMINDER,
                escalation_policy=NO_ESCALATION,
                completion_params={"session_id": str(course_session.id)},
            )
            for enrolment in enrolments
        ],
    )
    for enrolment, task_id in zip(enrolments, task_ids, strict=True):
        enrolment.reminder_task_id = task_id
    await session.flush()


async def withdraw_reminders(
    session: AsyncSession,
    course_session: CourseSession,
    enrolments: Sequence[Enrolment],
    clock: Clock,
) -> None:
    """Cancel the open reminders of these enrolments (done ones stay as they are)."""
    task_ids = [item.reminder_task_id for item in enrolments if item.reminder_task_id]
    if task_ids:
        await workflow.cancel_open_tasks(
            session, org_id=course_session.org_id, task_ids=task_ids, clock=clock
        )


async def move_reminders(
    session: AsyncSession, course_session: CourseSession, enrolments: Sequence[Enrolment]
) -> None:
    """Due at the session's new start: the open reminders of its seated enrolments."""
    org_id = course_session.org_id
    for task_id in [item.reminder_task_id for item in enrolments if item.reminder_task_id]:
        if await workflow.task_status(session, org_id, task_id) == "open":
            await workflow.reschedule_task(
                session, org_id=org_id, task_id=task_id, due=course_session.starts_at
            )


async def complete_reminder(
    session: AsyncSession, org_id: uuid.UUID, reminder_task_id: uuid.UUID | None, clock: Clock
) -> None:
    """Close an enrolment's reminder once its employee checked in (check-in calls it in its
    transaction, after setting `checked_in_at`); nothing when it has none or it is closed."""
    if reminder_task_id is None:
        return
    status = await workflow.task_status(session, org_id, reminder_task_id)
    if status == "open":
        await workflow.complete_task(session, org_id=org_id, task_id=reminder_task_id, clock=clock)


async def checked_in_only(
    session: AsyncSession, task: workflow.TaskInfo, submission: workflow.Submission | None
) -> None:
    """A reminder closes by checking in to the session, not at `/tasks/{id}/complete`."""
    checked_in = await session.scalar(
        select(Enrolment.checked_in_at).where(
            Enrolment.org_id == task.org_id, Enrolment.id == task.subject_id
        )
    )
    if checked_in is None:
        raise Unprocessable(_("Check in to the session instead; the reminder then closes"))
