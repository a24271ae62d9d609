"""Fixed-window failure counters in Redis (login throttling and the like)."""

from __future__ import annotations

from redis.asyncio import Redis


async def retry_after(redis: Redis, key: str, limit: int) -> int | None:
    """Seconds until `key` may try again, or None while it is under `limit`."""
    count = await redis.get(key)
    if count is None or int(count) < limit:
        return None
    ttl = await redis.ttl(key)
    return max(int(ttl), 1)


async def add_failure(redis: Redis, key: str, window_seconds: int) -> int:
    """Count one failure; the window starts with the first failure."""
    async with redis.pipeline(transaction=True) as pipe:
        pipe.set(key, 0, ex=window_seconds, nx=True)
        pipe.incr(key)
        _, count = await pipe.execute()
    return int(count)


async def clear(redis: Redis, key: str) -> None:
    await redis.delete(key)
