"""Department performance over HTTP: `GET /departments/{id}/performance`."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import FORBIDDEN, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.performance import departments
from hrcore.performance.departments_schemas import DepartmentPerformanceOut

router = APIRouter(route_class=HrcoreRoute, tags=["performance"])


@router.get(
    "/departments/{department_id}/performance",
    operation_id="get_department_performance",
    summary="A department's performance: its own indicators and its team's aggregate",
    response_model=DepartmentPerformanceOut,
    responses=FORBIDDEN | NOT_FOUND,
)
async def get_department_performance(
    department_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> DepartmentPerformanceOut:
    """For HR admins, keys with `ratings:read` and the heads of the department or a
    department above it (another head: 404; other users 403). The newest 12 periods, newest
    first: the department's own observations scored against its scheme (explained per
    indicator like an employee's) and the mean of its members' live scores, overall and per
    indicator."""
    return await departments.department_performance(session, principal, department_id, clock)
