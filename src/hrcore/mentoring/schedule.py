"""A pairing's schedule as workflow tasks: planned when its plan is approved, re-planned when
it is approved again after an edit.

Rule: an item `{kind, every_months: n}` cuts the pairing (`starts_on` up to `ends_on`,
exclusive) into intervals of n months from `starts_on`; each interval's task is due on its
last day (a monthly 1:1 on the day before each month-day of the start, the last one on the
pairing's last day, which also closes a shorter final interval). Items due before the day
the plan is (re)approved are not created — counted from the approval, not from when the job
runs, so a job that runs late (or the catch-up cron, `jobs_schedule.catch_up_schedules`)
still creates what fell due meanwhile, overdue. Each task is the mentor's, about the mentee,
reminded and escalated to the mentor's manager, then HR, by workflow's sweep on the
program's `reminder_policy` (`policies`; the defaults unless the program sets one). A task
keeps the policy it was planned with.

Re-planning keeps exactly one open task per due item and is idempotent: an open task still
matching an item stays, a completed one keeps its item done, an open task whose item is gone
moves to a missing item of its kind (`reschedule_task`) or is cancelled; what is still
missing is created. The pairing's row is locked first, so two runs never both create.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.clock import Clock
from hrcore.core.errors import Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.identity import api as identity
from hrcore.mentoring.events import SUBJECT_TYPE
from hrcore.mentoring.mentorship_models import (
    MentoringSession,
    Mentorship,
    MentorshipPlan,
    MentorshipStatus,
    PlanStatus,
    SessionKind,
)
from hrcore.mentoring.models import MentoringProgram
from hrcore.mentoring.schemas import MentoringReminderPolicy
from hrcore.people import api as people
from hrcore.workflow import api as workflow

TASK_KINDS = {
    SessionKind.ONE_ON_ONE: "mentoring_one_on_one",
    SessionKind.SKILL_TEST: "mentoring_skill_test",
    SessionKind.PROGRESS_REPORT: "mentoring_progress_report",
}
"""The task kind of each session kind: a session of the kind completes the task."""

TITLES = {
    SessionKind.ONE_ON_ONE: N_("Mentoring 1:1 with {mentee}"),
    SessionKind.SKILL_TEST: N_("Skill test for {mentee}"),
    SessionKind.PROGRESS_REPORT: N_("Progress report on {mentee}"),
}

LOG_SESSION = workflow.Operation(
    "log_mentoring_session",
    "POST",
    "/mentorships/{mentorship_id}/sessions",
    subject_param="mentorship_id",
)
"""What completes a scheduled task: logging the session (the task's id as `task_id`)."""


def policies(
    stored: dict[str, Any] | None,
) -> tuple[workflow.ReminderPolicy, workflow.EscalationPolicy]:
    """A program's stored `reminder_policy` (null: `MentoringReminderPolicy`'s defaults) as
    workflow's reminder and escalation policies."""
    policy = MentoringReminderPolicy.model_validate(stored or {})
    return (
        workflow.ReminderPolicy(
            before_due_days=policy.before_due_days, repeat_every_days=policy.repeat_every_days
        ),
        workflow.EscalationPolicy(
            manager_after_days=policy.manager_after_days, hr_after_days=policy.hr_after_days
        ),
    )


REPLAN_REASON = "mentorship plan re-approved"


@dataclass(frozen=True, order=True)
class DueItem:
    due_on: date
    kind: SessionKind


@dataclass(frozen=True)
class Replanned:
    created: int
    rescheduled: int
    cancelled: int


def plus_months(day: date, months: int) -> date:
    """The same day `months` later, the month's last day where it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_items(schedule: Sequence[dict[str, Any]], starts_on: date, ends_on: date) -> list[DueItem]:
    """Every item's due dates over the pairing, by the module's rule, soonest first."""
    items: set[DueItem] = set()
    for entry in schedule:
        kind, every = entry.get("kind"), entry.get("every_months")
        if kind not in TASK_KINDS or not isinstance(every, int) or every < 1:
            continue
        step = 0
        while (begins := plus_months(starts_on, step * every)) < ends_on:
            step += 1
            ends = min(plus_months(starts_on, step * every), ends_on)
            items.add(DueItem(max(ends - timedelta(days=1), begins), SessionKind(kind)))
    return sorted(items)


async def plan_schedule(
    session: AsyncSession, org_id: uuid.UUID, mentorship_id: uuid.UUID, clock: Clock
) -> Replanned | None:
    """(Re)plan an approved pairing's schedule as tasks; None when the pairing is not running
    or its plan is not approved (any more): nothing to plan."""
    mentorship = await session.scalar(
        select(Mentorship)
        .where(Mentorship.org_id == org_id, Mentorship.id == mentorship_id)
        .with_for_update()
    )
    if mentorship is None or mentorship.status != MentorshipStatus.ACTIVE:
        return None
    plan = await session.scalar(
        select(MentorshipPlan).where(
            MentorshipPlan.org_id == org_id, MentorshipPlan.mentorship_id == mentorship_id
        )
    )
    if plan is None or plan.status != PlanStatus.APPROVED:
        return None
    zone = ZoneInfo(await identity.org_timezone(session, org_id))
    now = clock.now()
    approved_on = (plan.approved_at or now).astimezone(zone).date()
    wanted = due_items(plan.schedule, mentorship.starts_on, mentorship.ends_on)
    wanted_set = set(wanted)
    tasks = await workflow.tasks_of_subjects(
        session, org_id=org_id, subject_type=SUBJECT_TYPE, subject_ids=[mentorship.id], now=now
    )
    by_task_kind = {task_kind: kind for kind, task_kind in TASK_KINDS.items()}
    settled: set[DueItem] = set()
    strays: list[workflow.TaskOut] = []
    for task in sorted(tasks, key=lambda t: (t.status != "completed", t.due_at)):
        kind = by_task_kind.get(task.kind)
        if kind is None or task.status == "cancelled":
            continue
        item = DueItem(task.due_at.astimezone(zone).date(), kind)
        if item in wanted_set and item not in settled:
            settled.add(item)
        elif task.status == "open":
            strays.append(task)
    missing = [item for item in wanted if item not in settled and item.due_on >= approved_on]
    rescheduled, cancelled = 0, []
    for task in strays:
        target = next((m for m in missing if TASK_KINDS[m.kind] == task.kind), None)
        if target is None:
            cancelled.append(task.id)
            continue
        missing.remove(target)
        await workflow.reschedule_task(session, org_id=org_id, task_id=task.id, due=target.due_on)
        rescheduled += 1
    if cancelled:
        await workflow.cancel_open_tasks(
            session, org_id=org_id, task_ids=cancelled, clock=clock, reason=REPLAN_REASON
        )
    await _create(session, mentorship, missing)
    plan.scheduled_at = now
    result = Replanned(len(missing), rescheduled, len(cancelled))
    if result != Replanned(0, 0, 0):
        audit.record(
            session,
            None,
            "mentorship.schedule_planned",
            "mentorship",
            mentorship.id,
            org_id=org_id,
            after={
                "plan_id": str(plan.id),
                "created": result.created,
                "rescheduled": result.rescheduled,
                "cancelled": result.cancelled,
            },
        )
    return result


async def catch_up(session: AsyncSession, org_id: uuid.UUID, clock: Clock) -> int:
    """Plan every running pairing whose approved plan was not planned since its approval (the
    job's event lost, or its retries spent while the worker or the database was down); how
    many were planned. Idempotent: `plan_schedule` settles what exists, so a pairing planned
    meanwhile gets nothing twice. One statement when nothing was missed."""
    missed = await session.scalars(
        select(Mentorship.id)
        .join(
            MentorshipPlan,
            and_(
                MentorshipPlan.org_id == Mentorship.org_id,
                MentorshipPlan.mentorship_id == Mentorship.id,
            ),
        )
        .where(
            Mentorship.org_id == org_id,
            Mentorship.status == MentorshipStatus.ACTIVE.value,
            MentorshipPlan.status == PlanStatus.APPROVED.value,
            or_(
                MentorshipPlan.scheduled_at.is_(None),
                MentorshipPlan.scheduled_at < MentorshipPlan.approved_at,
            ),
        )
        .order_by(Mentorship.id)
    )
    planned = 0
    for mentorship_id in list(missed):
        if await plan_schedule(session, org_id, mentorship_id, clock) is not None:
            planned += 1
    return planned


async def _create(session: AsyncSession, mentorship: Mentorship, items: list[DueItem]) -> None:
    if not items:
        return
    org_id, mentee_id = mentorship.org_id, mentorship.mentee_employee_id
    mentee = (await people.employee_refs(session, org_id, [mentee_id]))[mentee_id].name
    reminder, escalation = policies(
        await session.scalar(
            select(MentoringProgram.reminder_policy).where(
                MentoringProgram.org_id == org_id, MentoringProgram.id == mentorship.program_id
            )
        )
    )
    await workflow.create_tasks(
        session,
        org_id=org_id,
        tasks=[
            workflow.NewTask(
                subject_type=SUBJECT_TYPE,
                subject_id=mentorship.id,
                kind=TASK_KINDS[item.kind],
                assignee_employee_id=mentorship.mentor_employee_id,
                subject_employee_id=mentee_id,
                title=_(TITLES[item.kind], mentee=mentee),
                due=item.due_on,
                reminder_policy=reminder,
                escalation_policy=escalation,
            )
            for item in items
        ],
    )


async def logged_only(
    session: AsyncSession, task: workflow.TaskInfo, submission: workflow.Submission | None
) -> None:
    """A scheduled session's task closes by logging the session (which names the task), not
    at `/tasks/{id}/complete`: the session, its notes and checklist are the record."""
    logged = await session.scalar(
        select(
            exists().where(
                MentoringSession.org_id == task.org_id, MentoringSession.task_id == task.id
            )
        )
    )
    if not logged:
        raise Unprocessable(
            _(
                "Log the session instead: POST /mentorships/{id}/sessions with this task_id",
                id=task.subject_id,
            )
        )
