"""Ending a temporary post early: `people.api.end_temporary_post`, what rotations and
stretch roles call when a post ends before its planned end."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Principal, Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.errors import Forbidden, NotFound, Unprocessable
from hrcore.core.runtime import Runtime
from hrcore.people import api as people
from tests.people.conftest import World


async def _event(client: AsyncClient, world: World, body: dict[str, object]) -> uuid.UUID:
    response = await client.post(
        f"/api/v1/employees/{world.member.id}/events", json=body, headers=world.hr.headers
    )
    assert response.status_code == 201, response.text
    return uuid.UUID(response.json()["id"])


def _principal(world: World, role: Role, employee_id: uuid.UUID | None = None) -> Principal:
    return Principal(
        kind="user",
        id=world.hr.user_id,
        org_id=world.hr.org_id,
        roles=frozenset({role}),
        employee_id=employee_id,
    )


async def _end(runtime: Runtime, principal: Principal, event_id: uuid.UUID, last_day: date) -> date:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, principal.org_id)
        return await people.end_temporary_post(session, principal, event_id, last_day)


async def test_a_temporary_post_ends_early_and_is_audited(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    post = await _event(
        client,
        world,
        {
            "kind": "temporary_post",
            "effective_date": "2025-01-01",
            "end_date": "2025-06-30",
            "title": "Project lead",
        },
    )
    transfer = await _event(
        client,
        world,
        {"kind": "transfer", "effective_date": "2025-01-02", "department_id": str(world.sales.id)},
    )
    hr = _principal(world, Role.HR_ADMIN)
    with pytest.raises(Unprocessable) as outside:
        await _end(runtime, hr, post, date(2025, 6, 30))
    assert [error.field for error in outside.value.errors] == ["last_day"]
    with pytest.raises(Unprocessable):
        await _end(runtime, hr, post, date(2024, 12, 31))
    with pytest.raises(NotFound):
        await _end(runtime, hr, transfer, date(2025, 3, 1))
    with pytest.raises(Forbidden):
        await _end(runtime, _principal(world, Role.EMPLOYEE, world.lead.id), post, date(2025, 3, 1))

    assert await _end(runtime, hr, post, date(2025, 3, 31)) == date(2025, 6, 30)
    events = (
        await client.get(f"/api/v1/employees/{world.member.id}/events", headers=world.hr.headers)
    ).json()["items"]
    [ended] = [e for e in events if e["id"] == str(post)]
    assert ended["end_date"] == "2025-03-31"
    audit = (
        await client.get(
            "/api/v1/audit-events",
            params={"object_type": "employment_event", "object_id": str(post)},
            headers=world.hr.headers,
        )
    ).json()["items"]
    shortened = [a for a in audit if a["action"] == "employment_event.ended_early"]
    assert [(a["before"], a["after"]) for a in shortened] == [
        ({"end_date": "2025-06-30"}, {"end_date": "2025-03-31"})
    ]
