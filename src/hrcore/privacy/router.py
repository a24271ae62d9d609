"""Privacy's routes: each part's router is included here, in the document's order."""

from __future__ import annotations

from fastapi import APIRouter

from hrcore.core.http import HrcoreRoute
from hrcore.privacy.holds_router import router as holds_router
from hrcore.privacy.retention_router import router as retention_router

router = APIRouter(route_class=HrcoreRoute, tags=["privacy"])
router.include_router(retention_router)
router.include_router(holds_router)
