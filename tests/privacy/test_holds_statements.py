"""The legal holds and retention rules lists cost a fixed number of statements, whatever
the page's size: one lookup per kind of name (employees, users), none per row."""

from __future__ import annotations

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.people.conftest import World, count_statements, world

__all__ = ["world"]
API = "/api/v1"


async def _counted(
    client: AsyncClient, runtime: Runtime, world: World, path: str, limit: int
) -> int:
    with count_statements(runtime) as counter:
        response = await client.get(
            f"{API}{path}", params={"limit": limit}, headers=world.hr.headers
        )
    assert response.status_code == 200, response.text
    assert len(response.json()["items"]) == limit
    return counter.count


async def test_lists_cost_the_same_for_one_row_and_many(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    people = [world.boss, world.lead, world.member, world.junior, world.peer]
    for employee in people:
        placed = await client.post(
            f"{API}/legal-holds",
            json={"employee_id": str(employee.id), "reason": "Investigation"},
            headers=world.hr.headers,
        )
        assert placed.status_code == 201, placed.text
    first = (await client.get(f"{API}/legal-holds", headers=world.hr.headers)).json()["items"][0]
    released = await client.delete(f"{API}/legal-holds/{first['id']}", headers=world.hr.headers)
    assert released.status_code == 204
    assert await _counted(client, runtime, world, "/legal-holds", 1) == await _counted(
        client, runtime, world, "/legal-holds", 5
    )

    for kind, action in (
        ("departed_employee_identity", "anonymise"),
        ("departed_employee_evaluations", "delete"),
        ("review_raw_answers", "delete"),
    ):
        body = {"subject_kind": kind, "period": {"amount": 1, "unit": "years"}, "action": action}
        created = await client.post(f"{API}/retention-rules", json=body, headers=world.hr.headers)
        assert created.status_code == 201, created.text
    assert await _counted(client, runtime, world, "/retention-rules", 1) == await _counted(
        client, runtime, world, "/retention-rules", 3
    )
