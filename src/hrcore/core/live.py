"""Live updates: a change announced on Redis pub/sub once its transaction has committed, and
the server-sent-events stream that relays it to an open screen.

A job calls `announce(session, channel, message)`; `outbox.execute` hands the announcements
of an attempt that committed back to the worker, which publishes them (`publish`): a rolled
back attempt announces nothing, and a listener that re-reads on the event sees the change.
Delivery is at most once (pub/sub keeps nothing): a stream is a hint to re-read, the reads'
`ETag` stays the source of truth.

`event_stream` answers `text/event-stream`: one Redis subscription per open stream on the
channel, each message passed through the caller's filter (what the caller may see; None
drops it), a comment every `HEARTBEAT_SECONDS` so proxies keep the connection, and the
subscription released when the client goes away. A stream ends after `LIFETIME_SECONDS`
(`retry:` tells EventSource to reconnect at once): the reconnect authenticates again, so a
revoked token or a changed reach stops being served within minutes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import StreamingResponse
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.ext.asyncio import AsyncSession

logger = logging.getLogger("hrcore.live")

PENDING = "hrcore.live.pending"
"""The session's `info` key holding what its transaction announces."""
HEARTBEAT_SECONDS = 15.0
"""A comment line this often on an idle stream (below the usual 30–60 s proxy timeouts)."""
LIFETIME_SECONDS = 300.0
"""How long one stream is served before the client reconnects (and authenticates again)."""
RECONNECT_MS = 1000
POLL_SECONDS = 1.0
"""How often an idle stream checks that its client is still there (below Redis's socket
timeout, so the wait for a message never reads as an outage)."""

Announcement = tuple[str, str]
Filter = Callable[[Mapping[str, Any]], Mapping[str, Any] | None]


def announce(session: AsyncSession, channel: str, message: Mapping[str, Any]) -> None:
    """Publish `message` on `channel` once the session's transaction commits."""
    session.info.setdefault(PENDING, []).append((channel, json.dumps(message)))


def take(session: AsyncSession) -> tuple[Announcement, ...]:
    """What the session announced so far, forgotten by the session (a rolled back attempt's
    announcements are taken and dropped)."""
    return tuple(session.info.pop(PENDING, ()))


async def publish(redis: Redis, announcements: Iterable[Announcement]) -> None:
    """Send committed announcements; Redis being away loses them (logged), never the job."""
    for channel, message in announcements:
        try:
            await redis.publish(channel, message)
        except (RedisError, OSError) as exc:
            logger.warning("live update on %s not published: %s", channel, exc)


def _frame(event: str, data: Mapping[str, Any]) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n".encode()


async def _relay(
    request: Request, redis: Redis, channel: str, event: str, pick: Filter
) -> AsyncIterator[bytes]:
    pubsub = redis.pubsub(ignore_subscribe_messages=True)
    try:
        await pubsub.subscribe(channel)
        yield f"retry: {RECONNECT_MS}\n: connected\n\n".encode()
        beat = time.monotonic() + HEARTBEAT_SECONDS
        ends = time.monotonic() + LIFETIME_SECONDS
        while time.monotonic() < ends and not await request.is_disconnected():
            message = await pubsub.get_message(timeout=min(POLL_SECONDS, HEARTBEAT_SECONDS))
            if message is not None and message["type"] == "message":
                shown = pick(json.loads(message["data"]))
                if shown is not None:
                    yield _frame(event, shown)
            if time.monotonic() >= beat:
                yield b": heartbeat\n\n"
                beat = time.monotonic() + HEARTBEAT_SECONDS
    finally:
        # shielded: a cancelled stream (the client left) still releases its subscription
        await asyncio.shield(_release(pubsub, channel))


async def _release(pubsub: Any, channel: str) -> None:
    try:
        await pubsub.unsubscribe(channel)
    except (RedisError, OSError) as exc:
        logger.info("live stream on %s closed without unsubscribing: %s", channel, exc)
    finally:
        await pubsub.aclose()


def event_stream(
    request: Request, redis: Redis, channel: str, event: str, pick: Filter
) -> StreamingResponse:
    """Relay `channel`'s messages that `pick` keeps, as `event` frames, until the client
    leaves."""
    return StreamingResponse(
        _relay(request, redis, channel, event, pick),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
