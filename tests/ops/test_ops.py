"""Health, readiness, metrics, and recovery after an outage."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from asgi_lifespan import LifespanManager
from httpx import AsyncClient
from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from tests.conftest import (
    DATABASE_URL,
    REDIS_URL,
    client_for,
    make_settings,
    recreate_database,
    scratch_database_url,
)
from tests.core import widgets
from tests.proxy import Proxy

PROBLEM = "application/problem+json"


async def test_health_is_ok(client: AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_when_everything_is_up(client: AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok", "migrations": "ok"}


async def _readiness_with(**overrides: str) -> tuple[int, dict[str, object], str]:
    runtime = Runtime.open(make_settings(**overrides), application_name="hrcore-test")
    app = create_app(runtime=runtime)
    try:
        async with LifespanManager(app), client_for(app) as http:
            response = await http.get("/readyz")
            return response.status_code, response.json(), response.headers["content-type"]
    finally:
        await runtime.close()


async def test_not_ready_names_redis_when_it_is_down(runtime: Runtime) -> None:
    status, body, content_type = await _readiness_with(redis_url="redis://127.0.0.1:1/0")
    assert status == 503
    assert content_type == PROBLEM
    assert body["detail"] == "Not ready: redis"
    assert body["checks"]["database"] == "ok"  # type: ignore[index]


async def test_not_ready_names_the_database_when_it_is_down(runtime: Runtime) -> None:
    status, body, _ = await _readiness_with(
        database_url="postgresql+asyncpg://postgres@127.0.0.1:1/nothing"
    )
    assert status == 503
    assert body["detail"] == "Not ready: database, migrations"


async def test_not_ready_when_migrations_are_behind(runtime: Runtime) -> None:
    url = scratch_database_url("unmigrated")
    await recreate_database(url)
    status, body, _ = await _readiness_with(database_url=url)
    assert status == 503
    assert body["detail"] == "Not ready: migrations"


async def test_metrics_expose_requests_by_route_template(client: AsyncClient) -> None:
    await client.get("/healthz")
    await client.get("/api/v1/nope/123")
    text = (await client.get("/metrics")).text
    assert 'hrcore_http_requests_total{method="GET",route="/healthz",status="200"}' in text
    assert 'route="unmatched",status="404"' in text
    assert "hrcore_http_request_duration_seconds_bucket" in text
    assert "hrcore_outbox_backlog 0.0" in text
    assert "hrcore_outbox_oldest_age_seconds" in text


@pytest.fixture
async def proxied_database() -> AsyncIterator[tuple[Proxy, str]]:
    url = make_url(DATABASE_URL)
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    yield proxy, url.set(port=proxy.port).render_as_string(hide_password=False)
    await proxy.stop()


@pytest.mark.commits  # its own runtime must see the fixture tables
async def test_database_outage_answers_503_and_recovers(
    runtime: Runtime, proxied_database: tuple[Proxy, str], owner_engine: AsyncEngine
) -> None:
    proxy, url = proxied_database
    settings = make_settings(database_url=url)
    outage_runtime = Runtime.open(settings, application_name="hrcore-test")
    await widgets.create_fixture_tables(owner_engine)
    app = create_app(runtime=outage_runtime)
    app.include_router(widgets.router)
    try:
        async with LifespanManager(app), client_for(app) as http:
            assert (await http.get("/api/v1/widgets")).status_code == 200
            await proxy.stop()
            down = await http.get("/api/v1/widgets")
            assert down.status_code == 503
            assert down.headers["content-type"] == PROBLEM
            assert down.headers["retry-after"] == "5"
            await proxy.start()
            assert (await http.get("/api/v1/widgets")).status_code == 200
    finally:
        await outage_runtime.close()


async def test_redis_outage_answers_503_and_recovers(runtime: Runtime) -> None:
    url = make_url(REDIS_URL.replace("redis://", "postgresql://"))
    proxy = Proxy(url.host or "127.0.0.1", url.port or 6379)
    await proxy.start()
    outage_runtime = Runtime.open(
        make_settings(redis_url=f"redis://127.0.0.1:{proxy.port}/{url.database}"),
        application_name="hrcore-test",
    )
    app = create_app(runtime=outage_runtime)
    try:
        async with LifespanManager(app), client_for(app) as http:
            assert (await http.get("/readyz")).status_code == 200
            await proxy.stop()
            assert (await http.get("/readyz")).json()["checks"]["redis"].startswith("unavailable")
            await proxy.start()
            assert (await http.get("/readyz")).status_code == 200
    finally:
        await outage_runtime.close()
        await proxy.stop()
