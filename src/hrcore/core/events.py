"""Domain events: a domain announces that something happened without knowing who listens.

A listening domain declares a subscription of one of its jobs in its registry
(`Subscription("employment_event.recorded", "contracts.draft_amendment")`), which
`core.registry.install` passes to `subscribe` when a process is built. `emit` writes one
outbox row per subscribed job in the caller's transaction, so the listeners run in the worker
after the change commits — never when it rolls back — and a slow or failing listener never
slows or fails the emitter. The payload carries ids only; the job re-reads what it needs
through the emitting domain's service.

This keeps the dependency one way: the emitter imports `core`, the listener imports the
emitter's api. Subscriptions live in memory; every process that emits installs the whole
domain list (`hrcore.domains.install`), in its order, so an event's rows are deterministic.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import outbox

_SUBSCRIBERS: dict[str, list[str]] = {}


def subscribe(event: str, job: str) -> None:
    """Run the registered job `job` for every `event` emitted from now on (idempotent)."""
    jobs = _SUBSCRIBERS.setdefault(event, [])
    if job not in jobs:
        jobs.append(job)


def subscribers(event: str) -> list[str]:
    return list(_SUBSCRIBERS.get(event, ()))


def emit(session: AsyncSession, event: str, payload: dict[str, Any], *, org_id: uuid.UUID) -> int:
    """Queue every subscriber of `event` with `payload` (plus the event name) in the caller's
    transaction; returns how many jobs were queued."""
    jobs = subscribers(event)
    for job in jobs:
        outbox.enqueue(session, job, {"event": event, **payload}, org_id=org_id)
    return len(jobs)
