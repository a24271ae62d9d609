"""Work results 「工作成果」 over HTTP: submitted by the employee, accepted (an observation) or
rejected with a reason by their manager."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.performance import work_results
from hrcore.performance.work_results_schemas import (
    RejectionIn,
    Status,
    WorkResultIn,
    WorkResultOut,
)

router = APIRouter(route_class=HrcoreRoute, tags=["performance"])


@router.post(
    "/work-results",
    operation_id="submit_work_result",
    summary="Submit a work result 「工作成果」 with evidence",
    status_code=status.HTTP_201_CREATED,
    response_model=WorkResultOut,
    responses=NOT_FOUND | FORBIDDEN,
)
async def submit_work_result(
    body: WorkResultIn, principal: CurrentPrincipal, session: DbSession
) -> WorkResultOut:
    """The caller's own (404 for an account without an employee, 403 for keys): what was
    delivered, the indicator and value it claims (an indicator no scheme measures is 422) and
    evidence files the caller uploaded. It waits for the manager's decision."""
    return await work_results.submit(session, principal, body)


@router.get(
    "/work-results",
    operation_id="list_work_results",
    summary="Work results in your reach, newest first",
    response_model=Page[WorkResultOut],
    responses=FORBIDDEN,
)
async def list_work_results(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    employee_id: Annotated[uuid.UUID | None, Query(description="Only this employee's.")] = None,
    status: Annotated[Status | None, Query(description="Only those in this state.")] = None,
) -> Page[WorkResultOut]:
    """Managers see their teams' (the reach people gives: the managers above, department
    heads over the department), HR admins the organization's; `status=submitted` is what waits
    for a decision. Cursor-paginated."""
    return await work_results.listed(
        session, principal, page, mine=False, employee_id=employee_id, status=status
    )


@router.get(
    "/me/work-results",
    operation_id="list_my_work_results",
    summary="My work results, newest first",
    response_model=Page[WorkResultOut],
    responses=NOT_FOUND,
)
async def list_my_work_results(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    status: Annotated[Status | None, Query(description="Only those in this state.")] = None,
) -> Page[WorkResultOut]:
    """The caller's own, with each decision and its reason; 404 for an account not linked
    to an employee."""
    return await work_results.listed(
        session, principal, page, mine=True, employee_id=None, status=status
    )


@router.get(
    "/work-results/{result_id}",
    operation_id="get_work_result",
    summary="One work result",
    response_model=WorkResultOut,
    responses=NOT_FOUND,
)
async def get_work_result(
    result_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> WorkResultOut:
    """For the submitter and whoever may see the employee (404 otherwise)."""
    return await work_results.read(session, principal, result_id)


@router.post(
    "/work-results/{result_id}/accept",
    operation_id="accept_work_result",
    summary="Accept a work result: its value becomes an observation (manager)",
    response_model=WorkResultOut,
    responses=NOT_FOUND | FORBIDDEN | CONFLICT,
)
async def accept_work_result(
    result_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> WorkResultOut:
    """The employee's direct manager or an HR admin (others who see it: 403). The claimed
    value is recorded as an observation (source `work_result`, external id the result's id)
    the way `POST /metric-observations` records one, and the live score follows. Decided
    once: 409 after an acceptance or a rejection."""
    return await work_results.accept(session, principal, result_id, clock.now())


@router.post(
    "/work-results/{result_id}/reject",
    operation_id="reject_work_result",
    summary="Reject a work result with a reason (manager)",
    response_model=WorkResultOut,
    responses=NOT_FOUND | FORBIDDEN | CONFLICT,
)
async def reject_work_result(
    result_id: uuid.UUID,
    body: RejectionIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> WorkResultOut:
    """As accepting, with the reason the employee reads; nothing is recorded."""
    return await work_results.reject(session, principal, result_id, body, clock.now())
