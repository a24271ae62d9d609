"""The arq worker: relays the outbox, runs registered jobs, and does housekeeping on cron.

It outlives its dependencies: PostgreSQL or Redis going away is a wait with backoff and a
reconnect (`core/resilience.py`), never an exit, and jobs Redis lost are re-sent from the
outbox within seconds (`outbox.recover`). With `HRCORE_WORKER_HEALTH_PORT` it serves its own
`/healthz`, `/readyz` and `/metrics`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import uvicorn
from arq import Retry, cron
from arq.cron import CronJob
from arq.worker import Function, Worker, func
from fastapi import FastAPI

from hrcore import domains
from hrcore.core import i18n, links, live, outbox
from hrcore.core.errors import OUTAGE_ERRORS, install_error_handlers
from hrcore.core.jobs import JobSpec, registered_jobs
from hrcore.core.metrics import JOB_RUNS, RECOVERED_JOBS
from hrcore.core.migrations import is_at_head
from hrcore.core.queue import connect_redis
from hrcore.core.registry import Cron, crons
from hrcore.core.resilience import DATABASE, REDIS, Backoff, Dependencies, retry_delay
from hrcore.core.runtime import Runtime
from hrcore.ops import service as ops
from hrcore.ops.router import router as ops_router
from hrcore.settings import Settings

logger = logging.getLogger("hrcore.worker")

RESULT_TTL_SECONDS = 60


class MigrationsBehind(RuntimeError):
    """The database schema is not at the code's head; run `hrcore migrate` first."""


def _arq_function(spec: JobSpec, settings: Settings) -> Function:
    max_tries = spec.max_tries or settings.job_max_tries

    async def run(ctx: dict[str, Any], message_id: str) -> None:
        runtime: Runtime = ctx["runtime"]
        attempt: int = ctx["job_try"]
        delay = retry_delay(settings.job_retry_base_seconds, attempt)
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
            # The row could not be read or written (the database is down): it stays queued,
            # and `outbox.recover` sends it again if arq gives up on it.
            if attempt >= max_tries:
                JOB_RUNS.labels(spec.name, "failed").inc()
                raise
            JOB_RUNS.labels(spec.name, "retry").inc()
            raise Retry(defer=delay) from exc
        if result.error is not None:
            JOB_RUNS.labels(spec.name, "failed" if result.final else "retry").inc()
            if result.final:
                raise result.error
            raise Retry(defer=delay) from result.error
        JOB_RUNS.labels(spec.name, "done").inc()
        await live.publish(runtime.redis, result.announcements)

    return func(run, name=spec.name, max_tries=max_tries)


def _arq_cron(spec: Cron) -> CronJob:
    return cron(spec.run, name=spec.name, hour=spec.hour, minute=spec.minute, timeout=spec.timeout)


async def _note_outage(
    runtime: Runtime, dependencies: Dependencies, error: BaseException, retry_in: float
) -> None:
    """Find out which dependency failed (a probe of each) and record it."""
    checks = await ops.readiness(runtime)
    for name in (DATABASE, REDIS):
        if checks[name] == "ok":
            dependencies.up(name)
        else:
            dependencies.down(name, error, retry_in=retry_in)
    if all(checks[name] == "ok" for name in (DATABASE, REDIS)):
        logger.warning("worker loop failed, retrying in %.1f s: %s", retry_in, error)


