"""Decline alerts over HTTP: `GET /performance-alerts`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from hrcore.core.db import DbSession
from hrcore.core.dependencies import Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.pagination import Page
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.performance import alerts
from hrcore.performance.alerts_schemas import PerformanceAlertOut
from hrcore.performance.schemas import Key

router = APIRouter(route_class=HrcoreRoute, tags=["performance"])


@router.get(
    "/performance-alerts",
    operation_id="list_performance_alerts",
    summary="Decline alerts 「绩效下滑预警」, newest first",
    response_model=Page[PerformanceAlertOut],
)
async def list_performance_alerts(
    principal: CurrentPrincipal,
    session: DbSession,
    page: Pagination,
    employee_id: Annotated[uuid.UUID | None, Query(description="Only this employee's.")] = None,
    indicator: Annotated[Key | None, Query(description="Only this indicator's.")] = None,
) -> Page[PerformanceAlertOut]:
    """The alerts of the employees the caller sees: a manager their reports', a department
    head the department's, an employee their own, HR admins everyone's (keys need
    `ratings:read`). Each carries the figures that raised it: the trailing series, its
    average, the period's value, the window and the threshold."""
    return await alerts.listed(
        session, principal, page, employee_id=employee_id, indicator=indicator
    )
