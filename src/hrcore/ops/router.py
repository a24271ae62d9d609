"""Liveness, readiness and metrics for operators and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import BaseModel

from hrcore.core.errors import problem_response
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import problem
from hrcore.ops import service

router = APIRouter(route_class=HrcoreRoute, tags=["operations"])


class Health(BaseModel):
    status: str


class ServiceReadiness(BaseModel):
    status: str
    checks: dict[str, str]


@router.get("/healthz", operation_id="health", summary="The process is alive")
async def health() -> Health:
    """For orchestrators, no authentication: the process is up and serving. Checks no dependency
    (see `/readyz`)."""
    return Health(status="ok")


@router.get(
    "/readyz",
    operation_id="readiness",
    summary="Database, Redis and migrations are ready",
    response_model=ServiceReadiness,
    responses=problem(503, "A dependency is not ready"),
)
async def readiness(request: Request) -> Response:
    """For orchestrators, no authentication: checks the database, Redis and that the schema is at
    the latest migration, each within a short timeout. All ok: 200 with each check; otherwise 503
    problem naming what is not ready, with `Retry-After`."""
    checks = await service.readiness(request.app.state.runtime)
    failing = sorted(name for name, state in checks.items() if state != "ok")
    if failing:
        return problem_response(
            request,
            503,
            detail=f"Not ready: {', '.join(failing)}",
            headers={"Retry-After": "5"},
            extensions={"checks": checks},
        )
    return JSONResponse(ServiceReadiness(status="ok", checks=checks).model_dump())


@router.get(
    "/metrics",
    operation_id="metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text"}},
)
async def metrics(request: Request) -> Response:
    """For Prometheus: request counts and latencies per route template, and outbox job counts per
    state refreshed from the database when it answers, in the Prometheus text format."""
    body = await service.metrics_text(request.app.state.runtime)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
