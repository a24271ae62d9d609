"""Bench strength over HTTP: key positions (pools' target positions) with their successors
by readiness from rollups the worker refreshes, positions without any flagged, in the
caller's scope, drillable to the successors; a removal refreshes its person by the event."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.analytics.conftest import API, World, refresh_all
from tests.factories import Account, make_position

BENCH = f"{API}/analytics/bench-strength"
POOLS = f"{API}/talent-pools"


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _pool(client: AsyncClient, hr: Account, name: str, position: Any) -> Any:
    return await _ok(
        await client.post(
            POOLS, json={"name": name, "target_position_id": str(position.id)}, headers=hr.headers
        ),
        201,
    )


async def _member(
    client: AsyncClient, hr: Account, pool: Any, employee: Any, readiness: str | None
) -> Any:
    member = await _ok(
        await client.post(
            f"{POOLS}/{pool['id']}/members",
            json={"employee_id": str(employee.id), "reason": "Strong"},
            headers=hr.headers,
        ),
        201,
    )
    decision: dict[str, Any] = {"status": "active", "reason": "Approved"}
    if readiness:
        decision["readiness"] = readiness
    return await _ok(
        await client.patch(
            f"{POOLS}/{pool['id']}/members/{member['id']}", json=decision, headers=hr.headers
        )
    )


async def _bench(runtime: Runtime, client: AsyncClient, world: World) -> dict[str, Any]:
    """Sales chief (sales): Lead and Peer ready now, Member in 1–2 years, Junior only
    nominated (not a successor); a second pool for the chief holds Peer again (counted
    once, at the best readiness) and Engineer not assessed. Lead engineer (engineering):
    no successor."""
    hr = world.hr
    lead_engineer = await make_position(runtime, hr.org_id, world.engineering, "Lead engineer")
    chiefs = await _pool(client, hr, "Reserve chiefs", world.chief)
    await _member(client, hr, chiefs, world.lead, "ready_now")
    await _member(client, hr, chiefs, world.peer, "ready_now")
    await _member(client, hr, chiefs, world.member, "one_to_two_years")
    await _ok(
        await client.post(
            f"{POOLS}/{chiefs['id']}/members",
            json={"employee_id": str(world.junior.id), "reason": "Keen"},
            headers=hr.headers,
        ),
        201,
    )
    second = await _pool(client, hr, "Chiefs, second line", world.chief)
    await _member(client, hr, second, world.peer, "three_plus_years")
    await _member(client, hr, second, world.engineer, None)
    await _pool(client, hr, "Reserve engineers", lead_engineer)
    return {"chiefs": chiefs, "lead_engineer": lead_engineer}


def _row(body: Any, title: str) -> Any:
    [row] = [p for p in body["positions"] if p["position"]["name"] == title]
    return row


async def test_hr_reads_each_key_positions_bench(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _bench(runtime, client, world)
    before = await _ok(await client.get(BENCH, headers=world.hr.headers))
    assert before["refreshed_at"] is None
    assert before["positions_without_successor"] == 2, "nothing counted yet"

    await refresh_all(runtime)
    body = await _ok(await client.get(BENCH, headers=world.hr.headers))
    assert body["refreshed_at"] is not None
    assert body["department"] is None
    chief = _row(body, "Sales chief")
    assert chief["department"]["id"] == str(world.sales.id)
    counts = (
        chief["ready_now"],
        chief["one_to_two_years"],
        chief["three_plus_years"],
        chief["not_assessed"],
        chief["successors"],
    )
    assert counts == (2, 1, 0, 1, 4)
    assert (chief["no_successor"], chief["no_ready_now"]) == (False, False)
    engineer = _row(body, "Lead engineer")
    assert engineer["successors"] == 0
    assert (engineer["no_successor"], engineer["no_ready_now"]) == (True, True)
    assert body["positions_without_successor"] == 1
    assert body["total"]["successors"] == 4


async def test_a_department_head_reads_their_subtree_only(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _bench(runtime, client, world)
    await refresh_all(runtime)
    own = await _ok(await client.get(BENCH, headers=world.sales_head.headers))
    assert own["department"]["id"] == str(world.sales.id)
    assert [p["position"]["name"] for p in own["positions"]] == ["Sales chief"]
    assert own["positions_without_successor"] == 0

    other = await client.get(
        BENCH,
        params={"department_id": str(world.engineering.id)},
        headers=world.sales_head.headers,
    )
    assert other.status_code == 404, other.text
    assert other.headers["content-type"].startswith("application/problem+json")
    drill = await client.get(
        f"{BENCH}/people",
        params={"department_id": str(world.engineering.id)},
        headers=world.sales_head.headers,
    )
    assert drill.status_code == 404, drill.text
    refused = await client.get(BENCH, headers=world.junior_account.headers)
    assert refused.status_code == 403, refused.text
    hr_engineering = await _ok(
        await client.get(
            BENCH, params={"department_id": str(world.engineering.id)}, headers=world.hr.headers
        )
    )
    assert [p["position"]["name"] for p in hr_engineering["positions"]] == ["Lead engineer"]


async def test_the_drill_down_lists_the_successors_with_reasons(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _bench(runtime, client, world)
    await refresh_all(runtime)
    people = await _ok(
        await client.get(
            f"{BENCH}/people",
            params={"dimension": str(world.chief.id), "step": "ready_now"},
            headers=world.hr.headers,
        )
    )
    assert {i["employee"]["name"] for i in people["items"]} == {"Lead", "Peer"}
    item = people["items"][0]
    assert item["department"]["id"] == str(world.sales.id)
    assert item["reason"].startswith("Successor for Sales chief in the pool ")
    assert item["reason"].endswith("ready now")

    chinese = await _ok(
        await client.get(
            f"{BENCH}/people",
            params={"dimension": str(world.chief.id), "step": "one_to_two_years"},
            headers=world.hr.headers | {"Accept-Language": "zh-CN"},
        )
    )
    [item] = chinese["items"]
    assert item["employee"]["name"] == "Member"
    assert "1–2 年" in item["reason"], item["reason"]
    assert item["step_label"] == "1–2 年内可就任"
    step = await client.get(f"{BENCH}/people", params={"step": "never"}, headers=world.hr.headers)
    assert step.status_code == 422, step.text


@pytest.mark.commits
async def test_removing_a_successor_refreshes_them_through_the_event(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    bench = await _bench(runtime, client, world)
    await refresh_all(runtime)
    pool = bench["chiefs"]
    members = await _ok(await client.get(f"{POOLS}/{pool['id']}/members", headers=world.hr.headers))
    [lead] = [m for m in members["items"] if m["employee"]["id"] == str(world.lead.id)]
    await _ok(
        await client.patch(
            f"{POOLS}/{pool['id']}/members/{lead['id']}",
            json={"status": "removed", "reason": "Moved on"},
            headers=world.hr.headers,
        )
    )
    await run_burst(runtime)
    chief = _row(await _ok(await client.get(BENCH, headers=world.hr.headers)), "Sales chief")
    assert (chief["ready_now"], chief["successors"]) == (1, 3)
