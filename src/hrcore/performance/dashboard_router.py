"""Dashboards over HTTP: one's own and a department's, with `ETag` and a live stream."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from hrcore.core.authz import own_employee_id
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import FORBIDDEN, NOT_FOUND, Responses
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.performance import dashboard_stream, dashboards
from hrcore.performance.dashboard_schemas import DepartmentDashboardOut, MyDashboardOut

router = APIRouter(route_class=HrcoreRoute, tags=["performance"])

STREAM: Responses = {
    200: {
        "description": "Server-sent events: `event: scores` with the JSON of what changed "
        "(re-read the dashboard), a `: heartbeat` comment every 15 s",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


@router.get(
    "/me/dashboard",
    operation_id="get_my_dashboard",
    summary="My performance dashboard: the current period by indicator and the trend",
    response_model=MyDashboardOut,
    responses=NOT_FOUND,
)
async def get_my_dashboard(
    request: Request, principal: CurrentPrincipal, session: DbSession, clock: AppClock
) -> Response:
    """The newest scored period by indicator (value, target, score, weight) and overall, the
    last 12 periods' overall and per-indicator series, oldest first, and the caller's goals of
    the current month and quarter with their progress. A strong `ETag`: polling
    with `If-None-Match` answers 304 for one small statement until a score changes. 404 for
    an account not linked to an employee."""
    employee_id = own_employee_id(principal)
    return await dashboards.my_dashboard(request, session, principal, employee_id, clock)


@router.get(
    "/me/dashboard/stream",
    operation_id="stream_my_dashboard",
    summary="My score changes, live (server-sent events)",
    response_class=StreamingResponse,
    responses=NOT_FOUND | STREAM,
)
async def stream_my_dashboard(
    request: Request, principal: CurrentPrincipal, session: DbSession
) -> StreamingResponse:
    """An `event: scores` (`{"months": [...]}`) each time the caller's scores are recomputed,
    after the change committed; re-read `/me/dashboard` then. 404 for an account not linked
    to an employee."""
    employee_id = own_employee_id(principal)
    return dashboard_stream.own_stream(request, principal.org_id, employee_id)


@router.get(
    "/departments/{department_id}/dashboard",
    operation_id="get_department_dashboard",
    summary="A department's performance dashboard: distribution, means, trend, best and worst",
    response_model=DepartmentDashboardOut,
    responses=NOT_FOUND | FORBIDDEN,
)
async def get_department_dashboard(
    department_id: uuid.UUID,
    request: Request,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    members: Annotated[
        int, Query(ge=1, le=50, description="How many best and worst members to show.")
    ] = 5,
) -> Response:
    """For HR admins and the heads of the department or of one above it (404 for anyone
    else; integration keys 403). Over the department and those under it: the current
    period's (the team's newest scored) distribution of overall scores by band, the mean, the
    last 12 periods' team means overall and per indicator, the best and worst members, and
    the newest observation per indicator of the department itself, and the department's own
    goals of the current month and quarter with their progress. A strong `ETag` for
    polling with `If-None-Match`."""
    team = await dashboards.team_in_reach(session, principal, department_id)
    return await dashboards.department_dashboard(request, session, principal, team, members, clock)


@router.get(
    "/departments/{department_id}/dashboard/stream",
    operation_id="stream_department_dashboard",
    summary="A department's score changes, live (server-sent events)",
    response_class=StreamingResponse,
    responses=NOT_FOUND | FORBIDDEN | STREAM,
)
async def stream_department_dashboard(
    department_id: uuid.UUID, request: Request, principal: CurrentPrincipal, session: DbSession
) -> StreamingResponse:
    """An `event: scores` (`{"employee_ids": [...], "months": [...]}`) each time members'
    scores are recomputed (the department's active members when the stream opened); re-read
    the dashboard then. Readers as for the dashboard."""
    team = await dashboards.team_in_reach(session, principal, department_id)
    return dashboard_stream.team_stream(request, principal.org_id, team.members)
