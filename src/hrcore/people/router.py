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
from hrcore.core.responses import validated_json
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.people import access, employees, employment_events, growth, profile, ratings
from hrcore.people.employees import EmployeeFilters
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
    PanoramicProfile,
    PerformanceRatingCreate,
    PerformanceRatingOut,
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
    employee = await employees.create_employee(session, principal, body)
    set_etag(response, employee.version)
    return employees.employee_view(employee, principal)


@router.get(
    "/employees/{employee_id}",
    tags=["employees"],
    operation_id="get_employee",
    summary="One employee",
)
async def get_employee(
    employee_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, response: Response
) -> EmployeeDetail:
    employee = await access.ensure_can_view(
        session, principal, employee_id, key_scope=Scope.ORG_READ
    )
    set_etag(response, employee.version)
    pending = await employment_events.pending_changes(session, employee.org_id, employee.id)
    return EmployeeDetail(
        **employees.employee_view(employee, principal).model_dump(), pending_changes=pending
    )


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
    employee = await employees.update_employee(
        session, principal, employee_id, body, if_match=if_match
    )
    set_etag(response, employee.version)
    return employees.employee_view(employee, principal)


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
    rows, cursor = await employment_events.list_events(session, principal, employee_id, page)
    return Page(items=[EmploymentEventOut.model_validate(row) for row in rows], next_cursor=cursor)


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
    event = await employment_events.add_event(session, principal, employee_id, body, clock)
    return EmploymentEventOut.model_validate(event)


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
    rows, cursor = await ratings.list_ratings(session, principal, employee_id, page)
    items = [PerformanceRatingOut.model_validate(row) for row in rows]
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
    rating = await ratings.add_rating(session, principal, employee_id, body)
    return PerformanceRatingOut.model_validate(rating)


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
    mine = await growth.submit_growth_profile(session, principal, clock, body, if_match=if_match)
    set_etag(response, mine.version)
    return mine
