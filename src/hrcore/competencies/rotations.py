"""Rotation plans 「轮岗 / 挂职」: where rotation across departments is possible, HR plans a
sequence of posts in other departments. A draft is edited freely; confirming records each leg
as a temporary-post employment event (people applies it on its date and ends it with the leg,
contracts drafts the amendment with the allowance) and gives the host supervisor a rating
task due a few days after the leg ends. The rating becomes evidence (source `rotation`, one
source event per leg: a re-rating replaces it)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import repository, rotation_repository
from hrcore.competencies.evidence import SourceValue, replace_source_evidence
from hrcore.competencies.rotation_models import RotationLeg, RotationPlan
from hrcore.competencies.rotation_schemas import (
    LegRatingIn,
    RotationLegIn,
    RotationPlanIn,
    RotationPlanPatch,
)
from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.pagination import PageParams
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.workflow import api as workflow

ROTATION = "rotation"
"""The evidence source kind of a host supervisor's rating."""
LEG_SUBJECT = "rotation_leg"
RATING_TASK_KIND = "rotation.rating"
RATING_DAYS = 5
"""The host supervisor rates within 5 days of the leg's end (working days when the
organization counts its tasks' days so)."""


def _invalid(field: str, message: Any) -> Unprocessable:
    return Unprocessable(
        _("The rotation plan is not valid"), errors=[FieldError(field=field, message=message)]
    )


async def _check_legs(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee: people.EmployeeInfo,
    legs: list[RotationLegIn],
) -> None:
    """Legs in date order without overlap, each in another department than the employee's,
    hosted by an active employee of the organization who is not the rotating one."""
    previous_end: date | None = None
    for index, leg in enumerate(legs):
        at = f"legs.{index}"
        if leg.end_date < leg.start_date:
            raise _invalid(f"{at}.end_date", _("must not be before start_date"))
        if previous_end is not None and leg.start_date <= previous_end:
            raise _invalid(f"{at}.start_date", _("must be after the previous leg ends"))
        previous_end = leg.end_date
        await org.require_department(session, org_id, leg.department_id, f"{at}.department_id")
        if leg.department_id == employee.department_id:
            message = _("a rotation leg is in another department than the employee's own")
            raise _invalid(f"{at}.department_id", message)
        host = await people.require_employee(
            session, org_id, leg.host_supervisor_id, f"{at}.host_supervisor_id"
        )
        if host.id == employee.id or host.status == "exited":
            message = _("an active employee other than the one rotating")
            raise _invalid(f"{at}.host_supervisor_id", message)


def _leg_rows(
    org_id: uuid.UUID, plan_id: uuid.UUID, legs: list[RotationLegIn]
) -> list[RotationLeg]:
    return [
        RotationLeg(
            org_id=org_id,
            plan_id=plan_id,
            sequence=index + 1,
            department_id=leg.department_id,
            post_title=leg.post_title,
            host_supervisor_id=leg.host_supervisor_id,
            start_date=leg.start_date,
            end_date=leg.end_date,
            allowance=leg.allowance,
        )
        for index, leg in enumerate(legs)
    ]


def _content(plan: RotationPlan, legs: list[RotationLegIn] | list[RotationLeg]) -> dict[str, Any]:
    """What the audit log keeps of a plan."""
    return {
        "title": plan.title,
        "legs": [
            {
                "department_id": str(leg.department_id),
                "post_title": leg.post_title,
                "host_supervisor_id": str(leg.host_supervisor_id),
                "start_date": leg.start_date.isoformat(),
                "end_date": leg.end_date.isoformat(),
                "allowance": None if leg.allowance is None else str(leg.allowance),
            }
            for leg in legs
        ],
    }


async def create_plan(
    session: AsyncSession, principal: Principal, body: RotationPlanIn
) -> RotationPlan:
    """A draft plan (HR admin): nothing is recorded on the employee until it is confirmed."""
    require_hr_admin(principal)
    employee = await people.require_employee(session, principal.org_id, body.employee_id)
    if employee.status == "exited":
        raise Conflict(_("The employee has exited"))
    await _check_legs(session, principal.org_id, employee, body.legs)
    plan = RotationPlan(
        org_id=principal.org_id,
        employee_id=employee.id,
        title=body.title,
        created_by=principal.user_id,
    )
    session.add(plan)
    await session.flush()  # the legs' foreign key needs the plan's row first
    session.add_all(_leg_rows(principal.org_id, plan.id, body.legs))
    await session.flush()
    audit.record(
        session,
        principal,
        "rotation_plan.created",
        "rotation_plan",
        plan.id,
        org_id=principal.org_id,
        after=_content(plan, body.legs),
    )
    return plan


async def _draft_for_hr(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID
) -> RotationPlan:
    require_hr_admin(principal)
    plan = await rotation_repository.plan_by_id(session, principal.org_id, plan_id, lock=True)
    if plan is None:
        raise NotFound(_("No such rotation plan"))
    if plan.status != "draft":
        raise Conflict(_("The rotation plan is confirmed; its legs can no longer change"))
    return plan


