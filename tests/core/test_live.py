"""Live updates (`core.live`): a job's announcements leave only with its committed attempt,
published by the real worker on Redis pub/sub."""

from __future__ import annotations

import json
import uuid

import pytest

from hrcore.core import live, outbox
from hrcore.core.db import unit_of_work
from hrcore.core.jobs import JobContext, JobSpec, register
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.servers import PATIENCE

CHANNEL = "hrcore:test:live"


async def announcing(context: JobContext) -> None:
    """Announces, and fails on its first attempt after announcing."""
    live.announce(context.session, CHANNEL, {"attempt": context.attempt})
    if context.attempt == 1:
        raise RuntimeError("first attempt fails after announcing")


register(JobSpec("test.announcing", announcing, max_tries=3))


async def _run(runtime: Runtime, message_id: uuid.UUID, attempt: int) -> outbox.Outcome:
    return await outbox.execute(
        runtime.sessionmaker,
        message_id,
        attempt=attempt,
        max_tries=3,
        clock=runtime.clock,
        settings=runtime.settings,
    )


async def test_a_failed_attempt_announces_nothing(runtime: Runtime) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        message_id = outbox.enqueue(session, "test.announcing", {})
    failed = await _run(runtime, message_id, 1)
    assert (failed.error is not None, failed.announcements) == (True, ())
    done = await _run(runtime, message_id, 2)
    assert done.announcements == ((CHANNEL, json.dumps({"attempt": 2})),)


@pytest.mark.commits
async def test_the_worker_publishes_after_the_commit(runtime: Runtime) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        outbox.enqueue(session, "test.announcing", {})
    pubsub = runtime.redis.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(CHANNEL)
    try:
        await run_burst(runtime)  # the first attempt fails, the retry commits
        received = []
        while not received:  # `None` for the subscription's own confirmation
            if (message := await pubsub.get_message(timeout=PATIENCE)) is not None:
                received.append(json.loads(message["data"]))
        while (message := await pubsub.get_message(timeout=0.5)) is not None:
            received.append(json.loads(message["data"]))
        assert received == [{"attempt": 2}], "nothing from the failed attempt"
    finally:
        await pubsub.aclose()
