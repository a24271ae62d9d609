"""Our small queue interface; arq is one implementation, so domains never import arq."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from arq.connections import ArqRedis
from arq.constants import in_progress_key_prefix, job_key_prefix
from redis.asyncio import ConnectionPool


class JobQueue(Protocol):
    async def enqueue(self, job: str, *, message_id: str) -> bool:
        """Queue `job` for the outbox message; False when that message is already queued."""
        ...


@dataclass(frozen=True)
class Queued:
    """An outbox row the queue should be holding."""

    message_id: str
    job: str


@dataclass(frozen=True)
class Revived:
    resent: list[str]
    released: list[str]


class RecoverableQueue(JobQueue, Protocol):
    async def revive(
        self, queued: Sequence[Queued], *, orphan_after: float, in_progress_ttl: float
    ) -> Revived:
        """Make sure each row's job will run: re-send the ones the queue lost, release the
        ones a dead worker left marked as running. The caller holds the rows' locks, so no
        live worker is running any of them."""
        ...


class ArqQueue:
    """Enqueue on arq with the outbox message id as `_job_id`, so arq deduplicates."""

    def __init__(self, redis: ArqRedis, queue_name: str) -> None:
        self.redis = redis
        self.queue_name = queue_name

    async def enqueue(self, job: str, *, message_id: str) -> bool:
        queued = await self.redis.enqueue_job(
            job, message_id, _job_id=message_id, _queue_name=self.queue_name
        )
        return queued is not None

    async def revive(
        self, queued: Sequence[Queued], *, orphan_after: float, in_progress_ttl: float
    ) -> Revived:
        """Re-send (same job id) what Redis lost; release an in-progress mark older
        than `orphan_after` (arq sets it for `in_progress_ttl` when a job starts)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for item in queued:
                pipe.exists(job_key_prefix + item.message_id)
                pipe.pttl(in_progress_key_prefix + item.message_id)
            replies = await pipe.execute()
        resent: list[str] = []
        released: list[str] = []
        for item, exists, ttl_ms in zip(queued, replies[::2], replies[1::2], strict=True):
            if not exists:
                if await self.enqueue(item.job, message_id=item.message_id):
                    resent.append(item.message_id)
            elif ttl_ms > 0 and in_progress_ttl * 1000 - ttl_ms > orphan_after * 1000:
                await self.redis.delete(in_progress_key_prefix + item.message_id)
                released.append(item.message_id)
        return Revived(resent=resent, released=released)

    async def server_id(self) -> str:
        """The Redis server's run id: a new one means a restart, and a queue without
        persistence lost everything."""
        info = await self.redis.info("server")
        return str(info["run_id"])


def connect_redis(url: str, *, timeout: float = 2.0) -> ArqRedis:
    """A lazily connecting client: the API starts even while Redis is down."""
    pool = ConnectionPool.from_url(
        url, socket_connect_timeout=timeout, socket_timeout=timeout, health_check_interval=30
    )
    return ArqRedis(connection_pool=pool)
