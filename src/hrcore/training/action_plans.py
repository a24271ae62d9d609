"""Action plans after a course 「行动计划」: made when an enrolment is completed (the worker,
on `ENROLMENT_COMPLETED`) or by HR for a completed enrolment, each with the employee's task
(reminded on day `REMINDER_DAY`, due on day `DUE_DAYS` after the completion, escalated by the
organization's task policy); submitted by the employee, which completes the task. Scoring
and adoption are in `action_plan_scoring`.

One plan per enrolment is the unique index: a retried job or a second request inserts
nothing (`ON CONFLICT DO NOTHING`), so nothing is made twice."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import TypeGuard
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.db import insert_new
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.models import new_id
from hrcore.identity import api as identity
from hrcore.training import action_plan_access
from hrcore.training.action_plan_repository import DUE_DAYS, REMINDER_DAY
from hrcore.training.action_plan_schemas import (
    ActionPlanCreate,
    ActionPlanPatch,
    ActionPlanSubmission,
)
from hrcore.training.models import ActionPlan, ActionPlanStatus, Course, Enrolment, EnrolmentStatus
from hrcore.workflow import api as workflow

SUBJECT_TYPE = "training_action_plan"
TASK_KIND = "training.action_plan"
SUBMIT = workflow.Operation(
    "submit_action_plan",
    "POST",
    "/action-plans/{action_plan_id}/submit",
    subject_param="action_plan_id",
)
"""What completes the plan's task: submitting the plan."""
REMINDER = workflow.ReminderPolicy(before_due_days=[DUE_DAYS - REMINDER_DAY], repeat_every_days=2)
"""Reminded on day 10 (20 days before the due day), then every 2 days once overdue."""


async def create_after_course(
    session: AsyncSession, org_id: uuid.UUID, enrolment_id: uuid.UUID
) -> uuid.UUID | None:
    """The plan of a completed enrolment and its task; None when the enrolment is not
    completed (any more) or has its plan already (a replayed event makes nothing)."""
    enrolment = await session.scalar(
        select(Enrolment).where(Enrolment.org_id == org_id, Enrolment.id == enrolment_id)
    )
    if not _completed(enrolment):
        return None
    return await _create(session, enrolment, None)


async def create(session: AsyncSession, principal: Principal, body: ActionPlanCreate) -> uuid.UUID:
    """HR makes the plan of a completed enrolment by hand: 422 for an enrolment the
    organization does not have, 409 when it is not completed or has its plan already."""
    require_hr_admin(principal)
    enrolment = await session.scalar(
        select(Enrolment).where(
            Enrolment.org_id == principal.org_id, Enrolment.id == body.enrolment_id
        )
    )
    if enrolment is None:
        raise Unprocessable(
            _("Unknown enrolment"),
            errors=[FieldError(field="enrolment_id", message=_("no such enrolment"))],
        )
    if not _completed(enrolment):
        raise Conflict(_("The enrolment is not completed: its action plan comes after"))
    plan_id = await _create(session, enrolment, principal)
    if plan_id is None:
        raise Conflict(_("The enrolment has its action plan already"))
    return plan_id


def _completed(enrolment: Enrolment | None) -> TypeGuard[Enrolment]:
    return (
        enrolment is not None
        and enrolment.status == EnrolmentStatus.COMPLETED.value
        and enrolment.completed_at is not None
    )


async def _create(
    session: AsyncSession, enrolment: Enrolment, actor: Principal | None
) -> uuid.UUID | None:
    org_id = enrolment.org_id
    made = await insert_new(
        session,
        ActionPlan,
        [
            {
                "id": new_id(),
                "org_id": org_id,
                "enrolment_id": enrolment.id,
                "course_id": enrolment.course_id,
                "employee_id": enrolment.employee_id,
                "status": ActionPlanStatus.OPEN.value,
                "version": 1,
            }
        ],
        unique=["org_id", "enrolment_id"],
        returning=[ActionPlan.id],
    )
    if not made:
        return None
    plan_id: uuid.UUID = made[0][0]
    course = await session.get(Course, enrolment.course_id)
    assert course is not None
    assert enrolment.completed_at is not None
    zone = ZoneInfo(await identity.org_timezone(session, org_id))
    completed_on = enrolment.completed_at.astimezone(zone).date()
    task_id = await workflow.create_task(
        session,
        org_id=org_id,
        subject_type=SUBJECT_TYPE,
        subject_id=plan_id,
        kind=TASK_KIND,
        assignee_employee_id=enrolment.employee_id,
        title=_("Write your action plan after {course}", course=course.name),
        due=completed_on + timedelta(days=DUE_DAYS),
        reminder_policy=REMINDER,
        actor=actor,
    )
    plan = await session.get(ActionPlan, plan_id)
    assert plan is not None
    plan.task_id = task_id
    audit.record(
        session,
        actor,
        "action_plan.created",
        SUBJECT_TYPE,
        plan_id,
        org_id=org_id,
        after={"enrolment_id": str(enrolment.id), "task_id": str(task_id)},
    )
    await session.flush()
    return plan_id


async def submit(
    session: AsyncSession,
    principal: Principal,
    plan_id: uuid.UUID,
    body: ActionPlanSubmission,
    clock: Clock,
) -> None:
    """The employee submits their open plan (others who reach it: 403; 409 unless open);
    its task is completed with it. Audited."""
    plan = await action_plan_access.readable_plan(session, principal, plan_id, for_update=True)
    action_plan_access.require_own(principal, plan)
    if plan.status != ActionPlanStatus.OPEN.value:
        raise Conflict(_("The action plan is submitted already"))
    plan.content = body.content
    plan.submitted_at = clock.now()
    plan.status = ActionPlanStatus.SUBMITTED.value
    await session.flush()
    if plan.task_id is not None and (
        await workflow.task_status(session, plan.org_id, plan.task_id) == "open"
    ):
        await workflow.complete_task(
            session, org_id=plan.org_id, task_id=plan.task_id, clock=clock, actor=principal
        )
    audit.record(
        session, principal, "action_plan.submitted", SUBJECT_TYPE, plan.id, org_id=plan.org_id
    )


async def record_outcome(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, body: ActionPlanPatch
) -> None:
    """HR records (or corrects) what an adopted plan achieved: 403 for others who reach the
    plan, 409 for a plan not adopted. Audited."""
    plan = await action_plan_access.readable_plan(session, principal, plan_id, for_update=True)
    require_hr_admin(principal)
    if plan.adopted_at is None:
        raise Conflict(_("Only an adopted action plan has an outcome"))
    before = {"outcome": plan.outcome}
    plan.outcome = body.outcome
    await session.flush()
    audit.record(
        session,
        principal,
        "action_plan.outcome_recorded",
        SUBJECT_TYPE,
        plan.id,
        org_id=plan.org_id,
        before=before,
        after={"outcome": body.outcome},
    )


async def submitted_only(
    session: AsyncSession, task: workflow.TaskInfo, submission: workflow.Submission | None
) -> None:
    """The plan's task closes by submitting the plan, not at `/tasks/{id}/complete`."""
    status = await session.scalar(
        select(ActionPlan.status).where(
            ActionPlan.org_id == task.org_id, ActionPlan.id == task.subject_id
        )
    )
    if status == ActionPlanStatus.OPEN.value:
        raise Unprocessable(
            _("Submit the plan instead: POST /action-plans/{id}/submit", id=task.subject_id)
        )
