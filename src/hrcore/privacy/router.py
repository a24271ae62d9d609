"""Privacy's routes: each part's router is included here, in the document's order."""

from __future__ import annotations

from fastapi import APIRouter

from hrcore.core.http import HrcoreRoute

router = APIRouter(route_class=HrcoreRoute, tags=["privacy"])
