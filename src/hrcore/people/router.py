"""Employees, employment events, performance ratings, growth and panoramic profiles."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from hrcore.core.authz import Scope
from hrcore.core.concurrency import set_etag
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.core.responses import CONFLICT, FORBIDDEN, NOT_FOUND, validated_json
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.people import (
    access,
    employees,
    employment_events,
    growth,
    post_withdrawal,
    profile,
    ratings,
)
from hrcore.people.employees import EmployeeFilters
from hrcore.people.profile_schemas import PanoramicProfile
from hrcore.people.schemas import (
    EmployeeCreate,
    EmployeeDetail,
    EmployeeOut,
    EmployeePatch,
    EmployeeSort,
    EmployeeStatus,
    EmploymentEventCreate,
    EmploymentEventOut,
    GrowthProfileIn,
    GrowthProfileOut,
    PerformanceRatingCreate,
    PerformanceRatingOut,
    TemporaryPostWithdrawal,
)

router = APIRouter(route_class=HrcoreRoute)


async def _employee_filters(
    department_id: Annotated[uuid.UUID | None, Query(description="In this department.")] = None,
    include_subtree: Annotated[
        bool, Query(description="With `department_id`: also its sub-departments.")
    ] = False,
    status: Annotated[EmployeeStatus | None, Query()] = None,
    manager_id: Annotated[uuid.UUID | None, Query(description="Direct reports of.")] = None,
    position_id: Annotated[uuid.UUID | None, Query()] = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            description="Name contains, or employee number starts with (case-insensitive).",
        ),
    ] = None,
    sort: Annotated[EmployeeSort, Query(description="Ascending, ties by id.")] = "full_name",
) -> EmployeeFilters:
    return EmployeeFilters(
        department_id=department_id,
        include_subtree=include_subtree,
        status=status,
        manager_id=manager_id,
        position_id=position_id,
        q=q,
        sort=sort,
    )


# --- employees ----------------------------------------------------------------------------


@router.get(
    "/employees",
    tags=["employees"],
    operation_id="list_employees",
    summary="Employees the caller may see",
)
async def list_employees(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    filters: Annotated[EmployeeFilters, Depends(_employee_filters)],
) -> Page[EmployeeOut]:
    """Employees within the caller's reach — themself; a manager's direct and indirect reports; a
    department head's subtree; HR admins everyone; an integration key with `org:read` the directory
    without contact data. Cursor-paginated; filter by department (with `include_subtree`), status,
    manager, position or `q` (name contains, or number starts with); `sort` ascending. Email and
    phone are shown to HR admins only."""
    return await employees.list_employees(session, principal, page, filters)


@router.post(
    "/employees",
    tags=["employees"],
    operation_id="create_employee",
    summary="Hire an employee (HR admin)",
    status_code=status.HTTP_201_CREATED,
)
async def create_employee(
    body: EmployeeCreate, principal: CurrentPrincipal, session: DbSession, response: Response
) -> EmployeeOut:
    """For HR admins. Hires an employee: the number must be unique in the organization (409);
    department, position and manager must be of the organization (422). Records the hire as an
    employment event and is audited."""
    employee = await employees.create_employee(session, principal, body)
    set_etag(response, employee.version)
    return await employees.employee_view(session, employee, principal)


@router.get(
    "/employees/{employee_id}",
    tags=["employees"],
    operation_id="get_employee",
    summary="One employee",
)
async def get_employee(
    employee_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> EmployeeDetail:
    """One employee within the caller's reach (else 404; a key needs `org:read`); contact data for
    HR admins only, and the career moves recorded for a later date (`pending_changes`). Its `ETag`
    serves `If-None-Match` polling and `If-Match` on the correction."""
    employee = await access.ensure_can_view(
        session, principal, employee_id, key_scope=Scope.ORG_READ
    )
    set_etag(response, employee.version)
    view = await employees.employee_view(session, employee, principal)
    pending = await employment_events.pending_changes(session, employee.org_id, employee.id)
    return EmployeeDetail(**dict(view), pending_changes=pending)


@router.patch(
    "/employees/{employee_id}",
    tags=["employees"],
    operation_id="update_employee",
    summary="Correct an employee record (HR admin)",
)
async def update_employee(
    employee_id: uuid.UUID,
    body: EmployeePatch,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> EmployeeOut:
    """For HR admins: corrects a record (only the fields sent; career moves are employment events).
    A manager that would make the chain loop is 422. Guarded by `If-Match` or a body `version`
    (412/409 when stale); audited."""
    employee = await employees.update_employee(
        session, principal, employee_id, body, if_match=if_match
    )
    set_etag(response, employee.version)
    return await employees.employee_view(session, employee, principal)


# --- employment events --------------------------------------------------------------------


@router.get(
    "/employees/{employee_id}/events",
    tags=["employees"],
    operation_id="list_employment_events",
    summary="Employment history, oldest first",
)
async def list_events(
    employee_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[EmploymentEventOut]:
    """An employee's employment history (hire, transfers, promotions, temporary posts, exits,
    re-hires), oldest first, cursor-paginated, for whoever may see the employee (a key needs
    `profiles:read`)."""
    rows, cursor = await employment_events.list_events(session, principal, employee_id, page)
    items = await employment_events.event_views(session, principal.org_id, rows)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/employees/{employee_id}/events",
    tags=["employees"],
    operation_id="create_employment_event",
    summary="Record a transfer, promotion, temporary post, exit or re-hire (HR admin)",
    status_code=status.HTTP_201_CREATED,
)
async def create_event(
    employee_id: uuid.UUID,
    body: EmploymentEventCreate,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> EmploymentEventOut:
    """For HR admins. Records a career move: a transfer or promotion moves the current post, a
    temporary post is held on top of it, an exit ends employment, a re-hire (only of an exited
    employee) restarts it; an event before the hire date is 422. Dated today or earlier it applies
    at once; dated later it waits (`applied_at` null, shown in the employee's `pending_changes`)
    and an hourly job applies it on its date in the organization's time zone. Audited, and
    announced to the other domains: contracts drafts an amendment when a term of the active
    contract changes. Pay (`allowance`, `pay_terms_ref`) is sensitive personal information: once
    the organization publishes a `sensitive_data` consent text, it is 403 `consent-required`
    unless the employee's consent to the current text is in force (docs/privacy.md)."""
    return await employment_events.add_event(session, principal, employee_id, body, clock)


@router.post(
    "/employees/{employee_id}/events/{event_id}/withdraw",
    tags=["employees"],
    operation_id="withdraw_temporary_post",
    summary="Withdraw a temporary post before its first day, with a reason (HR admin)",
    responses={**FORBIDDEN, **NOT_FOUND, **CONFLICT},
)
async def withdraw_temporary_post(
    employee_id: uuid.UUID,
    event_id: uuid.UUID,
    body: TemporaryPostWithdrawal,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> EmploymentEventOut:
    """For HR admins. A temporary post recorded ahead of its first day is called off: the
    event stays in the history with `withdrawn_at` and the reason, never applies and leaves
    `pending_changes`. Contracts withdraws the amendment drafted for it that the employee has
    not confirmed (a confirmed one stays as signed, is not applied, and HR gets a task to
    settle it). 404 for another kind of event or one of another employee or organization;
    409 once the post has begun (it is ended early instead) or when it is withdrawn already.
    Audited (`employment_event.withdrawn`)."""
    event = await post_withdrawal.withdraw_temporary_post(
        session, principal, event_id, body.reason, clock, employee_id=employee_id
    )
    [view] = await employment_events.event_views(session, principal.org_id, [event])
    return view


# --- performance ratings ------------------------------------------------------------------


@router.get(
    "/employees/{employee_id}/performance-ratings",
    tags=["employees"],
    operation_id="list_performance_ratings",
    summary="Period ratings, by period",
)
async def list_ratings(
    employee_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> Page[PerformanceRatingOut]:
    """An employee's performance ratings by period, cursor-paginated, for whoever may see the
    employee (a key needs `ratings:read`)."""
    items, cursor = await ratings.list_ratings(session, principal, employee_id, page)
    return Page(items=items, next_cursor=cursor)


@router.post(
    "/employees/{employee_id}/performance-ratings",
    tags=["employees"],
    operation_id="create_performance_rating",
    summary="Rate a period (HR, the department head or a manager; 409 if already rated)",
    status_code=status.HTTP_201_CREATED,
)
async def create_rating(
    employee_id: uuid.UUID,
    body: PerformanceRatingCreate,
    principal: CurrentPrincipal,
    session: DbSession,
) -> PerformanceRatingOut:
    """HR admins, the department head over the employee or a manager up the chain rate a period
    (`2025`, `2025-H1`, `2025-Q3`) with a letter A–D or a score 1–5; never the employee themself
    (403). One rating per period: a second is 409."""
    return await ratings.add_rating(session, principal, employee_id, body)


# --- profiles -----------------------------------------------------------------------------


@router.get(
    "/employees/{employee_id}/profile",
    tags=["employees"],
    operation_id="get_employee_profile",
    summary="Panoramic profile, trimmed to what the caller may see",
    response_model=PanoramicProfile,
)
async def get_profile(
    employee_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> Response:
    """The panoramic profile of an employee within reach, in a fixed number of statements: basics,
    current post, employment history, tenure, management experience, three years of ratings, the
    growth profile, program participation and — for HR admins and the employee — contracts (`null`
    for anyone else). Sections of domains that do not exist yet are absent, not empty."""
    return validated_json(await profile.panoramic_profile(session, principal, employee_id, clock))


@router.get(
    "/me/growth-profile",
    tags=["growth profile"],
    operation_id="get_my_growth_profile",
    summary="My growth profile",
)
async def get_growth_profile(
    principal: CurrentPrincipal, session: DbSession, response: Response
) -> GrowthProfileOut:
    """The caller's own growth profile (skills, certifications, external trainings, career plan);
    version 0 with empty sections before the first submission. An account not linked to an employee
    gets 404."""
    mine = await growth.get_growth_profile(session, principal)
    set_etag(response, mine.version)
    return mine


@router.put(
    "/me/growth-profile",
    tags=["growth profile"],
    operation_id="submit_my_growth_profile",
    summary="Submit my growth profile (replaces it; stamps submitted_at)",
)
async def put_growth_profile(
    body: GrowthProfileIn,
    principal: CurrentPrincipal,
    session: DbSession,
    response: Response,
    clock: AppClock,
    if_match: IfMatch = None,
) -> GrowthProfileOut:
    """Replaces the caller's whole growth profile and stamps `submitted_at`. Guarded by `If-Match`
    or a body `version` (412/409 when stale); send version 0 the first time."""
    mine = await growth.submit_growth_profile(session, principal, clock, body, if_match=if_match)
    set_etag(response, mine.version)
    return mine
