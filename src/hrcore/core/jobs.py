"""Registry of background jobs. Domains register handlers; the worker runs them."""

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
    progress; such a transaction must set the tenant itself.
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
    name: str
    handler: JobHandler
    max_tries: int | None


_REGISTRY: dict[str, JobSpec] = {}


def job(name: str, *, max_tries: int | None = None) -> Callable[[JobHandler], JobHandler]:
    """Register `handler` under `name`. Handlers must be idempotent: arq is at-least-once."""

    def register(handler: JobHandler) -> JobHandler:
        if name in _REGISTRY and _REGISTRY[name].handler is not handler:
            raise ValueError(f"job {name!r} is registered twice")
        _REGISTRY[name] = JobSpec(name=name, handler=handler, max_tries=max_tries)
        return handler

    return register


def registered_jobs() -> dict[str, JobSpec]:
    return dict(_REGISTRY)


def get_job(name: str) -> JobSpec:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown job {name!r}") from None
