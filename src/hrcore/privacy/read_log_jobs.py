"""Background work of the read-access log (thin: `read_log_recording` does the work): the
outbox job writing one request's entries, and the cron draining the Redis buffer every
minute."""

from __future__ import annotations

from typing import Any

from hrcore.core import read_log
from hrcore.core.jobs import JobContext
from hrcore.core.runtime import Runtime
from hrcore.privacy import read_log_recording

DRAIN_CRON = "privacy.drain_read_log"


async def record_reads(ctx: JobContext) -> None:
    """A request logged its reads through the outbox: write them."""
    if ctx.org_id is None:
        return
    await read_log_recording.record(ctx.session, ctx.org_id, ctx.payload["entries"])


async def drain_read_log(ctx: dict[str, Any]) -> int:
    """arq cron entry point (every minute): the buffered reads written; how many."""
    runtime: Runtime = ctx["runtime"]
    return await read_log_recording.drain(
        runtime.sessionmaker, runtime.redis, read_log.buffer_key(runtime.settings.queue_name)
    )
