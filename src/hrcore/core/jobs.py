"""Registry of background jobs. Domains declare handlers (`<domain>/registry.py`); the
worker runs them."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from hrcore.core.clock import Clock
from hrcore.settings import Settings


@dataclass(frozen=True)
class JobContext:
    """What a handler gets: the session of the job's transaction, already scoped to its org.

    `sessionmaker` is for the rare write that must be visible before the job commits, such as
    progress; open it with `core.db.tenant_transaction`.
    """

    session: AsyncSession
    sessionmaker: async_sessionmaker[AsyncSession]
    settings: Settings
    org_id: uuid.UUID | None
    payload: dict[str, Any]
    message_id: uuid.UUID
    attempt: int
    clock: Clock


JobHandler = Callable[[JobContext], Awaitable[None]]


@dataclass(frozen=True)
class JobSpec:
    """A handler under a name. Handlers must be idempotent: arq is at-least-once."""

    name: str
    handler: JobHandler
    max_tries: int | None = None


_REGISTRY: dict[str, JobSpec] = {}


def register(spec: JobSpec) -> None:
    """Register `spec` (done by `core.registry.install` from each domain's declaration);
    registering the same spec again is a no-op, another handler under its name an error."""
    if _REGISTRY.get(spec.name, spec) != spec:
        raise ValueError(f"job {spec.name!r} is registered twice")
    _REGISTRY[spec.name] = spec


def registered_jobs() -> dict[str, JobSpec]:
    return dict(_REGISTRY)


def get_job(name: str) -> JobSpec:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown job {name!r}") from None
