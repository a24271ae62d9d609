"""Races the tree lock and the position lock exist for.

The first change runs through the service in a transaction the test holds open; the second
arrives over HTTP meanwhile, must wait for it, and then lose cleanly.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from httpx import AsyncClient, Response
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from hrcore.core.authz import Principal, Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.org import departments, descriptions
from hrcore.org.schemas import DepartmentPatch
from tests.factories import make_department, make_position
from tests.org.conftest import World
from tests.servers import blocked_on_a_lock, until

pytestmark = pytest.mark.commits  # two connections: the held transaction and the request's


@asynccontextmanager
async def held_open(runtime: Runtime, world: World) -> AsyncIterator[AsyncSession]:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        yield session


async def waits_then_answers(
    pending: asyncio.Task[Response], release: AsyncSession, owner_engine: AsyncEngine
) -> Response:
    """The request waits for the other transaction's lock (however long a loaded machine takes
    to get it there, it must not answer first); once that commits, it answers."""

    async def waiting() -> bool:
        assert not pending.done(), "the second change did not wait for the first"
        return await blocked_on_a_lock(owner_engine)

    await until(waiting, "the second change waits for the first's lock")
    await release.commit()
    return await pending


def _hr(world: World) -> Principal:
    return Principal(
        kind="user", id=world.hr.user_id, org_id=world.hr.org_id, roles=frozenset({Role.HR_ADMIN})
    )


async def test_crossing_moves_cannot_make_a_cycle(
    client: AsyncClient, runtime: Runtime, owner_engine: AsyncEngine, world: World
) -> None:
    left = await make_department(runtime, world.hr.org_id, "Left")
    right = await make_department(runtime, world.hr.org_id, "Right")
    async with held_open(runtime, world) as session:
        await departments.update_department(
            session, _hr(world), left.id, DepartmentPatch(parent_id=right.id), if_match=None
        )
        crossing = asyncio.create_task(
            client.patch(
                f"/api/v1/departments/{right.id}",
                json={"parent_id": str(left.id)},
                headers=world.hr.headers,
            )
        )
        response = await waits_then_answers(crossing, session, owner_engine)
    assert response.status_code == 422, response.text


async def test_of_two_drafts_approved_at_once_exactly_one_wins(
    client: AsyncClient, runtime: Runtime, owner_engine: AsyncEngine, world: World
) -> None:
    position = await make_position(runtime, world.hr.org_id, world.sales, "Chief")
    first, second = [
        (
            await client.post(
                f"/api/v1/positions/{position.id}/description-drafts",
                json={"summary": summary},
                headers=world.sales_head.headers,
            )
        ).json()["id"]
        for summary in ("one", "two")
    ]
    async with held_open(runtime, world) as session:
        await descriptions.approve_draft(session, _hr(world), runtime.clock, first, if_match=None)
        racing = asyncio.create_task(
            client.post(f"/api/v1/description-drafts/{second}/approve", headers=world.hr.headers)
        )
        response = await waits_then_answers(racing, session, owner_engine)
    assert response.status_code == 409, response.text
    current = await client.get(f"/api/v1/positions/{position.id}", headers=world.hr.headers)
    assert (current.json()["description"]["summary"], current.json()["description_revision"]) == (
        "one",
        1,
    )
