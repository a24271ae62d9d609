"""Analytics' routes: each part's router is included here, in the document's order."""

from __future__ import annotations

from fastapi import APIRouter

from hrcore.analytics import (
    bench_strength_routes,
    exports_routes,
    funnel_routes,
    mentoring_effect_routes,
    retention_routes,
    routes,
    selection_routes,
    talent_review_routes,
    training_effect_routes,
)
from hrcore.core.http import HrcoreRoute

router = APIRouter(route_class=HrcoreRoute, tags=["analytics"])
router.include_router(funnel_routes.router)
router.include_router(bench_strength_routes.router)
router.include_router(selection_routes.router)
router.include_router(retention_routes.router)
router.include_router(mentoring_effect_routes.router)
router.include_router(training_effect_routes.router)
router.include_router(routes.router)
router.include_router(exports_routes.router)
router.include_router(talent_review_routes.router)
