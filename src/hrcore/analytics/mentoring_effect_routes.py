"""The mentoring effectiveness figure's route (people: `/analytics/mentoring-effect/people`)."""

from __future__ import annotations

from fastapi import APIRouter

from hrcore.analytics import mentoring_effect_view
from hrcore.analytics.mentoring_effect_schemas import MentoringEffectOut
from hrcore.analytics.routes import Department, Window
from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import FORBIDDEN, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal

router = APIRouter(route_class=HrcoreRoute, tags=["analytics"])


@router.get(
    "/analytics/mentoring",
    operation_id="get_mentoring_effect",
    summary="Mentoring effectiveness: pairings, sessions held against planned, outcomes",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_mentoring(
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    window_query: Window,
    department_id: Department = None,
) -> MentoringEffectOut:
    """For HR admins and department heads (their subtree; another is 404): pairings running,
    completed and cancelled, scheduled sessions due against sessions held, the mentees'
    mean rating and skill-test gains and goals reached as mentoring's effectiveness stored
    them, and the mentors' mean score (its survey part pooled past the anonymity
    threshold). Drill down with `/analytics/mentoring-effect/people`."""
    return await mentoring_effect_view.mentoring_figure(
        session, principal, department_id, window_query, clock
    )
