"""The explicit registry: every domain declares its router, tables, jobs, crons,
subscriptions and hooks once (`<domain>/registry.py`), and the processes are built from
`hrcore.domains.DOMAINS`."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
from fastapi.routing import APIRoute

from hrcore import domains
from hrcore.core import events, jobs
from hrcore.core.jobs import JobContext, JobSpec
from hrcore.core.models import Base
from hrcore.core.registry import Domain, Subscription, crons, install
from hrcore.core.runtime import Runtime
from hrcore.main import create_app
from hrcore.people import api as people
from hrcore.worker import build_worker
from hrcore.workflow import hooks

DECLARED_JOBS = [spec.name for domain in domains.DOMAINS for spec in domain.jobs]


def test_every_table_belongs_to_a_declared_models_module() -> None:
    declared = {module.__name__ for domain in domains.DOMAINS for module in domain.models}
    mapped = {mapper.class_.__module__ for mapper in Base.registry.mappers}
    assert mapped - declared == set()
    tables = {table for mapper in Base.registry.mappers for table in mapper.tables}
    assert set(domains.metadata.tables.values()) == tables


def test_names_are_unique_and_subscriptions_name_declared_jobs() -> None:
    assert [name for name, n in Counter(DECLARED_JOBS).items() if n > 1] == []
    cron_names = [cron.name for cron in crons(domains.DOMAINS)]
    assert len(cron_names) == len(set(cron_names)) == 22
    for domain in domains.DOMAINS:
        for subscription in domain.subscriptions:
            assert subscription.job in DECLARED_JOBS, subscription


def test_building_the_app_again_registers_nothing_twice() -> None:
    first = create_app()
    before = (
        {event: events.subscribers(event) for event in _events()},
        jobs.registered_jobs(),
        {kind: list(hooks.listeners_for(kind)) for kind in _task_kinds()},
    )
    second = create_app()
    after = (
        {event: events.subscribers(event) for event in _events()},
        jobs.registered_jobs(),
        {kind: list(hooks.listeners_for(kind)) for kind in _task_kinds()},
    )
    assert after == before
    assert [_route(r) for r in second.routes] == [_route(r) for r in first.routes]


def test_an_events_subscribers_follow_the_domain_list() -> None:
    """One employment event writes its outbox rows in the same order in every process."""
    domains.install()
    assert events.subscribers(people.EMPLOYMENT_EVENT_RECORDED) == [
        "contracts.draft_amendment",
        "talent.end_memberships_of_leaver",
        "talent.open_vacancy_for_vacated_post",
        "programs.withdraw_leaver",
        "analytics.note_event",
    ]


async def test_the_worker_runs_every_declared_job_and_cron(runtime: Runtime) -> None:
    worker = build_worker(runtime, burst=True)
    try:
        functions = set(worker.functions)
        cron_names = {job.name for job in worker.cron_jobs}
    finally:
        await worker.close()
    assert set(DECLARED_JOBS) <= functions
    assert cron_names == {cron.name for cron in crons(domains.DOMAINS)}


async def _noop(context: JobContext) -> None:
    return None


def test_a_subscription_to_an_unknown_job_fails_the_build() -> None:
    typo = Domain(name="typo", subscriptions=[Subscription("test.happened", "test.no_such")])
    with pytest.raises(ValueError, match=r"unknown job 'test\.no_such'"):
        install([typo])
    assert events.subscribers("test.happened") == []


def test_another_handler_under_a_taken_name_is_refused() -> None:
    name = f"test.registry.{uuid.uuid4()}"
    install([Domain(name="a", jobs=[JobSpec(name, _noop)])])
    install([Domain(name="a", jobs=[JobSpec(name, _noop)])])  # the same again: a no-op

    async def other(context: JobContext) -> None:
        return None

    with pytest.raises(ValueError, match="registered twice"):
        install([Domain(name="b", jobs=[JobSpec(name, other)])])


def _events() -> set[str]:
    return {s.event for domain in domains.DOMAINS for s in domain.subscriptions}


def _task_kinds() -> set[str]:
    return {
        hook.kind
        for domain in domains.DOMAINS
        for hook in domain.task_hooks
        if isinstance(hook, hooks.SubmissionCheck | hooks.CompletionHook)
    }


def _route(route: object) -> tuple[str, frozenset[str]]:
    if isinstance(route, APIRoute):
        return route.path, frozenset(route.methods)
    return getattr(route, "path", ""), frozenset()
