"""Analytics' routes: each part's router is included here, in the document's order."""

from __future__ import annotations

from fastapi import APIRouter

from hrcore.analytics import routes, talent_review_routes
from hrcore.core.http import HrcoreRoute

router = APIRouter(route_class=HrcoreRoute, tags=["analytics"])
router.include_router(routes.router)
router.include_router(talent_review_routes.router)
