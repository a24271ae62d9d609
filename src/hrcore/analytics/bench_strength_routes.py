"""Bench strength's route; its people are the generic `/analytics/bench-strength/people`."""

from __future__ import annotations

from fastapi import APIRouter

from hrcore.analytics import bench_strength_view
from hrcore.analytics.bench_strength_schemas import BenchStrengthOut
from hrcore.analytics.routes import Department
from hrcore.core.db import DbSession
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import FORBIDDEN, NOT_FOUND
from hrcore.identity.dependencies import CurrentPrincipal

router = APIRouter(route_class=HrcoreRoute, tags=["analytics"])


@router.get(
    "/analytics/bench-strength",
    operation_id="get_bench_strength",
    summary="Successors per key position by readiness, and positions without any",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_bench_strength(
    principal: CurrentPrincipal, session: DbSession, department_id: Department = None
) -> BenchStrengthOut:
    """For HR admins and department heads (their subtree; another is 404): each key position
    (the target position of an active talent pool) in the subtree, with its successors (the
    pools' active members) ready now, in 1–2 years, in 3+ years or not assessed, flagged when
    it has none. Read from rollups the worker keeps current (`refreshed_at`); drill down with
    `/analytics/bench-strength/people?dimension=<position id>`."""
    return await bench_strength_view.bench_strength_now(session, principal, department_id)
