"""Engine, sessions and the unit of work: one transaction per request or job."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Callable, Collection, Hashable, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any, Protocol, TypeVar

import asyncpg
from fastapi import Depends, Request
from sqlalchemy import (
    ARRAY,
    JSON,
    ColumnElement,
    Insert,
    Select,
    Text,
    Uuid,
    any_,
    bindparam,
    cast,
    event,
    func,
    inspect,
    literal,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql import ClauseElement

from hrcore.core.errors import TRANSIENT_SQLSTATES, NotFound
from hrcore.core.i18n import Text as Message
from hrcore.core.i18n import _
from hrcore.core.models import Base, new_id

SessionMaker = async_sessionmaker[AsyncSession]

PING_AFTER_IDLE_SECONDS = 5.0
"""A pooled connection idle longer than this is pinged before use (see `create_engine`)."""


def create_engine(
    url: str,
    *,
    application_name: str,
    pool_size: int = 15,
    max_overflow: int = 0,
    statement_timeout_ms: int = 15_000,
    role: str | None = None,
) -> AsyncEngine:
    """A bounded pool that re-checks idle connections, so the service recovers after a DB
    restart.

    `role` is switched to on connect (SET ROLE), so row-level security applies even when the
    login is the tables' owner, as in development and CI.
    """
    server_settings = {
        "application_name": application_name,
        "statement_timeout": str(statement_timeout_ms),
        # Short OLTP queries: JIT compilation costs more than it saves, and misfires on the
        # row estimates of recursive CTEs (the manager chain).
        "jit": "off",
    }
    if role:
        server_settings["role"] = role
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=5,
        connect_args={
            "timeout": 5,
            "server_settings": server_settings,
        },
    )
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Ping a connection before use only when it has sat idle in the pool.

    `pool_pre_ping` costs three round trips (BEGIN, `;`, ROLLBACK) on every checkout, more
    than a short read's own statements. A connection used in the last
    `PING_AFTER_IDLE_SECONDS` is handed out as it is: should the database have gone away in
    that window, the request fails as an outage (503) and its disconnect error invalidates
    the whole pool, so the next checkouts connect afresh.
    """
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "checkin")
    def _idle_from(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            dbapi_connection.ping()
        except Exception as exc:  # any failure: let the pool connect afresh
            raise DisconnectionError(str(exc)) from exc


def create_sessionmaker(engine: AsyncEngine) -> SessionMaker:
    """Sessions never expire loaded objects on commit: async code must not lazy-load."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def unit_of_work(sessionmaker: SessionMaker) -> AsyncIterator[AsyncSession]:
    """Commit when the block succeeds, roll back on any exception."""
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


SET_TENANT = "SELECT set_config('app.org_id', $1, true)"


async def set_tenant(session: AsyncSession, org_id: uuid.UUID) -> None:
    """Scope this transaction to one organization; row-level security policies read it.

    Sent as driver SQL (no compilation, no ORM): every authenticated request pays it. It is
    the transaction's first statement, so after it `fetch` runs inside the transaction.
    """
    connection = await session.connection()
    await connection.exec_driver_sql(SET_TENANT, (str(org_id),))
    _remember_driver(session, connection)


async def fetch(session: AsyncSession, sql: str, *args: Any) -> list[asyncpg.Record]:
    """Rows of `sql` (PostgreSQL `$n` parameters) straight from the driver, in the session's
    transaction and tenant: for reads that map rows to a response themselves.

    asyncpg prepares `sql` once per connection and reuses the plan; SQLAlchemy adds no
    compilation, no result processing and no ORM objects. Listeners of the engine's
    `before_cursor_execute` (statement counters) still see each statement. Call it only
    after `set_tenant` (authentication does it first on every request): row-level security
    answers nothing outside a tenant.
    """
    driver, sync_connection = await _driver_of(session)
    dispatch = sync_connection.dispatch
    if dispatch.before_cursor_execute:
        dispatch.before_cursor_execute(sync_connection, None, sql, args, None, False)
    try:
        rows: list[asyncpg.Record] = await driver.fetch(sql, *args)
        return rows
    except (asyncpg.InterfaceError, asyncpg.PostgresConnectionError, OSError) as exc:
        await (await session.connection()).invalidate(exc)
        raise DriverOutage(str(exc)) from exc
    except asyncpg.PostgresError as exc:
        if exc.sqlstate in TRANSIENT_SQLSTATES:
            raise DriverOutage(str(exc)) from exc
        raise


async def plan_for_these_values(session: AsyncSession, work_mem: str | None = None) -> None:
    """Have PostgreSQL plan every statement for its values until the transaction ends, and
    with `work_mem` (e.g. "64MB") for its sorts and hashes when given.

    A statement prepared once per connection (asyncpg) gets a generic plan after five runs,
    blind to its parameters; for a search whose selectivity lives in the values (a name
    fragment against a reach of 10,000 people) that plan walks the whole table (about 70 ms
    where the planned one takes 5). One statement, paid only by such reads."""
    await fetch(
        session,
        "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
        "set_config('work_mem', coalesce($1, current_setting('work_mem')), true)",
        work_mem,
    )


_COMPILED: dict[Hashable, tuple[str, tuple[str, ...]]] = {}
_DIALECT = asyncpg_dialect()  # type: ignore[no-untyped-call]


def compiled_once(
    shape: Hashable, build: Callable[[], ClauseElement]
) -> tuple[str, tuple[str, ...]]:
    """The SQL text of a statement written with named `bindparam`s and the parameters' names
    in their `$n` order, compiled once per `shape` and process: the same text SQLAlchemy
    sends, without building, cache-keying and compiling it on every request."""
    found = _COMPILED.get(shape)
    if found is None:
        compiled = build().compile(dialect=_DIALECT)
        names = getattr(compiled, "positiontup", None) or ()
        found = _COMPILED[shape] = (str(compiled), tuple(names))
    return found


async def fetch_compiled(
    session: AsyncSession, shape: Hashable, build: Callable[[], ClauseElement], **values: Any
) -> list[asyncpg.Record]:
    """`fetch` of the statement `compiled_once` for `shape`, its parameters by name."""
    sql, names = compiled_once(shape, build)
    return await fetch(session, sql, *(values[name] for name in names))


async def _driver_of(session: AsyncSession) -> tuple[asyncpg.Connection, Connection]:
    """The asyncpg connection under the session's transaction, looked up once per
    transaction (each lookup is a trip through SQLAlchemy's greenlet bridge); `set_tenant`
    already notes it."""
    transaction = session.sync_session.get_transaction()
    known = session.info.get(_DRIVER)
    if transaction is not None and known is not None and known[0] is transaction:
        return known[1], known[2]
    return _remember_driver(session, await session.connection())


def _remember_driver(
    session: AsyncSession, connection: AsyncConnection
) -> tuple[asyncpg.Connection, Connection]:
    """Called with a connection that has just been checked out or used, so reading its
    DBAPI connection needs no I/O."""
    sync_connection = connection.sync_connection
    assert sync_connection is not None
    driver: asyncpg.Connection = sync_connection.connection.driver_connection
    session.info[_DRIVER] = (session.sync_session.get_transaction(), driver, sync_connection)
    return driver, sync_connection


_DRIVER = "hrcore.driver"


class DriverOutage(ConnectionError):
    """A lost connection or a transient failure (timeout, shutdown) under `fetch`: answered
    as an outage (503), as SQLAlchemy's own errors of that kind are."""


RowT = TypeVar("RowT", bound=Base)


def among(
    column: ColumnElement[uuid.UUID] | InstrumentedAttribute[uuid.UUID], ids: Collection[uuid.UUID]
) -> ColumnElement[bool]:
    """`column = ANY(:ids)`: rows whose id is one of `ids` (e.g. another domain's named query
    answer), bound as one array however many there are — an IN list binds one parameter per
    id, and PostgreSQL takes at most 32,767."""
    condition: ColumnElement[bool] = column == any_(literal(list(ids), ARRAY(Uuid())))
    return condition


async def get_or_404(
    session: AsyncSession,
    model: type[RowT],
    org_id: uuid.UUID,
    row_id: uuid.UUID,
    *,
    what: str,
    for_update: bool = False,
) -> RowT:
    """The row `row_id` of the organization, else 404 `No such <what>`: the same answer for a
    row that does not exist and one of another organization. `what` is a catalog noun
    (`N_("task")`), rendered in the reader's language inside the message."""
    row = await session.scalar(by_id(model, for_update=for_update), by_id_values(org_id, row_id))
    if row is None:
        raise NotFound(_("No such {what}", what=Message(what)))
    return row


_BY_ID: dict[tuple[type[Base], bool], Select[Any]] = {}


def by_id(model: type[RowT], *, for_update: bool = False) -> Select[RowT]:
    """`SELECT` one row of `model` by organization and id (locked for `for_update`), built
    once per model: a request runs it with `by_id_values` and pays no statement
    construction (the SQL is the same as built in place)."""
    statement = _BY_ID.get((model, for_update))
    if statement is None:
        columns = inspect(model).columns
        statement = select(model).where(
            columns.org_id == bindparam("org_id"), columns.id == bindparam("row_id")
        )
        if for_update:
            statement = statement.with_for_update()
        _BY_ID[(model, for_update)] = statement
    return statement


def by_id_values(org_id: uuid.UUID, row_id: uuid.UUID) -> dict[str, uuid.UUID]:
    return {"org_id": org_id, "row_id": row_id}


@asynccontextmanager
async def tenant_transaction(
    sessionmaker: SessionMaker, org_id: uuid.UUID
) -> AsyncIterator[AsyncSession]:
    """A unit of work scoped to one organization: a job's side transaction (progress, a
    delivery log, a rate-limit slot) or one organization's share of a cron."""
    async with unit_of_work(sessionmaker) as session:
        await set_tenant(session, org_id)
        yield session


async def try_claim(session: AsyncSession, key: str) -> bool:
    """Take a lock on `key` until this transaction ends; False when another one holds it.

    For a job that must not run twice at once, such as one that sends over HTTP (two workers
    could pick the same job after a stale re-send): the loser skips, the holder finishes or
    retries. An advisory lock on a 64-bit hash of `key`, so rows stay writable by the short
    side transactions that log attempts.
    """
    claimed = await session.scalar(
        text(
            "SELECT pg_try_advisory_xact_lock(('x' || substr(md5(:key), 1, 16))::bit(64)::bigint)"
        ),
        {"key": key},
    )
    return bool(claimed)


async def commit_without_flush_wait(session: AsyncSession) -> None:
    """Let this transaction's COMMIT return before its WAL reaches disk.

    Only for work that is safe to redo: a database crash may lose the last fraction of a
    second of such commits (never corrupts), and the work then runs again. Saves a disk flush
    per commit, the largest single cost of a batch job's short transactions.
    """
    await session.execute(text("SET LOCAL synchronous_commit = off"))


class RequestScope(Protocol):
    """Work wrapped around a request's endpoint: opened before it runs, `before_commit` once
    it has returned (in its transaction), `after_commit` once that committed (still before
    the response is sent), `close` always (`core.read_log`)."""

    async def before_commit(self, session: AsyncSession) -> None: ...

    async def after_commit(self) -> None: ...

    def close(self) -> None: ...


_REQUEST_SCOPES: list[Callable[[Request], RequestScope]] = []


def around_requests(open_scope: Callable[[Request], RequestScope]) -> None:
    """Wrap every request's endpoint in the scope `open_scope` opens (idempotent: installed
    when a process is built, as hooks are)."""
    if open_scope not in _REQUEST_SCOPES:
        _REQUEST_SCOPES.append(open_scope)


async def _request_session(request: Request) -> AsyncIterator[AsyncSession]:
    sessionmaker: SessionMaker = request.app.state.sessionmaker
    scopes = [open_scope(request) for open_scope in _REQUEST_SCOPES]
    try:
        async with unit_of_work(sessionmaker) as session:
            yield session
            for scope in scopes:
                await scope.before_commit(session)
        for scope in scopes:
            await scope.after_commit()
    finally:
        for scope in scopes:
            scope.close()


DbSession = Annotated[AsyncSession, Depends(_request_session, scope="function")]
"""The request's session. `scope="function"` commits before the response is sent."""


async def insert_new(
    session: AsyncSession,
    model: type[Any],
    rows: Sequence[dict[str, Any]],
    *,
    unique: Sequence[str],
    returning: Sequence[Any],
) -> list[tuple[Any, ...]]:
    """Insert rows, skipping those that collide on `unique`; returns `returning` of the new.

    The idempotent write every job needs (`INSERT … ON CONFLICT DO NOTHING RETURNING`). Rows
    go in as one `INSERT … SELECT unnest(…)` with an array per column (see `insert_all`):
    one cached statement and one round trip for any number of rows (10,000 rows: ~10×
    faster than an executemany). Rows with array values, which `unnest` would flatten, fall
    back to an executemany of one cached statement.
    """
    if not rows:
        return []
    rows = [{"id": new_id(), **row} for row in rows]
    table = model.__table__
    names = list(rows[0])
    insert = pg_insert(table)
    if any(isinstance(table.c[name].type, ARRAY) for name in names):
        statement, parameters = insert, list(rows)
    else:
        statement = insert.from_select(names, select(*(_unnest(table, n, rows) for n in names)))
        parameters = None
    result = await session.execute(
        statement.on_conflict_do_nothing(index_elements=list(unique)).returning(*returning),
        parameters,
    )
    return [tuple(row) for row in result.all()]


async def insert_all(
    session: AsyncSession, model: type[Any], rows: Sequence[dict[str, Any]]
) -> None:
    """Insert rows (all with the same keys) as one `INSERT … SELECT unnest(…)`: one array per
    column, one round trip for any number of rows, no per-object bookkeeping.

    JSON values travel as text and are cast back (so a JSON list is not read as an array
    dimension); `None` in a JSON column is JSON `null`, as the ORM writes it.
    """
    if not rows:
        return
    await session.execute(unnest_insert(model, rows))


def unnest_insert(model: type[Any], rows: Sequence[dict[str, Any]]) -> Insert:
    """`insert_all`'s statement, for a caller on a synchronous session (a commit hook)."""
    table = model.__table__
    names = list(rows[0])
    statement: Insert = table.insert()
    return statement.from_select(names, select(*(_unnest(table, n, rows) for n in names)))


def _unnest(table: Any, name: str, rows: Sequence[dict[str, Any]]) -> ColumnElement[Any]:
    column_type = table.c[name].type
    values = [row[name] for row in rows]
    if isinstance(column_type, JSON):
        texts = [json.dumps(value) for value in values]
        array = cast(bindparam(name, texts, type_=ARRAY(Text)), ARRAY(column_type))
        return func.unnest(array).label(name)
    return func.unnest(bindparam(name, values, type_=ARRAY(column_type))).label(name)
