"""The arq worker: relays the outbox, runs registered jobs, and does housekeeping on cron."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import uuid
from datetime import timedelta
from typing import Any

from arq import Retry, cron
from arq.worker import Function, Worker, func

from hrcore import model_registry  # noqa: F401  (every table known before any query)
from hrcore.channels import jobs as channel_jobs  # noqa: F401  (registers its jobs)
from hrcore.contracts import jobs as contract_jobs
from hrcore.core import idempotency, outbox
from hrcore.core.jobs import JobSpec, registered_jobs
from hrcore.core.migrations import is_at_head
from hrcore.core.queue import connect_redis
from hrcore.core.runtime import Runtime
from hrcore.imports import jobs as import_jobs
from hrcore.integrations import jobs as integration_jobs  # noqa: F401  (registers its jobs)
from hrcore.programs import jobs as program_jobs
from hrcore.reviews import jobs as review_jobs  # noqa: F401  (registers its jobs)
from hrcore.settings import Settings
from hrcore.talent import jobs as talent_jobs  # noqa: F401  (registers its jobs)
from hrcore.webhooks import jobs as webhook_jobs  # noqa: F401  (registers its jobs)
from hrcore.workflow import jobs as workflow_jobs

logger = logging.getLogger("hrcore.worker")

RESULT_TTL_SECONDS = 60


class MigrationsBehind(RuntimeError):
    """The database schema is not at the code's head; run `hrcore migrate` first."""


def retry_delay(settings: Settings, attempt: int) -> float:
    """Exponential backoff: base, 2×base, 4×base…"""
    return float(settings.job_retry_base_seconds * 2 ** (attempt - 1))


def _arq_function(spec: JobSpec, settings: Settings) -> Function:
    max_tries = spec.max_tries or settings.job_max_tries

    async def run(ctx: dict[str, Any], message_id: str) -> None:
        runtime: Runtime = ctx["runtime"]
        attempt: int = ctx["job_try"]
        try:
            result = await outbox.execute(
                runtime.sessionmaker,
                uuid.UUID(message_id),
                attempt=attempt,
                max_tries=max_tries,
                clock=runtime.clock,
                settings=runtime.settings,
            )
        except Exception as exc:
            if attempt >= max_tries:
                raise
            raise Retry(defer=retry_delay(settings, attempt)) from exc
        if result.error is not None:
            if result.final:
                raise result.error
            raise Retry(defer=retry_delay(settings, attempt)) from result.error

    return func(run, name=spec.name, max_tries=max_tries)


async def expire_idempotency_keys(ctx: dict[str, Any]) -> int:
    runtime: Runtime = ctx["runtime"]
    return await idempotency.expire_keys(runtime.sessionmaker)


async def prune_outbox(ctx: dict[str, Any]) -> int:
    runtime: Runtime = ctx["runtime"]
    retention = timedelta(days=runtime.settings.outbox_retention_days)
    return await outbox.prune(runtime.sessionmaker, retention=retention)


async def _relay_forever(runtime: Runtime) -> None:
    settings = runtime.settings
    while True:
        try:
            await outbox.relay_all(
                runtime.sessionmaker,
                runtime.queue,
                batch_size=settings.outbox_batch_size,
                requeue_after=timedelta(seconds=settings.outbox_requeue_after_seconds),
            )
        except Exception as exc:
            logger.warning("outbox relay failed, retrying: %s", exc)
        await asyncio.sleep(settings.outbox_poll_seconds)


def build_worker(runtime: Runtime, *, burst: bool = False) -> Worker:
    """An arq Worker over `runtime`; with `burst` it exits once the queue is empty."""
    settings = runtime.settings

    async def startup(ctx: dict[str, Any]) -> None:
        if not await is_at_head(runtime.engine, settings.migrations_dir):
            raise MigrationsBehind("database is not migrated to head: run `hrcore migrate`")
        ctx["runtime"] = runtime
        gc.freeze()  # start-up's objects out of the collector's way, as in the API (main.py)
        if not burst:
            ctx["relay"] = asyncio.create_task(_relay_forever(runtime))

    async def shutdown(ctx: dict[str, Any]) -> None:
        relay: asyncio.Task[None] | None = ctx.get("relay")
        if relay is not None:
            relay.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await relay

    return Worker(
        functions=[_arq_function(spec, settings) for spec in registered_jobs().values()],
        cron_jobs=[
            cron(expire_idempotency_keys, name="housekeeping.expire_idempotency_keys", minute=7),
            cron(prune_outbox, name="housekeeping.prune_outbox", minute={17}, hour={3}),
            # Every minute (second 0): reminders and escalations that became due.
            cron(workflow_jobs.sweep_deadlines, name="workflow.sweep_deadlines", timeout=55),
            # Daily at 01:13 UTC (09:13 in Asia/Shanghai): contracts entering the notice window.
            cron(contract_jobs.watch_expiry, name="contracts.watch_expiry", hour={1}, minute={13}),
            # Hourly: program review stages past their grace period close with what they have.
            cron(
                program_jobs.close_overdue_reviewed_stages,
                name="programs.close_overdue_reviewed_stages",
                minute={23},
            ),
            # Every five minutes: running imports with no progress for HRCORE_IMPORT_STALL_MINUTES.
            cron(
                import_jobs.fail_stalled_imports,
                name="imports.fail_stalled_imports",
                minute=set(range(2, 60, 5)),
            ),
            # Daily at 03:41 UTC: superseded dossier PDFs past their retention.
            cron(
                program_jobs.prune_dossier_documents,
                name="programs.prune_dossier_documents",
                hour={3},
                minute={41},
            ),
        ],
        redis_pool=connect_redis(
            settings.redis_url or "", timeout=settings.dependency_timeout_seconds
        ),
        queue_name=settings.queue_name,
        burst=burst,
        on_startup=startup,
        on_shutdown=shutdown,
        handle_signals=not burst,
        keep_result=RESULT_TTL_SECONDS,
        max_tries=settings.job_max_tries,
        poll_delay=0.1 if burst else 0.5,
    )


async def run_burst(runtime: Runtime) -> None:
    """Relay and run everything that is due, repeating while jobs produce more work."""
    settings = runtime.settings
    while True:
        await outbox.relay_all(
            runtime.sessionmaker,
            runtime.queue,
            batch_size=settings.outbox_batch_size,
            requeue_after=timedelta(seconds=settings.outbox_requeue_after_seconds),
        )
        worker = build_worker(runtime, burst=True)
        try:
            await worker.main()
        finally:
            await worker.close()
        async with runtime.sessionmaker() as session:
            if not await outbox.has_due(session):
                return


async def run_forever(runtime: Runtime) -> None:
    """Run until SIGINT or SIGTERM; `async_run` lets arq's signal handler cancel the loop."""
    worker = build_worker(runtime)
    try:
        await worker.async_run()
    except asyncio.CancelledError:
        logger.info("worker stopped")
    finally:
        await worker.close()
