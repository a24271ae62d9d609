"""`competency_current_scores` follows the newest snapshot of each employee whichever path
inserts snapshots (migration 0059's trigger): several in one statement, an older one
later, a deleted one."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from hrcore.competencies.models import CompetencyCurrentScores, CompetencyProfile
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from tests.competencies.conftest import World


def _snapshot(world: World, at: datetime, *scores: tuple[uuid.UUID, float]) -> CompetencyProfile:
    figures = [{"competency_id": str(key), "score": score} for key, score in scores]
    return CompetencyProfile(
        org_id=world.hr.org_id,
        employee_id=world.lead.id,
        computed_at=at,
        figures=figures,
        scores=figures,
    )


async def _current(runtime: Runtime, world: World) -> tuple[list[uuid.UUID], list[float]] | None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        row = await session.get(CompetencyCurrentScores, (world.hr.org_id, world.lead.id))
        return (row.competency_ids, row.scores) if row else None


async def test_the_newest_snapshot_is_current(world: World, runtime: Runtime) -> None:
    team, customers = uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        session.add_all(
            [
                _snapshot(world, now - timedelta(days=2), (team, 6.2)),
                _snapshot(world, now, (team, 8.1), (customers, 5.55)),
            ]
        )
    assert await _current(runtime, world) == ([team, customers], [8.1, 5.55])

    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        session.add(_snapshot(world, now - timedelta(days=1), (team, 7.0)))
    assert await _current(runtime, world) == ([team, customers], [8.1, 5.55])

    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        await session.execute(delete(CompetencyProfile).where(CompetencyProfile.computed_at == now))
        left = await session.scalars(select(CompetencyCurrentScores))
        assert list(left) == []
