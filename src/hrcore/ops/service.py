"""Operational checks: is each backing service reachable and the schema current."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from prometheus_client import generate_latest
from sqlalchemy import text

from hrcore.core import outbox
from hrcore.core.metrics import JOBS, OUTBOX_BACKLOG, OUTBOX_OLDEST_AGE, REGISTRY
from hrcore.core.migrations import is_at_head
from hrcore.core.runtime import Runtime


async def _check(probe: Awaitable[object], seconds: float) -> str:
    try:
        async with asyncio.timeout(seconds):
            result = await probe
    except Exception as exc:
        return f"unavailable: {type(exc).__name__}"
    return "ok" if result is not False else "behind head"


async def _database(runtime: Runtime) -> bool:
    async with runtime.engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
    return True


async def readiness(runtime: Runtime) -> dict[str, str]:
    """Each dependency's state: "ok" or why not."""
    timeout = runtime.settings.dependency_timeout_seconds
    database, redis, migrations = await asyncio.gather(
        _check(_database(runtime), timeout),
        _check(runtime.redis.ping(), timeout),
        _check(is_at_head(runtime.engine, runtime.settings.migrations_dir), timeout),
    )
    return {"database": database, "redis": redis, "migrations": migrations}


async def metrics_text(runtime: Runtime) -> bytes:
    """Prometheus exposition; outbox gauges are refreshed from the database when it answers."""
    try:
        async with runtime.sessionmaker() as session:
            current = await asyncio.wait_for(
                outbox.stats(session), runtime.settings.dependency_timeout_seconds
            )
    except Exception:
        current = None
    if current is not None:
        JOBS.clear()
        for (job, status), count in current.counts.items():
            JOBS.labels(job, status).set(count)
        OUTBOX_BACKLOG.set(current.backlog)
        OUTBOX_OLDEST_AGE.set(current.oldest_age_seconds)
    return generate_latest(REGISTRY)
