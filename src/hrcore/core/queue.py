"""Our small queue interface; arq is one implementation, so domains never import arq."""

from __future__ import annotations

from typing import Protocol

from arq.connections import ArqRedis
from redis.asyncio import ConnectionPool


class JobQueue(Protocol):
    async def enqueue(self, job: str, *, message_id: str) -> bool:
        """Queue `job` for the outbox message; False when that message is already queued."""
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


def connect_redis(url: str, *, timeout: float = 2.0) -> ArqRedis:
    """A lazily connecting client: the API starts even while Redis is down."""
    pool = ConnectionPool.from_url(
        url, socket_connect_timeout=timeout, socket_timeout=timeout, health_check_interval=30
    )
    return ArqRedis(connection_pool=pool)
