"""One source event's evidence replaced as a whole (`replace_source_evidence`): a competency
the event no longer names loses its row, no values withdraw the event, the profile follows
in the worker; bad values are refused without a partial write."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text

from hrcore.competencies import api as competencies
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.errors import NotFound, Unprocessable
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.competencies.conftest import API, World, create, ok
from tests.factories import make_org

NOW = datetime.now(UTC)


async def _replace(
    runtime: Runtime, world: World, source: uuid.UUID, values: dict[str, float]
) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        await competencies.replace_source_evidence(
            session,
            world.hr.org_id,
            employee_id=world.member.id,
            source_kind="review",
            source_id=source,
            observed_at=NOW,
            values=[
                competencies.SourceValue(uuid.UUID(cid), value, f"Cycle: {value}")
                for cid, value in values.items()
            ],
        )


async def _scores(client: AsyncClient, world: World) -> dict[str, Any]:
    profile = ok(
        await client.get(
            f"{API}/employees/{world.member.id}/competency-profile", headers=world.hr.headers
        )
    )
    return {f["competency"]["name"]: (f["score"], f["sources"]) for f in profile["competencies"]}


@pytest.mark.commits
async def test_a_source_event_is_replaced_as_a_whole(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management")
    drive = await create(client, world.hr, "Sales drive")
    source = uuid.uuid4()
    await _replace(runtime, world, source, {team["id"]: 6.0, drive["id"]: 8.0})
    await run_burst(runtime)
    assert await _scores(client, world) == {"Team management": (6.0, 1), "Sales drive": (8.0, 1)}

    await _replace(runtime, world, source, {team["id"]: 7.0})
    await run_burst(runtime)
    assert await _scores(client, world) == {"Team management": (7.0, 1)}, (
        "the corrected event no longer names sales drive: its row is gone"
    )
    await _replace(runtime, world, source, {})
    await run_burst(runtime)
    assert await _scores(client, world) == {}, "no values withdraw the event"


@pytest.mark.commits
async def test_bad_values_write_nothing(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management")
    theirs = await create(client, await make_org(runtime), "Theirs")
    source = uuid.uuid4()
    await _replace(runtime, world, source, {team["id"]: 6.0})
    for values, error in (
        ({team["id"]: 10.5}, Unprocessable),
        ({team["id"]: 7.0, theirs["id"]: 5.0}, NotFound),
    ):
        with pytest.raises(error):
            await _replace(runtime, world, source, values)
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        rows = (
            await session.execute(
                text("SELECT value FROM competency_evidence WHERE source_id = :source"),
                {"source": source},
            )
        ).all()
    assert [row.value for row in rows] == [6.0]
