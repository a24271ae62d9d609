"""Privacy's routes: each part's router is included here, in the document's order."""

from __future__ import annotations

from fastapi import APIRouter

from hrcore.core.http import HrcoreRoute
from hrcore.privacy import automated_router

router = APIRouter(route_class=HrcoreRoute, tags=["privacy"])
router.include_router(automated_router.router)