async def update_plan(
    session: AsyncSession,
    principal: Principal,
    plan_id: uuid.UUID,
    body: RotationPlanPatch,
    if_match: str | None,
) -> RotationPlan:
    """A draft's new title or legs (HR admin; 409 once confirmed, 412 on a stale ETag)."""
    plan = await _draft_for_hr(session, principal, plan_id)
    check_version(plan.version, if_match=if_match, body_version=None)
    legs = await rotation_repository.legs_of(session, principal.org_id, [plan.id])
    before = _content(plan, legs)
    if body.title is not None:
        plan.title = body.title
    if body.legs is not None:
        employee = await people.require_employee(session, principal.org_id, plan.employee_id)
        await _check_legs(session, principal.org_id, employee, body.legs)
        for leg in legs:
            await session.delete(leg)
        await session.flush()
        session.add_all(_leg_rows(principal.org_id, plan.id, body.legs))
    plan.version += 1
    await session.flush()
    after = _content(plan, body.legs if body.legs is not None else legs)
    audit.record(
        session,
        principal,
        "rotation_plan.updated",
        "rotation_plan",
        plan.id,
        org_id=principal.org_id,
        before=before,
        after=after,
    )
    return plan


async def confirm_plan(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID, clock: Clock
) -> RotationPlan:
    """Each leg becomes a temporary-post employment event (dated, with its allowance: the
    contracts domain drafts the amendment) and a rating task for its host supervisor. A leg
    already begun cannot be confirmed (422: move its dates first)."""
    plan = await _draft_for_hr(session, principal, plan_id)
    org_id = principal.org_id
    legs = await rotation_repository.legs_of(session, org_id, [plan.id])
    today = await people.org_today(session, org_id, clock)
    for index, leg in enumerate(legs):
        if leg.start_date < today:
            raise _invalid(f"legs.{index}.start_date", _("must not be before today"))
    employee = await people.require_employee(session, org_id, plan.employee_id)
    for leg in legs:
        leg.employment_event_id = await people.add_event(
            session,
            principal,
            plan.employee_id,
            people.EmploymentEventCreate(
                kind="temporary_post",
                effective_date=leg.start_date,
                end_date=leg.end_date,
                department_id=leg.department_id,
                title=leg.post_title,
                allowance=leg.allowance,
                note=plan.title,
            ),
            clock,
        )
        leg.rating_task_id = await workflow.create_task(
            session,
            org_id=org_id,
            subject_type=LEG_SUBJECT,
            subject_id=leg.id,
            kind=RATING_TASK_KIND,
            assignee_employee_id=leg.host_supervisor_id,
            subject_employee_id=plan.employee_id,
            title=_(
                "Rate {name}'s rotation as {post}", name=employee.full_name, post=leg.post_title
            ),
            due=await workflow.due_after(session, org_id, leg.end_date, RATING_DAYS),
            completion_params={"plan_id": str(plan.id)},
            actor=principal,
        )
    plan.status = "confirmed"
    plan.confirmed_by = principal.user_id
    plan.confirmed_at = clock.now()
    plan.version += 1
    await session.flush()
    audit.record(
        session,
        principal,
        "rotation_plan.confirmed",
        "rotation_plan",
        plan.id,
        org_id=org_id,
        after={"employment_event_ids": [str(leg.employment_event_id) for leg in legs]},
    )
    return plan


async def readable_plan(
    session: AsyncSession, principal: Principal, plan_id: uuid.UUID
) -> tuple[RotationPlan, list[RotationLeg]]:
    """The plan and its legs for HR, the employee, those who see the employee, and its host
    supervisors; 404 for anyone else."""
    plan = await rotation_repository.plan_by_id(session, principal.org_id, plan_id)
    if plan is None:
        raise NotFound(_("No such rotation plan"))
    legs = await rotation_repository.legs_of(session, principal.org_id, [plan.id])
    me = principal.employee_id
    hosts = {leg.host_supervisor_id for leg in legs}
    if not principal.is_hr_admin and me != plan.employee_id and me not in hosts:
        try:
            await people.ensure_can_view(session, principal, plan.employee_id)
        except NotFound:
            raise NotFound(_("No such rotation plan")) from None
    return plan, legs


async def plans_page(
    session: AsyncSession,
    principal: Principal,
    params: PageParams,
    employee_id: uuid.UUID | None,
) -> tuple[list[RotationPlan], list[RotationLeg], str | None]:
    """The plans the caller may read, newest first, with their legs (two statements after
    people's reach)."""
    visible = await people.visible_employee_ids(session, principal)
    plans, cursor = await rotation_repository.plans_page(
        session,
        principal.org_id,
        params,
        employee_id=employee_id,
        visible=visible,
        host_id=principal.employee_id,
    )
    legs = await rotation_repository.legs_of(session, principal.org_id, [p.id for p in plans])
    return plans, legs, cursor


