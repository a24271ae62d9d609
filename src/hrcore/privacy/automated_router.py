"""The person's automated evaluations, their objections and HR's review (PIPL Art. 24)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, AppRuntime, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.privacy import automated_evaluations as evaluations
from hrcore.privacy import automated_objections as objections
from hrcore.privacy.automated_models import ObjectionStatus
from hrcore.privacy.automated_schemas import (
    AutomatedEvaluationOut,
    AutomatedObjectionIn,
    AutomatedObjectionOut,
    AutomatedObjectionResolution,
)

router = APIRouter(route_class=HrcoreRoute, tags=["privacy"])

EvaluationId = Annotated[
    str,
    Path(
        max_length=120,
        description="An evaluation's `id` from `GET /me/automated-evaluations`.",
    ),
]


@router.get(
    "/me/automated-evaluations",
    operation_id="list_my_automated_evaluations",
    summary="My automated evaluations, each explained (PIPL Art. 24)",
)
async def list_my_automated_evaluations(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    clock: AppClock,
    runtime: AppRuntime,
) -> Page[AutomatedEvaluationOut]:
    """Every automated evaluation of the caller's employee that exists now: the screening
    rules of the talent pools they are nominated to or in, vacancy rankings (score and
    eligibility, never the rank among other candidates nor who they are), stretch
    assignments ranked for their gaps, competency profile scores, live performance scores,
    training needs with the courses proposed and their effectiveness as a mentor — each with
    the deciding object, the result, when it was computed, the domain's own factors
    explained in the reader's language, and the latest objection. Ordered by kind, then as
    each domain orders them; cursor-paginated; empty for an account without an employee
    record. A fixed number of statements however many there are."""
    found = await evaluations.evaluations_of(session, principal, clock, runtime.settings)
    items, cursor = evaluations.page_of(found, page)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/me/automated-evaluations/{evaluation_id}/objection",
    operation_id="object_to_my_automated_evaluation",
    summary="Object to an automated evaluation and ask for a human review",
    status_code=201,
    responses=NOT_FOUND | CONFLICT,
)
async def object_to_my_automated_evaluation(
    evaluation_id: EvaluationId,
    body: AutomatedObjectionIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    runtime: AppRuntime,
) -> AutomatedObjectionOut:
    """The caller objects, with a message, to one of their own evaluations as it stands now
    (404 for an id that is not one of theirs, another person's included; 409 while an
    objection to it is open). The evaluation is kept as they read it; an HR admin gets a
    review task due in 15 working days, with the organization's reminders and escalation,
    and HR is told in the inbox. Audited."""
    objection = await objections.object_to(
        session, principal, evaluation_id, body, clock, runtime.settings
    )
    return await objections.objection_view(session, objection)


@router.get(
    "/me/automated-evaluations/{evaluation_id}/objection",
    operation_id="get_my_automated_evaluation_objection",
    summary="My latest objection to an automated evaluation and its review",
    responses=NOT_FOUND,
)
async def get_my_automated_evaluation_objection(
    evaluation_id: EvaluationId, principal: CurrentPrincipal, session: DbSession
) -> AutomatedObjectionOut:
    """The caller's latest objection to one of their evaluations: the evaluation as they read
    it, their message, and once reviewed the outcome (upheld or changed), the reason, who
    reviewed and when. 404 without one."""
    objection = await objections.own_objection(session, principal, evaluation_id)
    return await objections.objection_view(session, objection)


@router.get(
    "/automated-evaluation-objections",
    operation_id="list_automated_evaluation_objections",
    summary="Objections to automated evaluations, newest first, for HR's review",
    responses=NOT_FOUND,
)
async def list_automated_evaluation_objections(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    status: Annotated[
        ObjectionStatus | None, Query(description="Only open, upheld or changed ones.")
    ] = None,
) -> Page[AutomatedObjectionOut]:
    """For HR admins and the DPO acting as one (404 for anyone else): every objection of the
    organization, newest first, with the evaluation as the person read it, their message and
    the review's outcome. Cursor-paginated; three statements a page."""
    items, cursor = await objections.list_for_hr(session, principal, status, page)
    return Page(items=items, next_cursor=cursor)


@router.get(
    "/automated-evaluation-objections/{objection_id}",
    operation_id="get_automated_evaluation_objection",
    summary="An objection to an automated evaluation, for HR's review",
    responses=NOT_FOUND,
)
async def get_automated_evaluation_objection(
    objection_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> AutomatedObjectionOut:
    """For HR admins (404 for anyone else and for another organization's): the objection,
    the evaluation as the person read it, their message and the review's state. The review
    task links here."""
    objection = await objections.objection_for_hr(session, principal, objection_id)
    return await objections.objection_view(session, objection)


@router.post(
    "/automated-evaluation-objections/{objection_id}/resolve",
    operation_id="resolve_automated_evaluation_objection",
    summary="Record the human review of an objection: upheld or changed, with a reason",
    responses=NOT_FOUND | CONFLICT,
)
async def resolve_automated_evaluation_objection(
    objection_id: uuid.UUID,
    body: AutomatedObjectionResolution,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> AutomatedObjectionOut:
    """An HR admin records the outcome of the human review (404 for anyone else):
    `upheld` — the automated result stands — or `changed`, with the reason. The review task
    completes, the person is told in the inbox, and the outcome is audited. 409 once
    reviewed."""
    objection = await objections.resolve(session, principal, objection_id, body, clock)
    return await objections.objection_view(session, objection)
