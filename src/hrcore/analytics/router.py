"""Analytics' routes: each part's router is included here, in the document's order."""

from __future__ import annotations

from fastapi import APIRouter

from hrcore.analytics import retention_routes, routes
from hrcore.core.http import HrcoreRoute

router = APIRouter(route_class=HrcoreRoute, tags=["analytics"])
router.include_router(retention_routes.router)
router.include_router(routes.router)
