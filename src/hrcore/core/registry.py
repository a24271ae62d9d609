"""What a domain plugs into the processes, declared in one place: `<domain>/registry.py`.

Each domain exposes a `DOMAIN = Domain(...)` naming its router, tables, background jobs, crons,
event subscriptions and hooks; `hrcore.domains.DOMAINS` lists them. The API, the worker, the
CLI, Alembic and the tests are built from that list, and `install` wires the in-memory
registries (jobs, event subscribers, hooks) when a process is built, not when a module is
imported: a listener cannot be lost because nobody happened to import its module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Protocol

from arq.typing import WorkerCoroutine
from fastapi import APIRouter

from hrcore.core import events, jobs
from hrcore.core.jobs import JobSpec


class Hook(Protocol):
    """A hook a domain fills in another, lower one (a task kind's validator, a data source):
    the lower domain defines the hook type, whose `install` registers it (idempotently)."""

    def install(self) -> None: ...


@dataclass(frozen=True)
class Subscription:
    """Run the registered job `job` for every `event` emitted (`core.events`)."""

    event: str
    job: str


@dataclass(frozen=True)
class Cron:
    """A worker cron: `run` is an arq entry point taking arq's context (`ctx["runtime"]`).
    Unset fields mean "every" (arq's `cron`); `second` is 0."""

    name: str
    run: WorkerCoroutine
    hour: int | set[int] | None = None
    minute: int | set[int] | None = None
    timeout: float | None = None


@dataclass(frozen=True)
class Domain:
    name: str
    models: Sequence[ModuleType] = ()
    """Modules defining its tables: importing them completes `Base.metadata`."""
    router: APIRouter | None = None
    """Included under /api/v1, in the order of the domain list (the OpenAPI order)."""
    jobs: Sequence[JobSpec] = ()
    crons: Sequence[Cron] = ()
    subscriptions: Sequence[Subscription] = ()
    task_hooks: Sequence[Hook] = ()
    providers: Sequence[Hook] = ()


def install(domains: Sequence[Domain]) -> None:
    """Register every domain's jobs, then its subscriptions and hooks. Idempotent: tests
    build the app and the worker many times. Subscribers of an event keep the domain list's
    order, so the outbox rows one event writes are always in the same order."""
    for domain in domains:
        for spec in domain.jobs:
            jobs.register(spec)
    for domain in domains:
        for subscription in domain.subscriptions:
            jobs.get_job(subscription.job)  # a typo fails the build, not a silent no-op
            events.subscribe(subscription.event, subscription.job)
        for hook in (*domain.task_hooks, *domain.providers):
            hook.install()


def routers(domains: Sequence[Domain]) -> list[APIRouter]:
    return [domain.router for domain in domains if domain.router is not None]


def crons(domains: Sequence[Domain]) -> list[Cron]:
    return [cron for domain in domains for cron in domain.crons]
