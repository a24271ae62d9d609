"""`competency_current_scores` holds each employee's newest snapshot's scores, written by the
statement that stores snapshots (`profiles.RECOMPUTE`, migration 0071): the per-employee
recompute, a full recompute's batch of several, a snapshot older than the current one, an
employee whose evidence is gone, a deleted snapshot."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import delete, text

from hrcore.competencies import api as competencies
from hrcore.competencies import profiles
from hrcore.competencies.models import CompetencyEvidence, CompetencyProfile
from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from tests.competencies.conftest import World
from tests.competencies.test_full_recompute import NOW, _evidence

# Each employee's newest snapshot (by moment, then id) as the two arrays, from its JSON.
NEWEST = """
SELECT DISTINCT ON (employee_id) employee_id, id,
       ARRAY(SELECT (f ->> 'competency_id')::uuid FROM jsonb_array_elements(scores) AS f)
         AS competency_ids,
       ARRAY(SELECT (f ->> 'score')::float8 FROM jsonb_array_elements(scores) AS f) AS scores
  FROM competency_profiles
 ORDER BY employee_id, computed_at DESC, id DESC
"""


async def _both(runtime: Runtime, org_id: uuid.UUID) -> tuple[dict[uuid.UUID, Any], ...]:
    """The current rows and what the newest snapshots say, by employee."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        current = await session.execute(
            text(
                "SELECT employee_id, profile_id, competency_ids, scores FROM "
                "competency_current_scores"
            )
        )
        newest = await session.execute(text(NEWEST))
        return (
            {row.employee_id: (row.profile_id, row.competency_ids, row.scores) for row in current},
            {row.employee_id: (row.id, row.competency_ids, row.scores) for row in newest},
        )


async def _full(runtime: Runtime, org_id: uuid.UUID, at: Any, **weights: float) -> int:
    settings = runtime.settings.model_copy(update={"competency_source_weights": weights})
    result = await competencies.recompute_all_profiles(
        runtime.sessionmaker, org_id, settings, FrozenClock(at), size=3
    )
    return result.stored


@pytest.mark.commits
async def test_the_recompute_keeps_the_newest_snapshot_current(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    people = await _evidence(client, world, runtime)
    org_id = world.hr.org_id
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        assert await profiles.recompute(session, org_id, world.lead.id, runtime.settings, NOW)
    current, newest = await _both(runtime, org_id)
    assert current == newest
    assert set(current) == {world.lead.id}
    assert len(current[world.lead.id][1]) == 2, "both competencies, in the snapshot's order"

    assert await _full(runtime, org_id, NOW + timedelta(days=1), review=2.0) == len(people)
    current, newest = await _both(runtime, org_id)
    assert current == newest
    assert set(current) == {person.id for person in people}
    before = current

    # A snapshot older than the current one (a recompute as of an earlier moment) is
    # history, not the current scores.
    assert await _full(runtime, org_id, NOW - timedelta(days=1), review=3.0) == len(people)
    current, newest = await _both(runtime, org_id)
    assert current == newest == before

    # Every piece of someone's evidence gone: an empty snapshot, empty current scores.
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        await session.execute(
            delete(CompetencyEvidence).where(CompetencyEvidence.employee_id == world.member.id)
        )
        stored = await profiles.recompute(
            session, org_id, world.member.id, runtime.settings, NOW + timedelta(days=2)
        )
        assert stored
        assert stored[0][2] == []
    current, newest = await _both(runtime, org_id)
    assert current == newest
    assert current[world.member.id][1:] == ([], [])

    # A deleted snapshot takes its current row along.
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        await session.execute(
            delete(CompetencyProfile).where(CompetencyProfile.employee_id == world.junior.id)
        )
    current, _newest = await _both(runtime, org_id)
    assert world.junior.id not in current
    assert world.lead.id in current
