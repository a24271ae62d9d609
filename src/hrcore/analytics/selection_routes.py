"""Selection accuracy's route; its people are the generic
`/analytics/selection-accuracy/people`."""

from __future__ import annotations

from fastapi import APIRouter

from hrcore.analytics import selection_view
from hrcore.analytics.routes import Department, Window
from hrcore.analytics.selection_schemas import SelectionAccuracyOut
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import FORBIDDEN, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal

router = APIRouter(route_class=HrcoreRoute, tags=["analytics"])


@router.get(
    "/analytics/selection-accuracy",
    operation_id="get_selection_accuracy",
    summary="Appointees from pools in post and rated well after 6 and 12 months",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_selection_accuracy(
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    window_query: Window,
    department_id: Department = None,
) -> SelectionAccuracyOut:
    """For HR admins and department heads (their subtree; another is 404): the people
    appointed to a vacancy from a talent pool whose 6- or 12-month mark fell in the window,
    by the vacancy's department — still in post and rated well (4+ of 5, A or B), in post
    but rated below or not rated, transferred, or gone. Read from rollups the worker keeps
    current (`refreshed_at`); drill down with `/analytics/selection-accuracy/people`."""
    return await selection_view.selection_accuracy(
        session, principal, department_id, window_query, clock
    )
