"""The real database and Redis every test runs against.

`HRCORE_TEST_DATABASE_URL` / `HRCORE_TEST_REDIS_URL` name them (CI points them at the
machine's services); unset, the embedded dev stack is started. The test database is dropped
and created fresh for each run, then migrated to head exactly as production is.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import Connection, event, make_url, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.orm import Session

from hrcore import domains
from hrcore.core import security
from hrcore.core.clock import FrozenClock
from hrcore.core.migrations import upgrade
from hrcore.core.runtime import Runtime
from hrcore.domains import metadata
from hrcore.main import create_app
from hrcore.settings import PROJECT_ROOT, Settings


def _service_urls() -> tuple[str, str]:
    """The run's database and Redis URLs; the embedded stack is started once, by the process
    that imports this first (the xdist controller), and named to the workers it spawns."""
    database = os.environ.get("HRCORE_TEST_DATABASE_URL")
    redis = os.environ.get("HRCORE_TEST_REDIS_URL")
    if not (database and redis):
        from hrcore import devstack

        services = devstack.ensure_running(PROJECT_ROOT / ".hrcore", database="postgres")
        base = make_url(services.database_url).set(database="hrcore_test")
        redis_base = services.redis_url.rsplit("/", 1)[0]
        database = database or base.render_as_string(hide_password=False)
        redis = redis or f"{redis_base}/15"
        os.environ["HRCORE_TEST_DATABASE_URL"] = database
        os.environ["HRCORE_TEST_REDIS_URL"] = redis
    return _for_this_worker(database, redis)


def _for_this_worker(database: str, redis: str) -> tuple[str, str]:
    """Under pytest-xdist, worker n gets its own database (`<name>_gw<n>`) and Redis database
    (number + 8n, mod 16: beside the number given, clear of its neighbours, which other
    checkouts sharing the server may hold); without xdist the URLs as given."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return database, redis
    number = int(worker.removeprefix("gw"))
    parsed = make_url(database)
    database = parsed.set(database=f"{parsed.database}_{worker}").render_as_string(
        hide_password=False
    )
    parts = urlsplit(redis)
    db = (int(parts.path.strip("/") or 0) + 8 * number) % 16
    return database, urlunsplit(parts._replace(path=f"/{db}"))


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first: under xdist (`--dist loadscope`, a module to one worker) they then
    overlap the short ones instead of ending last."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


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
async def runtime(settings: Settings, database: str) -> AsyncIterator[Runtime]:
    domains.install()  # every job, subscription and hook, as the API and the worker have
    opened = Runtime.open(settings, application_name="hrcore-test")
    yield opened
    await opened.close()


@pytest.fixture(scope="session")
async def schema_owner_engine(database: str) -> AsyncIterator[AsyncEngine]:
    """The schema owner's own connections: bypass row-level security, see only commits.
    Pooled: every test checks for leaked rows or cleans up through it."""
    engine = create_async_engine(database, pool_size=2)
    yield engine
    await engine.dispose()


class _TestSession(Session):
    """A session joining the test's transaction through a SAVEPOINT."""


@event.listens_for(_TestSession, "after_begin")
def _forget_tenant(session: Session, transaction: Any, connection: Connection) -> None:
    # `set_tenant` is SET LOCAL: released savepoints keep it until the test's transaction
    # ends. Production starts every transaction without a tenant; so does each savepoint.
    connection.exec_driver_sql("SELECT set_config('app.org_id', '', true)")


@pytest.fixture(autouse=True)
def _isolation(request: pytest.FixtureRequest) -> AsyncConnection | None:
    """Each test starts with empty tables and an empty Redis database.

    By default the test runs inside one transaction on one connection, rolled back at the
    end: the runtime's sessions (the app's, the jobs', the factories') join it through
    SAVEPOINTs, so `commit` releases a savepoint and nothing reaches the database. Tests
    marked `commits` (another connection must see their writes: the worker, concurrency,
    their own stacks) commit for real and are cleaned up by deleting every row.
    """
    if "runtime" not in request.fixturenames:
        return None
    if request.node.get_closest_marker("commits"):
        return request.getfixturevalue("_deleted_after")  # type: ignore[no-any-return]
    return request.getfixturevalue("_rolled_back")  # type: ignore[no-any-return]


