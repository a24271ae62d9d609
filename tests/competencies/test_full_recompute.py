"""The full recompute (`hrcore competencies recompute-all`): every profile of an
organization in batches, the per-employee recompute's figures (the Python rule's), snapshots
only where a figure changed, a fixed number of statements per batch."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from typer.testing import CliRunner

from hrcore import cli
from hrcore.cli import app
from hrcore.competencies import api as competencies
from hrcore.competencies import full_recompute, profiles, repository
from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.people.models import Employee
from hrcore.worker import run_burst
from tests.competencies.conftest import API, World, create, ok
from tests.competencies.profile_rule import expected_figures
from tests.conftest import make_settings
from tests.factories import make_org
from tests.people.conftest import count_statements
from tests.webhooks.conftest import Configure, Receiver, configure, receiver

__all__ = ["configure", "receiver"]

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


async def _evidence(client: AsyncClient, world: World, runtime: Runtime) -> list[Employee]:
    """Evidence of three kinds, weights and ages for four people; none for the others."""
    team = uuid.UUID((await create(client, world.hr, "Team management"))["id"])
    craft = uuid.UUID((await create(client, world.hr, "Craft"))["id"])
    people = [world.lead, world.member, world.junior, world.peer]
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        for n, person in enumerate(people):
            for m, (kind, competency) in enumerate(
                [
                    ("manual", team),
                    ("review", team),
                    ("review", craft),
                    ("program_evaluation", craft),
                ]
            ):
                await competencies.record_evidence(
                    session,
                    world.hr.org_id,
                    employee_id=person.id,
                    competency_id=competency,
                    value=(3.0 + n + 1.7 * m) % 10,
                    source_kind=kind,
                    source_id=uuid.uuid4(),
                    observed_at=NOW - timedelta(days=90 * m + 11 * n),
                    source_weight=1.0 + m / 2,
                )
    return people


async def _newest(runtime: Runtime, org_id: uuid.UUID) -> dict[uuid.UUID, tuple[int, Any]]:
    """Per employee: how many snapshots, and the newest one's figures."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        rows = await session.execute(
            text(
                "SELECT DISTINCT ON (employee_id) employee_id, figures, "
                "count(*) OVER (PARTITION BY employee_id) AS snapshots "
                "FROM competency_profiles ORDER BY employee_id, computed_at DESC, id DESC"
            )
        )
        return {row.employee_id: (row.snapshots, row.figures) for row in rows}


async def _full(runtime: Runtime, org_id: uuid.UUID, at: datetime, **weights: float) -> int:
    settings = runtime.settings.model_copy(update={"competency_source_weights": weights})
    result = await competencies.recompute_all_profiles(
        runtime.sessionmaker, org_id, settings, FrozenClock(at), size=2
    )
    return result.stored


@pytest.mark.commits
async def test_the_full_recompute_gives_the_per_employee_figures_and_stores_only_changes(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    people = await _evidence(client, world, runtime)
    org_id = world.hr.org_id
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        for person in people:
            assert await profiles.recompute(session, org_id, person.id, runtime.settings, NOW)
    per_employee = await _newest(runtime, org_id)

    assert await _full(runtime, org_id, NOW) == 0, "the same figures store nothing"
    assert await _newest(runtime, org_id) == per_employee

    later = NOW + timedelta(days=30)
    assert await _full(runtime, org_id, later, review=3.0) == len(people)
    stored = await _newest(runtime, org_id)
    assert set(stored) == {person.id for person in people}, "no evidence, no snapshot"
    settings = runtime.settings.model_copy(update={"competency_source_weights": {"review": 3.0}})
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        for person in people:
            count, figures = stored[person.id]
            assert count == 2
            evidence = await repository.evidence_of(session, org_id, person.id)
            expected = expected_figures(
                evidence, kind_weights={"review": 3.0}, half_life_days=365, now=later
            )
            assert figures == expected
            assert figures != per_employee[person.id][1], "the review weight moved the scores"
            assert not await profiles.recompute(session, org_id, person.id, settings, later), (
                "the per-employee recompute finds nothing to add"
            )
    assert await _full(runtime, org_id, later + timedelta(days=1), review=3.0) == 0, (
        "weights drifting with age alone are no change"
    )

    url = f"{API}/employees/{world.member.id}/competency-profile"
    read = ok(await client.get(url, headers=world.hr.headers))
    assert [row["computed_at"] for row in read["history"]] == [
        later.isoformat().replace("+00:00", "Z"),
        NOW.isoformat().replace("+00:00", "Z"),
    ]


@pytest.mark.commits
async def test_moved_scores_reach_webhook_subscribers(
    client: AsyncClient,
    world: World,
    runtime: Runtime,
    configure: Configure,
    receiver: Receiver,
) -> None:
    """The full recompute publishes `competency_profile.changed` as the per-employee job
    does: one event per stored snapshot whose scores moved."""
    hook = ok(
        await client.post(
            f"{API}/webhooks",
            json={"url": receiver.url, "event_types": ["competency_profile.changed"]},
            headers=world.hr.headers,
        ),
        201,
    )
    receiver.secret = hook["secret"]
    people = await _evidence(client, world, runtime)
    assert await _full(runtime, world.hr.org_id, NOW) == len(people)
    await run_burst(runtime)
    delivered = [json.loads(request.body) for request in receiver.requests]
    assert sorted(d["data"]["employee_id"] for d in delivered) == sorted(
        str(person.id) for person in people
    )
    assert all(d["type"] == "competency_profile.changed" for d in delivered)


@pytest.mark.commits
async def test_a_batch_costs_three_statements_whatever_its_size(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    people = await _evidence(client, world, runtime)
    org_id = world.hr.org_id
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        ids = sorted((await session.scalars(text("SELECT id FROM employees"))).all())
    first = ids.index(min(person.id for person in people))
    after = ids[first - 1] if first else None
    counts, stored = [], []
    for size in (1, len(ids)):
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, org_id)
            with count_statements(runtime) as statements:
                batch = await full_recompute.recompute_batch(
                    session, org_id, after, runtime.settings, NOW, size
                )
        counts.append(statements.count)
        stored.append(batch.stored)
    assert stored == [1, len(people) - 1], "the second batch holds the other three"
    assert counts == [3, 3], "two for the batch, one for the webhook subscriptions"


@pytest.mark.commits
async def test_another_organization_is_left_alone(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    people = await _evidence(client, world, runtime)
    other = await make_org(runtime)
    result = await competencies.recompute_all_profiles(
        runtime.sessionmaker, other.org_id, runtime.settings, FrozenClock(NOW)
    )
    assert (result.employees, result.stored) == (0, 0)
    assert await _newest(runtime, world.hr.org_id) == {}
    assert await _full(runtime, world.hr.org_id, NOW) == len(people)


def test_the_command_names_an_unknown_organization(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "resolve_settings", make_settings)
    result = CliRunner().invoke(app, ["competencies", "recompute-all", "--org", "no-such-org"])
    assert result.exit_code == 1
    assert "no organization 'no-such-org'" in result.output
