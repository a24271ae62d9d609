"""The real database and Redis every test runs against.

`HRCORE_TEST_DATABASE_URL` / `HRCORE_TEST_REDIS_URL` name them (CI points them at the
machine's services); unset, the embedded dev stack is started. The test database is dropped
and created fresh for each run, then migrated to head exactly as production is.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import asyncpg
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from hrcore import domains
from hrcore.core.migrations import upgrade
from hrcore.core.runtime import Runtime
from hrcore.domains import metadata
from hrcore.main import create_app
from hrcore.settings import PROJECT_ROOT, Settings


def _service_urls() -> tuple[str, str]:
    database = os.environ.get("HRCORE_TEST_DATABASE_URL")
    redis = os.environ.get("HRCORE_TEST_REDIS_URL")
    if database and redis:
        return database, redis
    from hrcore import devstack

    services = devstack.ensure_running(PROJECT_ROOT / ".hrcore", database="postgres")
    base = make_url(services.database_url).set(database="hrcore_test")
    redis_base = services.redis_url.rsplit("/", 1)[0]
    return (
        database or base.render_as_string(hide_password=False),
        redis or f"{redis_base}/15",
    )


async def recreate_database(url: str) -> None:
    """Drop and create the database named in `url` (refusing names without "test")."""
    parsed = make_url(url)
    name = parsed.database or ""
    if "test" not in name:
        raise RuntimeError(f"refusing to recreate {name!r}: test database names contain 'test'")
    admin = parsed.set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


DATABASE_URL, REDIS_URL = _service_urls()


def scratch_database_url(purpose: str) -> str:
    """A throw-away database beside the test database, named after it (`<test db>_<purpose>`):
    a fixed name would let two checkouts sharing one server drop each other's mid-test."""
    parsed = make_url(DATABASE_URL)
    return parsed.set(database=f"{parsed.database}_{purpose}").render_as_string(hide_password=False)


def make_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "database_url": DATABASE_URL,
        "redis_url": REDIS_URL,
        "queue_name": "hrcore:test:queue",
        "job_retry_base_seconds": 0.05,
        "outbox_poll_seconds": 0.05,
        "log_json": False,
        "dependency_timeout_seconds": 1.0,
    }
    values.update(overrides)
    return Settings.model_validate(values)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return make_settings()


@pytest.fixture(scope="session")
async def database(settings: Settings) -> str:
    assert settings.database_url
    await recreate_database(settings.database_url)
    await asyncio.to_thread(upgrade, settings.migrations_dir, settings.database_url)
    return settings.database_url


@pytest.fixture(scope="session")
async def runtime(
    settings: Settings, database: str, owner_engine: AsyncEngine
) -> AsyncIterator[Runtime]:
    domains.install()  # every job, subscription and hook, as the API and the worker have
    opened = Runtime.open(settings, application_name="hrcore-test")
    yield opened
    await opened.close()


@pytest.fixture(scope="session")
async def owner_engine(database: str) -> AsyncIterator[AsyncEngine]:
    """The schema owner's connection: bypasses row-level security, for set-up and clean-up only."""
    engine = create_async_engine(database, poolclass=NullPool)
    yield engine
    await engine.dispose()


@pytest.fixture(autouse=True)
async def _clean_state(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Each test starts with empty tables and an empty Redis database."""
    yield
    if "runtime" not in request.fixturenames:
        return
    runtime: Runtime = request.getfixturevalue("runtime")
    engine: AsyncEngine = request.getfixturevalue("owner_engine")
    async with engine.begin() as connection:
        # DELETE with foreign-key triggers off, not TRUNCATE: a test leaves a few rows in a
        # few tables, and TRUNCATE of every table cost ~0.5 s a test (a third of the suite).
        await connection.execute(text("SET LOCAL session_replication_role = replica"))
        for table in reversed(metadata.sorted_tables):
            await connection.execute(table.delete())
    await runtime.redis.flushdb()


@pytest.fixture(scope="session")
async def app(runtime: Runtime) -> AsyncIterator[FastAPI]:
    application = create_app(runtime=runtime)
    async with LifespanManager(application):
        yield application


def client_for(application: FastAPI) -> AsyncClient:
    transport = ASGITransport(app=application, raise_app_exceptions=False)
    return AsyncClient(transport=transport, base_url="http://testserver")


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with client_for(app) as http:
        yield http