async def rate_leg(
    session: AsyncSession,
    principal: Principal,
    plan_id: uuid.UUID,
    leg_id: uuid.UUID,
    body: LegRatingIn,
    clock: Clock,
) -> tuple[RotationPlan, list[RotationLeg]]:
    """The host supervisor's (or HR's) rating of a leg that has begun: per competency 0–10,
    recorded as evidence in the same transaction; rating again replaces the evidence (a
    competency left out is withdrawn) and is audited with what it replaced."""
    org_id = principal.org_id
    plan = await rotation_repository.plan_by_id(session, org_id, plan_id, lock=True)
    legs = [] if plan is None else await rotation_repository.legs_of(session, org_id, [plan.id])
    leg = next((leg for leg in legs if leg.id == leg_id), None)
    if (
        plan is None
        or leg is None
        or not (principal.is_hr_admin or principal.employee_id == leg.host_supervisor_id)
    ):
        raise NotFound(_("No such rotation leg"))
    if plan.status != "confirmed":
        raise Conflict(_("The rotation plan is not confirmed yet"))
    if leg.withdrawn_at is not None:
        raise Conflict(_("The rotation leg was withdrawn"))
    if leg.start_date > await people.org_today(session, org_id, clock):
        raise Conflict(_("The rotation leg has not started yet"))
    ids = [rating.competency_id for rating in body.ratings]
    known = await repository.competency_levels(session, org_id, ids)
    for index, competency_id in enumerate(ids):
        field = f"ratings.{index}.competency_id"
        if competency_id not in known:
            raise _invalid(field, _("no such competency"))
        if competency_id in ids[:index]:
            raise _invalid(field, _("rated twice"))
    now = clock.now()
    await replace_source_evidence(
        session,
        org_id,
        employee_id=plan.employee_id,
        source_kind=ROTATION,
        source_id=leg.id,
        observed_at=now,
        values=[SourceValue(r.competency_id, r.value, body.note) for r in body.ratings],
    )
    before = {"ratings": leg.ratings, "note": leg.rating_note} if leg.ratings else None
    leg.ratings = [{"competency_id": str(r.competency_id), "value": r.value} for r in body.ratings]
    leg.rating_note = body.note
    leg.rated_by = principal.user_id
    leg.rated_at = now
    if leg.rating_task_id is not None and (
        await workflow.task_status(session, org_id, leg.rating_task_id) == "open"
    ):
        await workflow.complete_task(
            session, org_id=org_id, task_id=leg.rating_task_id, clock=clock, actor=principal
        )
    audit.record(
        session,
        principal,
        "rotation_leg.rated",
        "rotation_leg",
        leg.id,
        org_id=org_id,
        before=before,
        after={"ratings": leg.ratings, "note": body.note},
    )
    return plan, legs


async def end_leg_early(
    session: AsyncSession,
    principal: Principal,
    plan_id: uuid.UUID,
    leg_id: uuid.UUID,
    last_day: date,
) -> tuple[RotationPlan, list[RotationLeg]]:
    """A confirmed leg ends on `last_day` (HR admin): its temporary post ends that day
    (`people.end_temporary_post`, which checks the day against the post's span), the leg
    with it, and the host's open rating task falls due 5 days after the new end. Audited."""
    require_hr_admin(principal)
    org_id = principal.org_id
    plan = await rotation_repository.plan_by_id(session, org_id, plan_id, lock=True)
    legs = [] if plan is None else await rotation_repository.legs_of(session, org_id, [plan.id])
    leg = next((leg for leg in legs if leg.id == leg_id), None)
    if plan is None or leg is None:
        raise NotFound(_("No such rotation leg"))
    if plan.status != "confirmed" or leg.employment_event_id is None:
        raise Conflict(_("The rotation plan is not confirmed yet"))
    previous = await people.end_temporary_post(
        session, principal, leg.employment_event_id, last_day
    )
    leg.end_date = last_day
    if leg.rating_task_id is not None and (
        await workflow.task_status(session, org_id, leg.rating_task_id) == "open"
    ):
        await workflow.reschedule_task(
            session,
            org_id=org_id,
            task_id=leg.rating_task_id,
            due=await workflow.due_after(session, org_id, last_day, RATING_DAYS),
            actor=principal,
        )
    plan.version += 1
    await session.flush()
    audit.record(
        session,
        principal,
        "rotation_leg.ended_early",
        "rotation_leg",
        leg.id,
        org_id=org_id,
        before={"end_date": previous.isoformat()},
        after={"end_date": last_day.isoformat()},
    )
    return plan, legs


async def rated_only(
    session: AsyncSession, task: workflow.TaskInfo, submission: workflow.Submission | None
) -> None:
    """The rating task closes through the leg's rating, which records the evidence;
    completing it at `/tasks/{id}/complete` would skip that."""
    leg = await rotation_repository.leg_by_id(session, task.org_id, task.subject_id)
    if leg is not None and leg.rated_at is None:
        raise Unprocessable(
            _(
                "Rate the leg itself: POST /rotation-plans/{plan_id}/legs/{leg_id}/rating",
                plan_id=leg.plan_id,
                leg_id=leg.id,
            )
        )
