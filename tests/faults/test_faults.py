"""Dependencies failing under a running API and worker: nothing lost, no effect doubled.

Effects are webhook deliveries to a local receiver (each event carries a stable id, each
delivery row its status and attempts) and, caught mid-job by the fault (`workload.py`),
contract amendment documents, a review cycle's aggregation and deadline reminders. Redis
restarts without persistence (what it held is gone), PostgreSQL restarts under open
connections, and the worker is killed mid-job.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.webhooks import service as webhooks
from hrcore.webhooks.models import EventType
from tests.factories import Account, make_org
from tests.faults.conftest import Stack, WorkerProcess
from tests.faults.workload import (
    Workload,
    assert_each_effect_once,
    prepare,
    settled,
    start_mid_job,
    sweep,
)
from tests.servers import until
from tests.webhooks.conftest import Receiver

pytestmark = [pytest.mark.fault, pytest.mark.slow, pytest.mark.timeout(300)]


async def _subscribe(api: httpx.AsyncClient, hr: Account, receiver: Receiver) -> str:
    response = await api.post(
        "/api/v1/webhooks",
        json={"url": receiver.url, "event_types": ["task.overdue"]},
        headers=hr.headers,
    )
    assert response.status_code == 201, response.text
    receiver.secret = response.json()["secret"]
    return str(response.json()["id"])


async def _publish(runtime: Runtime, org_id: uuid.UUID, count: int) -> set[str]:
    """`count` events in one transaction: `count` outbox rows, one delivery job each."""
    events = [({"task_id": str(uuid.uuid4())}, uuid.uuid4()) for _ in range(count)]
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        await webhooks.publish_many(
            session, org_id=org_id, event_type=EventType.TASK_OVERDUE, events=events
        )
    return {str(event_id) for _, event_id in events}


def _received(receiver: Receiver) -> Counter[str]:
    return Counter(json.loads(request.body)["id"] for request in receiver.requests)


async def _deliveries(api: httpx.AsyncClient, hr: Account, webhook_id: str) -> list[dict[str, Any]]:
    response = await api.get(
        f"/api/v1/webhooks/{webhook_id}/deliveries", params={"limit": 200}, headers=hr.headers
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def _all_delivered(
    api: httpx.AsyncClient, hr: Account, webhook_id: str, expected: set[str]
) -> bool:
    try:
        items = await _deliveries(api, hr, webhook_id)
    except AssertionError:
        return False  # the API answers 503 while its database comes back
    done = {item["event_id"] for item in items if item["status"] == "succeeded"}
    return done == expected


async def _status(url: str, *, client: httpx.AsyncClient | None = None) -> int | None:
    try:
        if client is not None:
            return (await client.get(url)).status_code
        async with httpx.AsyncClient(timeout=5) as http:
            return (await http.get(url)).status_code
    except httpx.TransportError:
        return None


def _metric(text: str, name: str, **labels: str) -> float:
    selector = ",".join(f'{key}="{value}"' for key, value in labels.items())
    match = re.search(rf"^{name}{{{selector}}} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


async def _each_effect_once(
    api: httpx.AsyncClient, runtime: Runtime, stack: Stack, work: Workload
) -> None:
    """Sweep again (the next minute's cron), wait for every job, count every effect."""
    await sweep(runtime)

    async def done() -> bool:
        return await settled(runtime, work)

    await until(done, "every job done and every reminder recorded", seconds=180)
    await assert_each_effect_once(api, runtime, work, stack.storage)


async def _worker_down(worker: WorkerProcess, dependency: str) -> bool:
    assert worker.alive, worker.output()
    response = await worker.get("/readyz")
    if response is None or response.status_code != 503:
        return False
    return bool(response.json()["checks"][dependency] != "ok")


async def test_redis_restart_mid_work_loses_no_job_and_runs_none_twice(
    stack: Stack,
    fault_runtime: Runtime,
    api: httpx.AsyncClient,
    worker: WorkerProcess,
    receiver: Receiver,
) -> None:
    work = await prepare(api, fault_runtime)
    hr = await make_org(fault_runtime)
    webhook_id = await _subscribe(api, hr, receiver)
    receiver.delay_seconds = 1.0  # a few at a time: the batch takes several seconds
    held = await start_mid_job(api, fault_runtime, work)
    first = await _publish(fault_runtime, hr.org_id, 60)

    async def some_received() -> bool:
        return len(receiver.requests) >= 5

    await until(some_received, "the first deliveries")
    await stack.stop("redis")
    assert len(_received(receiver)) < len(first), "Redis must go while jobs are queued in it"
    await held.release()  # the held jobs commit while Redis is away
    await until(lambda: _worker_down(worker, "redis"), "the worker reports Redis down")
    second = await _publish(fault_runtime, hr.org_id, 5)  # the outbox takes them meanwhile
    await asyncio.sleep(2)
    assert worker.alive, worker.output()
    await stack.start()  # an empty Redis: every job it held is gone

    expected = first | second

    async def delivered() -> bool:
        return await _all_delivered(api, hr, webhook_id, expected)

    await until(delivered, "every delivery succeeded", seconds=180)
    received = _received(receiver)
    assert set(received) == expected
    assert [event for event, times in received.items() if times > 1] == []
    assert worker.alive, worker.output()
    await until(worker.ready, "the worker is ready again")
    metrics = await worker.get("/metrics")
    assert metrics is not None
    assert _metric(metrics.text, "hrcore_worker_reconnects_total", dependency="redis") >= 1
    assert _metric(metrics.text, "hrcore_worker_dependency_up", dependency="redis") == 1
    assert _metric(metrics.text, "hrcore_worker_recovered_jobs_total", reason="resent") >= 1
    await _each_effect_once(api, fault_runtime, stack, work)


async def test_postgres_restart_under_the_api_and_the_worker(
    stack: Stack,
    fault_runtime: Runtime,
    api: httpx.AsyncClient,
    worker: WorkerProcess,
    receiver: Receiver,
) -> None:
    work = await prepare(api, fault_runtime)
    hr = await make_org(fault_runtime)
    webhook_id = await _subscribe(api, hr, receiver)
    receiver.delay_seconds = 0.5
    held = await start_mid_job(api, fault_runtime, work)
    expected = await _publish(fault_runtime, hr.org_id, 30)

    async def some_received() -> bool:
        return len(receiver.requests) >= 3

    await until(some_received, "the first deliveries")
    await stack.stop("postgres")  # the held jobs' transactions are cut
    await held.release()

    async def api_not_ready() -> bool:
        return await _status("/readyz", client=api) == 503

    await until(api_not_ready, "the API reports its database down")
    await until(lambda: _worker_down(worker, "database"), "the worker reports its database down")
    await asyncio.sleep(2)
    assert worker.alive, worker.output()
    await stack.start()
    # Ready as soon as PostgreSQL is: the first probe after it answers again is 200 (no
    # cool-down, no restart). The probe gets all the time it needs, so a loaded machine's
    # slow first connection is not taken for an API that is still not ready.
    settings = fault_runtime.settings
    fault_runtime.settings = settings.model_copy(update={"dependency_timeout_seconds": 120.0})
    try:
        assert await _status("/readyz", client=api) == 200, "ready again as PostgreSQL is"
    finally:
        fault_runtime.settings = settings

    async def delivered() -> bool:
        return await _all_delivered(api, hr, webhook_id, expected)

    await until(delivered, "every delivery succeeded", seconds=180)
    # A POST answered while PostgreSQL went away is sent again (same event id: receivers
    # deduplicate on it); every delivery is recorded once, as one successful attempt.
    assert set(_received(receiver)) == expected
    assert {item["attempts"] for item in await _deliveries(api, hr, webhook_id)} == {1}
    assert worker.alive, worker.output()
    await until(worker.ready, "the worker is ready again")
    metrics = await worker.get("/metrics")
    assert metrics is not None
    assert _metric(metrics.text, "hrcore_worker_reconnects_total", dependency="database") >= 1
    await _each_effect_once(api, fault_runtime, stack, work)


async def test_worker_killed_mid_job_and_restarted(
    stack: Stack,
    fault_runtime: Runtime,
    api: httpx.AsyncClient,
    worker: WorkerProcess,
    receiver: Receiver,
) -> None:
    work = await prepare(api, fault_runtime)
    hr = await make_org(fault_runtime)
    webhook_id = await _subscribe(api, hr, receiver)
    receiver.delay_seconds = 3.0  # the jobs are mid-request when the worker dies
    held = await start_mid_job(api, fault_runtime, work)
    expected = await _publish(fault_runtime, hr.org_id, 4)

    async def in_flight() -> bool:
        return len(receiver.requests) >= 1

    await until(in_flight, "a delivery in flight")
    worker.kill()
    await held.release()
    receiver.delay_seconds = 0.0
    items = await _deliveries(api, hr, webhook_id)
    assert {item["status"] for item in items} == {"pending"}, "killed before any finished"
    await worker.start()

    async def delivered() -> bool:
        return await _all_delivered(api, hr, webhook_id, expected)

    await until(delivered, "every delivery succeeded", seconds=180)
    assert set(_received(receiver)) == expected
    assert {item["attempts"] for item in await _deliveries(api, hr, webhook_id)} == {1}
    await _each_effect_once(api, fault_runtime, stack, work)
