"""Privacy's routes: each part's router is included here, in the document's order."""

from __future__ import annotations

from fastapi import APIRouter

from hrcore.core.http import HrcoreRoute
from hrcore.privacy import (
    automated_router,
    consent_router,
    exports_router,
    holds_router,
    read_log_router,
    requests_router,
    retention_router,
)

router = APIRouter(route_class=HrcoreRoute, tags=["privacy"])
router.include_router(exports_router.router)
router.include_router(read_log_router.router)
router.include_router(requests_router.router)
router.include_router(consent_router.router)
router.include_router(automated_router.router)
router.include_router(retention_router.router)
router.include_router(holds_router.router)
