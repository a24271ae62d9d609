"""The training figure's route (people: `/analytics/training-effect/people`)."""

from __future__ import annotations

from fastapi import APIRouter

from hrcore.analytics import training_effect_view
from hrcore.analytics.routes import Department, Window
from hrcore.analytics.training_effect_schemas import TrainingEffectOut
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import FORBIDDEN, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal

router = APIRouter(route_class=HrcoreRoute, tags=["analytics"])


@router.get(
    "/analytics/training",
    operation_id="get_training_effect",
    summary="Training effect and the distribution of points",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_training(
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    window_query: Window,
    department_id: Department = None,
) -> TrainingEffectOut:
    """For HR admins and department heads (their subtree; another is 404): per course
    category, enrolments made, completed, completed with an exam, exams passed and action
    plans submitted in the window, with completion and pass rates; and the people per band
    of the year's points in each category, from the ledger's yearly balances. Drill down
    with `/analytics/training-effect/people`."""
    return await training_effect_view.training_figure(
        session, principal, department_id, window_query, clock
    )
