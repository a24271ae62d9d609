"""Local HTTP servers the tests talk to (webhook receivers, a fake DingTalk, the app served
for real), and the one way the tests wait for something: on a condition, with a bound far
above what a loaded machine needs, so that slowness reports nothing and a hang reports what.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

PATIENCE = 240.0
"""Bound of every wait: a safety net, not a figure. On a quiet machine each wait takes
seconds; on a loaded one (five engineers' suites on two cores) it may take minutes."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def until(
    condition: Callable[[], Awaitable[bool]], what: str, *, seconds: float = PATIENCE
) -> float:
    """Poll `condition` until true; returns the seconds it took."""
    started = time.monotonic()
    while not await condition():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"not within {seconds:.0f} s: {what}")
        await asyncio.sleep(0.05)
    return time.monotonic() - started


@asynccontextmanager
async def serving(app: Any, port: int, **options: Any) -> AsyncIterator[uvicorn.Server]:
    """`app` served by uvicorn on 127.0.0.1:`port` in this event loop for the block."""
    defaults = {"host": "127.0.0.1", "port": port, "log_level": "warning", "lifespan": "off"}
    server = uvicorn.Server(uvicorn.Config(app, **(defaults | options)))
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        if task.done():
            task.result()  # it failed to start: say why
        return server.started

    await until(started, f"a server on port {port} starts")
    try:
        yield server
    finally:
        server.should_exit = True
        await task


async def blocked_on_a_lock(engine: AsyncEngine) -> bool:
    """Whether a session of the test's runtime is waiting for a lock another one holds."""
    async with engine.connect() as connection:
        waiting = await connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE application_name = 'hrcore-test' AND wait_event_type = 'Lock'"
            )
        )
    return bool(waiting)