@pytest.fixture
async def _rolled_back(
    runtime: Runtime, schema_owner_engine: AsyncEngine
) -> AsyncIterator[AsyncConnection]:
    sessionmaker = runtime.sessionmaker
    unbound = dict(sessionmaker.kw)
    async with runtime.engine.connect() as connection:
        transaction = await connection.begin()
        sessionmaker.configure(
            bind=connection,
            join_transaction_mode="create_savepoint",
            sync_session_class=_TestSession,
        )
        try:
            yield connection
        finally:
            sessionmaker.kw = unbound
            await transaction.rollback()
    await runtime.redis.flushdb()
    async with schema_owner_engine.connect() as check:
        leaked = await check.scalar(text("SELECT EXISTS (SELECT FROM organizations)"))
    if leaked:
        await _delete_every_row(schema_owner_engine)
        pytest.fail(
            "the test committed rows outside its transaction (its own runtime or engine?): "
            "mark it `@pytest.mark.commits`"
        )


@pytest.fixture
async def _deleted_after(runtime: Runtime, schema_owner_engine: AsyncEngine) -> AsyncIterator[None]:
    yield None
    await _delete_every_row(schema_owner_engine)
    await runtime.redis.flushdb()


async def _delete_every_row(owner: AsyncEngine) -> None:
    """DELETE with foreign-key triggers off, not TRUNCATE: a test leaves a few rows in a few
    tables, and TRUNCATE of every table cost ~0.5 s a test (a third of the suite). One script,
    not a statement a table: a round trip, not fifty (about half the time)."""
    script = "SET LOCAL session_replication_role = replica;" + "".join(
        f'DELETE FROM "{table.name}";' for table in reversed(metadata.sorted_tables)
    )
    async with owner.begin() as connection:
        raw = await connection.get_raw_connection()
        await raw.driver_connection.execute(script)  # type: ignore[union-attr]


class OwnerOnTestConnection:
    """`owner_engine` under rollback isolation: the test's own connection, switched to the
    schema owner (RLS bypassed) for the block, in a savepoint, so it sees and keeps what the
    test wrote."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        connection = self._connection
        async with connection.begin_nested():
            role = await connection.scalar(text("SELECT current_user"))
            await connection.exec_driver_sql("SET LOCAL ROLE NONE")
            yield connection
            # Not reached on an error: rolling back to the savepoint restores the role.
            await connection.exec_driver_sql(f'SET LOCAL ROLE "{role}"')

    begin = connect


@pytest.fixture
def owner_engine(
    _isolation: AsyncConnection | None, schema_owner_engine: AsyncEngine
) -> AsyncEngine | OwnerOnTestConnection:
    """The schema owner's view, for set-up and checks only: bypasses row-level security."""
    if _isolation is None:
        return schema_owner_engine
    return OwnerOnTestConnection(_isolation)


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


@pytest.fixture
async def api(app: FastAPI) -> AsyncIterator[AsyncClient]:
    """A second client of the app, by the name the delivery and integration tests use."""
    async with client_for(app) as http:
        yield http


@pytest.fixture
def cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """For accounts that authenticate with issued tokens, never passwords: skip argon2's cost
    (tenths of a second an account)."""
    monkeypatch.setattr(security, "hash_password", lambda password: f"unused:{password}")


@contextmanager
def recorded_statements(runtime: Runtime) -> Iterator[list[str]]:
    """Every SQL statement the app's engine sends while the block runs."""
    statements: list[str] = []

    def _record(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", _record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _record)


@asynccontextmanager
async def frozen_clock(runtime: Runtime, start: datetime) -> AsyncIterator[FrozenClock]:
    """The runtime's clock stopped at `start` for the block (tests travel in time by
    advancing it), the real clock back afterwards."""
    frozen = FrozenClock(start)
    original = runtime.clock
    runtime.clock = frozen
    try:
        yield frozen
    finally:
        runtime.clock = original
