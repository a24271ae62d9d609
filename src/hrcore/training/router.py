"""Training's routes: each part's router is included here, in the document's order."""

from __future__ import annotations

from fastapi import APIRouter

from hrcore.core.http import HrcoreRoute
from hrcore.training import (
    action_plan_router,
    checkin_router,
    courses_router,
    exam_router,
    incentive_router,
    needs_router,
    points_router,
    reports_router,
)

router = APIRouter(route_class=HrcoreRoute, tags=["training"])

router.include_router(courses_router.router)
router.include_router(checkin_router.router)
router.include_router(action_plan_router.router)
router.include_router(exam_router.router)
router.include_router(points_router.router)
router.include_router(needs_router.router)
router.include_router(incentive_router.router)
router.include_router(reports_router.router)
