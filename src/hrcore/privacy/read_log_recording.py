"""Writing the read-access log: a request's entries from its outbox row, and the Redis
buffer the API appends reads to, drained in batches (`core.read_log` says which path an
entry takes).

Every entry carries the id the API gave it, and rows are inserted `ON CONFLICT (id) DO
NOTHING`: a batch written again after a crash (committed, not yet trimmed from the buffer;
a retried outbox job) adds nothing twice."""

from __future__ import annotations

import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Sequence
from datetime import datetime
from typing import Any, cast

from arq.connections import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import SessionMaker, insert_new, tenant_transaction, try_claim, unit_of_work
from hrcore.privacy.read_log_models import ReadAccessEvent

logger = logging.getLogger("hrcore.privacy.read_log")

DRAIN_BATCH = 2_000
"""Entries read from the buffer, written and trimmed at a time."""

_DRAIN_LOCK = "privacy.read_log.drain"


async def record(
    session: AsyncSession, org_id: uuid.UUID, entries: Sequence[dict[str, Any]]
) -> int:
    """Write `entries` of one organization (the session is scoped to it); how many were new.
    An entry naming another organization is skipped: the tenant policy would refuse it."""
    rows = [_row(entry) for entry in entries if entry["org_id"] == str(org_id)]
    written = await insert_new(
        session, ReadAccessEvent, rows, unique=["id"], returning=[ReadAccessEvent.id]
    )
    return len(written)


async def drain(sessionmaker: SessionMaker, redis: ArqRedis, key: str) -> int:
    """Move the buffer at `key` into `read_access_events` until it is empty; how many rows
    were written. One drainer at a time (an advisory lock held for the whole drain): entries
    are read from the head, written (a transaction per organization), and only then trimmed,
    so a crash in between writes them again rather than losing them."""
    written = 0
    async with unit_of_work(sessionmaker) as guard:
        if not await try_claim(guard, _DRAIN_LOCK):
            return 0
        while raw := await cast(Awaitable[list[bytes]], redis.lrange(key, 0, DRAIN_BATCH - 1)):
            by_org: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
            for item in raw:
                entry = _decode(item)
                if entry is not None:
                    by_org[uuid.UUID(entry["org_id"])].append(entry)
            for org_id, entries in by_org.items():
                async with tenant_transaction(sessionmaker, org_id) as session:
                    written += await record(session, org_id, entries)
            await cast(Awaitable[bool], redis.ltrim(key, len(raw), -1))
    return written


def _decode(item: bytes | str) -> dict[str, Any] | None:
    try:
        entry = json.loads(item)
        uuid.UUID(entry["org_id"])
    except (ValueError, KeyError, TypeError):
        logger.error("unreadable read log entry dropped: %r", item[:200])
        return None
    return entry if isinstance(entry, dict) else None


def _row(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": uuid.UUID(entry["id"]),
        "org_id": uuid.UUID(entry["org_id"]),
        "occurred_at": datetime.fromisoformat(entry["occurred_at"]),
        "actor_kind": entry["actor_kind"],
        "actor_id": uuid.UUID(entry["actor_id"]),
        "subject_employee_id": uuid.UUID(entry["subject_employee_id"]),
        "data_class": entry["data_class"],
        "what": entry["what"],
        "operation": entry["operation"],
        "purpose": entry["purpose"],
        "masked": entry["masked"],
        "request_id": entry["request_id"],
    }
