"""The outbox, the relay and the real arq worker against real PostgreSQL and Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import timedelta

import pytest
import redis.exceptions
from httpx import AsyncClient
from sqlalchemy import func, select, update

from hrcore.core import outbox
from hrcore.core.db import unit_of_work
from hrcore.core.jobs import JobContext, JobSpec, register
from hrcore.core.outbox import OutboxMessage
from hrcore.core.queue import ArqQueue, connect_redis
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.core import widgets

ATTEMPTS: Counter[str] = Counter()


async def flaky(context: JobContext) -> None:
    """Fails twice, then succeeds."""
    key = str(context.message_id)
    ATTEMPTS[key] += 1
    if ATTEMPTS[key] < 3:
        raise RuntimeError(f"flaky failure {ATTEMPTS[key]}")


async def broken(context: JobContext) -> None:
    ATTEMPTS[str(context.message_id)] += 1
    raise ValueError("always broken")


register(JobSpec("test.flaky", flaky, max_tries=4))
register(JobSpec("test.broken", broken, max_tries=3))


class CountingQueue:
    """The real queue, recording what it was asked to send."""

    def __init__(self, inner: ArqQueue) -> None:
        self.inner = inner
        self.sent: list[str] = []

    async def enqueue(self, job: str, *, message_id: str) -> bool:
        self.sent.append(message_id)
        return await self.inner.enqueue(job, message_id=message_id)


async def _write(runtime: Runtime, job_name: str, count: int = 1) -> list[uuid.UUID]:
    async with unit_of_work(runtime.sessionmaker) as session:
        return [outbox.enqueue(session, job_name, {"n": n}) for n in range(count)]


async def _statuses(runtime: Runtime) -> dict[uuid.UUID, tuple[str, int, str | None]]:
    async with runtime.sessionmaker() as session:
        rows = await session.execute(
            select(
                OutboxMessage.id,
                OutboxMessage.status,
                OutboxMessage.attempts,
                OutboxMessage.last_error,
            )
        )
        return {row.id: (row.status, row.attempts, row.last_error) for row in rows}


@pytest.mark.commits
async def test_a_request_writes_its_job_and_the_worker_runs_it(
    widget_client: AsyncClient, runtime: Runtime
) -> None:
    response = await widget_client.post("/api/v1/widgets", json={"name": "a", "rank": 1})
    assert response.status_code == 201
    await run_burst(runtime)
    assert [entry["widget"] for entry in widgets.RECORDED] == [response.json()["id"]]
    assert {status for status, _, _ in (await _statuses(runtime)).values()} == {"done"}


async def test_a_failed_request_writes_no_job(widget_client: AsyncClient, runtime: Runtime) -> None:
    response = await widget_client.post("/api/v1/widgets", json={"name": "", "rank": 1})
    assert response.status_code == 422
    assert await _statuses(runtime) == {}


@pytest.mark.commits
async def test_job_written_while_redis_is_down_is_delivered_later(runtime: Runtime) -> None:
    widgets.RECORDED.clear()
    [message_id] = await _write(runtime, "test.record")
    dead_redis = connect_redis("redis://127.0.0.1:1/0", timeout=0.2)
    try:
        dead_queue = ArqQueue(dead_redis, runtime.settings.queue_name)
        with pytest.raises(redis.exceptions.ConnectionError):
            await outbox.relay_once(runtime.sessionmaker, dead_queue, batch_size=10)
    finally:
        await dead_redis.aclose()
    assert (await _statuses(runtime))[message_id][0] == "pending"

    await run_burst(runtime)
    assert [entry["message"] for entry in widgets.RECORDED] == [str(message_id)]
    assert (await _statuses(runtime))[message_id][0] == "done"


@pytest.mark.commits
async def test_two_relays_at_once_send_each_job_once(runtime: Runtime) -> None:
    widgets.RECORDED.clear()
    written = await _write(runtime, "test.record", count=60)
    first, second = CountingQueue(runtime.queue), CountingQueue(runtime.queue)
    await asyncio.gather(
        outbox.relay_all(runtime.sessionmaker, first, batch_size=7),
        outbox.relay_all(runtime.sessionmaker, second, batch_size=7),
    )
    sent = first.sent + second.sent
    assert sorted(sent) == sorted(str(message_id) for message_id in written)
    assert first.sent, "both relays should have taken a share"
    assert second.sent, "both relays should have taken a share"

    await run_burst(runtime)
    delivered = Counter(entry["message"] for entry in widgets.RECORDED)
    assert len(delivered) == 60
    assert set(delivered.values()) == {1}


@pytest.mark.commits
async def test_requeued_message_runs_once(runtime: Runtime) -> None:
    """A crash between enqueue and commit re-sends the row; the job still runs once."""
    widgets.RECORDED.clear()
    [message_id] = await _write(runtime, "test.record")
    await runtime.queue.enqueue("test.record", message_id=str(message_id))
    await run_burst(runtime)
    await runtime.queue.enqueue("test.record", message_id=str(message_id))
    await run_burst(runtime)
    assert [entry["message"] for entry in widgets.RECORDED] == [str(message_id)]


@pytest.mark.commits
async def test_stale_queued_rows_are_sent_again(runtime: Runtime) -> None:
    """Redis lost the job: once the requeue delay has passed the relay sends it again."""
    widgets.RECORDED.clear()
    [message_id] = await _write(runtime, "test.record")

    async def queued_ago(age: timedelta) -> None:
        async with unit_of_work(runtime.sessionmaker) as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message_id)
                .values(status="queued", queued_at=func.now() - age)
            )

    await queued_ago(timedelta(minutes=1))
    await run_burst(runtime)
    assert widgets.RECORDED == []
    await queued_ago(timedelta(hours=1))
    await run_burst(runtime)
    assert [entry["message"] for entry in widgets.RECORDED] == [str(message_id)]


@pytest.mark.commits
async def test_failing_job_is_retried_with_backoff_until_it_succeeds(runtime: Runtime) -> None:
    [message_id] = await _write(runtime, "test.flaky")
    await run_burst(runtime)
    status, attempts, last_error = (await _statuses(runtime))[message_id]
    assert ATTEMPTS[str(message_id)] == 3
    assert (status, attempts, last_error) == ("done", 3, None)


@pytest.mark.commits
async def test_job_past_its_limit_is_visible_as_failed(
    runtime: Runtime, client: AsyncClient
) -> None:
    [message_id] = await _write(runtime, "test.broken")
    await run_burst(runtime)
    status, attempts, last_error = (await _statuses(runtime))[message_id]
    assert ATTEMPTS[str(message_id)] == 3
    assert (status, attempts) == ("failed", 3)
    assert last_error == "ValueError: always broken"
    metrics = (await client.get("/metrics")).text
    assert 'hrcore_jobs{job="test.broken",status="failed"} 1.0' in metrics


@pytest.mark.commits
async def test_delayed_job_waits_for_its_time(runtime: Runtime) -> None:
    widgets.RECORDED.clear()
    async with unit_of_work(runtime.sessionmaker) as session:
        later = (await session.execute(select(func.now()))).scalar_one() + timedelta(hours=1)
        message_id = outbox.enqueue(session, "test.record", not_before=later)
    await run_burst(runtime)
    assert widgets.RECORDED == []
    assert (await _statuses(runtime))[message_id][0] == "pending"


async def test_prune_keeps_recent_and_failed_rows(runtime: Runtime) -> None:
    old_done, recent_done, old_failed = await _write(runtime, "test.record", count=3)
    async with unit_of_work(runtime.sessionmaker) as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([old_done, old_failed]))
            .values(finished_at=func.now() - timedelta(days=30))
        )
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.id == old_failed).values(status="failed")
        )
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_([old_done, recent_done]))
            .values(status="done")
        )
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == recent_done)
            .values(finished_at=func.now())
        )
    assert await outbox.prune(runtime.sessionmaker, retention=timedelta(days=7)) == 1
    assert set(await _statuses(runtime)) == {recent_done, old_failed}


async def _queued_in_redis(runtime: Runtime) -> list[uuid.UUID]:
    """One row relayed to Redis and left there (no worker runs it)."""
    [message_id] = await _write(runtime, "test.record")
    await outbox.relay_all(runtime.sessionmaker, runtime.queue, batch_size=10)
    assert (await _statuses(runtime))[message_id][0] == "queued"
    return [message_id]


async def _recover(runtime: Runtime, *, orphan_after: float = 60.0) -> outbox.Revived:
    return await outbox.recover(
        runtime.sessionmaker,
        runtime.queue,
        batch_size=2,
        orphan_after=orphan_after,
        in_progress_ttl=310.0,
    )


@pytest.mark.commits
async def test_jobs_redis_lost_are_resent_at_once_and_run_once(runtime: Runtime) -> None:
    """A Redis restart without persistence empties the queue: recovery does not wait for
    HRCORE_OUTBOX_REQUEUE_AFTER_SECONDS, and a job still in Redis is not sent twice."""
    widgets.RECORDED.clear()
    lost = [*await _queued_in_redis(runtime), *await _queued_in_redis(runtime)]
    lost.append((await _queued_in_redis(runtime))[0])
    await runtime.redis.flushdb()
    [kept] = await _queued_in_redis(runtime)

    revived = await _recover(runtime)
    assert sorted(revived.resent) == sorted(str(message_id) for message_id in lost)
    assert revived.released == []
    assert (await _recover(runtime)).resent == []  # now in Redis again

    await run_burst(runtime)
    delivered = Counter(entry["message"] for entry in widgets.RECORDED)
    assert delivered == Counter(str(message_id) for message_id in [*lost, kept])


@pytest.mark.commits
async def test_a_job_left_running_by_a_dead_worker_is_released(runtime: Runtime) -> None:
    """arq marks a started job in progress for minutes; a worker killed mid-job leaves that
    mark behind. Nobody holds the row, so once the mark is older than the orphan delay the
    job runs again."""
    widgets.RECORDED.clear()
    [message_id] = await _queued_in_redis(runtime)
    in_progress = f"arq:in-progress:{message_id}"
    await runtime.redis.psetex(in_progress, 310_000, b"1")  # as arq's start_jobs does

    assert (await _recover(runtime, orphan_after=5)).released == []  # just started
    await runtime.redis.psetex(in_progress, 300_000, b"1")  # started 10 s ago
    assert (await _recover(runtime, orphan_after=5)).released == [str(message_id)]
    assert not await runtime.redis.exists(in_progress)

    await run_burst(runtime)
    assert [entry["message"] for entry in widgets.RECORDED] == [str(message_id)]


@pytest.mark.commits
async def test_recovery_leaves_a_running_job_alone(runtime: Runtime) -> None:
    """A job holds its row's lock for the whole attempt: recovery skips the row even when
    Redis no longer has it, so the same row never runs twice at once."""
    [message_id] = await _queued_in_redis(runtime)
    await runtime.redis.flushdb()
    async with unit_of_work(runtime.sessionmaker) as running:
        await running.get(OutboxMessage, message_id, with_for_update=True)
        assert (await _recover(runtime)).resent == []
    assert (await _recover(runtime)).resent == [str(message_id)]
