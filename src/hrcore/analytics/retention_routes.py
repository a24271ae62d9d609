"""`GET /analytics/retention`: turnover of the loop's cohorts against the rest, and by exit
reason; its people are the generic drill-down's (`/analytics/retention/people`)."""

from __future__ import annotations

from fastapi import APIRouter

from hrcore.analytics import retention_view
from hrcore.analytics.retention_schemas import StaffRetentionOut
from hrcore.analytics.routes import Department, Window
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import FORBIDDEN, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal

router = APIRouter(route_class=HrcoreRoute, tags=["analytics"])


@router.get(
    "/analytics/retention",
    operation_id="get_staff_retention",
    summary="Turnover of program graduates, trained managers, new hires and mentees",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_retention(
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    window_query: Window,
    department_id: Department = None,
) -> StaffRetentionOut:
    """For HR admins and department heads (their subtree; another is 404): per cohort and
    for everyone else, the headcount before and at the end of the window, its leavers and
    turnover (leavers ÷ average headcount; the default window of twelve months makes it the
    12-month turnover), and the window's exits by reason. People count in their current
    department, leavers in their last. Drill down with `/analytics/retention/people`
    (`step=left&dimension=new_hires`: the new hires who left, with their reason;
    `step=left_for&dimension=pay`: who left for pay)."""
    return await retention_view.staff_retention(
        session, principal, department_id, window_query, clock
    )
