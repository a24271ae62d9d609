"""Action plans after a course 「行动计划」 over HTTP: the list and one plan for whoever reaches
the employee, HR's plan for a completed enrolment, the employee's submission, the two
scores, adoption and its outcome."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.training import action_plan_reading, action_plan_scoring, action_plans
from hrcore.training.action_plan_schemas import (
    ActionPlanAdoption,
    ActionPlanCreate,
    ActionPlanOut,
    ActionPlanPatch,
    ActionPlanScoreIn,
    ActionPlanSubmission,
)
from hrcore.training.models import ActionPlanStatus

router = APIRouter(route_class=HrcoreRoute, tags=["training"])
ONE = "/action-plans/{action_plan_id}"


@router.get(
    "/action-plans",
    operation_id="list_action_plans",
    summary="Action plans after courses: one's own, one's reach's, or all for HR",
    response_model=Page[ActionPlanOut],
    responses=FORBIDDEN,
)
async def list_action_plans(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    status: Annotated[ActionPlanStatus | None, Query(description="Only in this status.")] = None,
    course_id: Annotated[uuid.UUID | None, Query(description="Only after this course.")] = None,
    employee_id: Annotated[uuid.UUID | None, Query(description="Only this employee's.")] = None,
    adopted: Annotated[bool | None, Query(description="Only adopted, or not adopted.")] = None,
) -> Page[ActionPlanOut]:
    """An employee reads their own plans, a manager or department head also those of the
    people in their reach, HR admins every plan; newest first, cursor-paginated. Integration
    keys 403."""
    return await action_plan_reading.plans(
        session,
        principal,
        page,
        status=status.value if status else None,
        course_id=course_id,
        employee_id=employee_id,
        adopted=adopted,
    )


@router.post(
    "/action-plans",
    operation_id="create_action_plan",
    summary="Make the action plan of a completed enrolment (HR)",
    response_model=ActionPlanOut,
    status_code=201,
    responses={**FORBIDDEN, **CONFLICT},
)
async def create_action_plan(
    body: ActionPlanCreate, principal: CurrentPrincipal, session: DbSession
) -> ActionPlanOut:
    """The worker makes a plan when an enrolment is completed; HR admins make one by hand
    (others 403): 422 for an unknown enrolment, 409 when it is not completed or has its plan
    already. The employee gets the task, reminded on day 10 and due on day 30 after the
    completion. Audited."""
    plan_id = await action_plans.create(session, principal, body)
    return await action_plan_reading.plan(session, principal, plan_id)


@router.get(
    ONE,
    operation_id="get_action_plan",
    summary="One action plan, with its scores, who gave them, and its adoption",
    response_model=ActionPlanOut,
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_action_plan(
    action_plan_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> ActionPlanOut:
    """For the employee, whoever reaches them and HR admins; 404 for anyone else."""
    return await action_plan_reading.plan(session, principal, action_plan_id)


@router.patch(
    ONE,
    operation_id="update_action_plan",
    summary="Record what an adopted action plan achieved (HR)",
    response_model=ActionPlanOut,
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def update_action_plan(
    action_plan_id: uuid.UUID,
    body: ActionPlanPatch,
    principal: CurrentPrincipal,
    session: DbSession,
) -> ActionPlanOut:
    """HR admins record or correct the `outcome` of an adopted plan (409 for one not
    adopted; others who reach the plan 403). Audited."""
    await action_plans.record_outcome(session, principal, action_plan_id, body)
    return await action_plan_reading.plan(session, principal, action_plan_id)


@router.post(
    action_plans.SUBMIT.path,
    operation_id=action_plans.SUBMIT.operation_id,
    summary="Submit one's action plan (completes its task)",
    response_model=ActionPlanOut,
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def submit_action_plan(
    action_plan_id: uuid.UUID,
    body: ActionPlanSubmission,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> ActionPlanOut:
    """The employee submits their open plan with its content (blank: 422; submitted
    already: 409; anyone else who reaches it: 403). Audited."""
    await action_plans.submit(session, principal, action_plan_id, body, clock)
    return await action_plan_reading.plan(session, principal, action_plan_id)


@router.post(
    ONE + "/score",
    operation_id="score_action_plan",
    summary="Give HR's or the manager's score of a submitted action plan (0–100)",
    response_model=ActionPlanOut,
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def score_action_plan(
    action_plan_id: uuid.UUID,
    body: ActionPlanScoreIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> ActionPlanOut:
    """`side` hr: HR admins (others 403); `side` manager: the employee's manager or a
    department head over them (404 outside their reach; 403 on one's own plan or for an HR
    admin who does not manage the employee). Each side scores once (409 again; 409 while the
    plan is open). With both in, `score` is their mean, the plan is `scored`, the employee is
    awarded the `action_plan` rule's points, and the score and the course's exam result
    become evidence of the course's competencies. Audited."""
    await action_plan_scoring.score(session, principal, action_plan_id, body, clock)
    return await action_plan_reading.plan(session, principal, action_plan_id)


@router.post(
    ONE + "/adopt",
    operation_id="adopt_action_plan",
    summary="Adopt a scored action plan for the company (HR)",
    response_model=ActionPlanOut,
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def adopt_action_plan(
    action_plan_id: uuid.UUID,
    body: ActionPlanAdoption,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> ActionPlanOut:
    """HR admins adopt a scored plan once, with a note (blank: 422; not scored or adopted
    already: 409; others who reach it: 403); the employee is awarded the `adopted` rule's
    points. Audited."""
    await action_plan_scoring.adopt(session, principal, action_plan_id, body, clock)
    return await action_plan_reading.plan(session, principal, action_plan_id)