class ResilientWorker(Worker):
    """arq's Worker, which exits on the first Redis error of its poll loop, made to wait.

    Start-up (Redis info, the migrations check) is retried while a dependency is down; a poll
    that fails backs off and polls again; no job is picked while the database is known to be
    down (it would only burn its tries). A Redis reconnect asks the relay to recover at once.
    A burst run (`hrcore worker --burst`, tests) fails instead of waiting.
    """

    def __init__(
        self,
        *args: Any,
        runtime: Runtime,
        dependencies: Dependencies,
        reconnected: asyncio.Event,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.runtime = runtime
        self.dependencies = dependencies
        self.reconnected = reconnected
        self.backoff = Backoff(cap=runtime.settings.worker_reconnect_max_seconds)

    async def main(self) -> None:
        if self.burst:  # a one-off run reports an outage to its caller
            await super().main()
            return
        while True:
            try:
                await super().main()
            except OUTAGE_ERRORS as exc:
                delay = self.backoff.next()
                await _note_outage(self.runtime, self.dependencies, exc, delay)
                await asyncio.sleep(delay)
            else:
                return

    async def _poll_iteration(self) -> None:
        if self.burst:
            await super()._poll_iteration()
            return
        self.allow_pick_jobs = self.dependencies.is_up(DATABASE)
        try:
            await super()._poll_iteration()
        except OUTAGE_ERRORS as exc:
            delay = self.backoff.next()
            await _note_outage(self.runtime, self.dependencies, exc, delay)
            await asyncio.sleep(delay)
            return
        self.backoff.reset()
        if self.dependencies.up(REDIS):
            self.reconnected.set()

    async def close(self) -> None:
        try:
            await super().close()
        except OUTAGE_ERRORS as exc:
            logger.warning("Redis unreachable while the worker stopped: %s", exc)


async def _relay_forever(
    runtime: Runtime,
    dependencies: Dependencies,
    reconnected: asyncio.Event,
    *,
    in_progress_ttl: float,
) -> None:
    """Relay due rows; recover lost jobs every `outbox_recover_seconds`, and at once when
    Redis restarted (its run id changed) or a dependency came back. Never exits."""
    settings = runtime.settings
    backoff = Backoff(cap=settings.worker_reconnect_max_seconds)
    loop = asyncio.get_running_loop()
    server_id: str | None = None
    recover_at = 0.0
    while True:
        try:
            current = await runtime.queue.server_id()
            if server_id is not None and current != server_id:
                logger.warning("Redis restarted; re-sending the queued jobs it lost")
                recover_at = 0.0
            server_id = current
            await outbox.relay_all(
                runtime.sessionmaker,
                runtime.queue,
                batch_size=settings.outbox_batch_size,
                requeue_after=timedelta(seconds=settings.outbox_requeue_after_seconds),
            )
            if reconnected.is_set() or loop.time() >= recover_at:
                reconnected.clear()
                await _recover(runtime, in_progress_ttl)
                recover_at = loop.time() + settings.outbox_recover_seconds
        except Exception as exc:
            delay = backoff.next()
            if isinstance(exc, OUTAGE_ERRORS):
                await _note_outage(runtime, dependencies, exc, delay)
            else:
                logger.exception("outbox relay failed, retrying in %.1f s", delay)
            recover_at = 0.0
            await asyncio.sleep(delay)
            continue
        backoff.reset()
        if dependencies.up(DATABASE) | dependencies.up(REDIS):
            recover_at = 0.0
        await asyncio.sleep(settings.outbox_poll_seconds)


async def _recover(runtime: Runtime, in_progress_ttl: float) -> None:
    settings = runtime.settings
    revived = await outbox.recover(
        runtime.sessionmaker,
        runtime.queue,
        batch_size=settings.outbox_batch_size,
        orphan_after=settings.outbox_orphan_after_seconds,
        in_progress_ttl=in_progress_ttl,
    )
    if revived.resent:
        RECOVERED_JOBS.labels("resent").inc(len(revived.resent))
        logger.warning("re-sent %d queued jobs Redis no longer had", len(revived.resent))
    if revived.released:
        RECOVERED_JOBS.labels("released").inc(len(revived.released))
        logger.warning("released %d jobs left running by a worker that died", len(revived.released))


def build_worker(
    runtime: Runtime,
    *,
    burst: bool = False,
    dependencies: Dependencies | None = None,
    reconnected: asyncio.Event | None = None,
) -> ResilientWorker:
    """An arq Worker over `runtime`; with `burst` it exits once the queue is empty."""
    settings = runtime.settings
    domains.install()
    links.configure(settings.deep_link_template)
    i18n.load_catalogs()

    async def startup(ctx: dict[str, Any]) -> None:
        if not await is_at_head(runtime.engine, settings.migrations_dir):
            raise MigrationsBehind("database is not migrated to head: run `hrcore migrate`")
        ctx["runtime"] = runtime
        gc.freeze()  # start-up's objects out of the collector's way, as in the API (main.py)

    return ResilientWorker(
        runtime=runtime,
        dependencies=dependencies or Dependencies(DATABASE, REDIS),
        reconnected=reconnected or asyncio.Event(),
        functions=[_arq_function(spec, settings) for spec in registered_jobs().values()],
        cron_jobs=[_arq_cron(spec) for spec in crons(domains.DOMAINS)],
        redis_pool=connect_redis(
            settings.redis_url or "", timeout=settings.dependency_timeout_seconds
        ),
        queue_name=settings.queue_name,
        burst=burst,
        on_startup=startup,
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


class _HealthServer(uvicorn.Server):
    """uvicorn inside the worker's loop; arq keeps SIGINT and SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def create_health_app(runtime: Runtime) -> FastAPI:
    """The worker's /healthz, /readyz and /metrics: the API's operations routes over the
    worker's own connections and metrics."""
    app = FastAPI(title="hrcore worker", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.runtime = runtime
    install_error_handlers(app)
    app.include_router(ops_router)
    return app


async def run_forever(runtime: Runtime) -> None:
    """Run until SIGINT or SIGTERM; `async_run` lets arq's signal handler cancel the loop."""
    settings = runtime.settings
    dependencies = Dependencies(DATABASE, REDIS)
    reconnected = asyncio.Event()
    worker = build_worker(runtime, dependencies=dependencies, reconnected=reconnected)
    background = [
        asyncio.create_task(
            _relay_forever(
                runtime, dependencies, reconnected, in_progress_ttl=worker.in_progress_timeout_s
            )
        )
    ]
    server: _HealthServer | None = None
    if settings.worker_health_port is not None:
        server = _HealthServer(
            uvicorn.Config(
                create_health_app(runtime),
                host=settings.worker_health_host,
                port=settings.worker_health_port,
                log_config=None,
                access_log=False,
                lifespan="off",
            )
        )
        background.append(asyncio.create_task(server.serve()))
    try:
        await worker.async_run()
    except asyncio.CancelledError:
        logger.info("worker stopped")
    finally:
        if server is not None:
            server.should_exit = True
        background[0].cancel()
        await asyncio.gather(*background, return_exceptions=True)
        await worker.close()
