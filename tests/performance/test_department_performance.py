"""Department performance: the department's own observations scored against the scheme of
the department (its override applied), beside the mean of its members' live scores; who
reads it; a fixed number of statements whatever the data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.factories import make_org
from tests.people.conftest import count_statements
from tests.performance.conftest import (
    API,
    ZH,
    World,
    api_key,
    observation,
    ok,
    post_scheme,
    scheme,
)
from tests.problems import assert_problem

NOVEMBER = datetime(2026, 11, 5, 9, tzinfo=UTC)
OCTOBER = datetime(2026, 10, 5, 9, tzinfo=UTC)


def _for(world: World, at: datetime, value: float, external_id: str) -> dict[str, object]:
    return observation(
        None, "output", value, at, external_id, department_id=str(world.sales_east.id)
    )


@pytest.mark.commits
async def test_a_department_is_scored_beside_its_team(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    east = {"department_id": str(world.sales_east.id), "targets": {"output": 80}}
    await post_scheme(
        client,
        world.hr,
        scheme(department_ids=[str(world.sales.id)], department_overrides=[east]),
    )
    key = await api_key(client, world.hr, "metrics:write")
    items = [
        _for(world, NOVEMBER, 60, "east-11"),
        observation(
            None,
            "customer_feedback",
            2,
            NOVEMBER,
            "east-cf-11",
            department_id=str(world.sales_east.id),
        ),
        observation(world.member.id, "output", 80, NOVEMBER, "m-11"),
        observation(world.junior.id, "output", 40, NOVEMBER, "j-11"),
        observation(world.junior.id, "quality", 95, NOVEMBER, "j-q-11"),
    ]
    ok(await client.post(f"{API}/metric-observations", json={"items": items}, headers=key))
    await run_burst(runtime)
    url = f"{API}/departments/{world.sales_east.id}/performance"

    with count_statements(runtime) as small:
        body = ok(await client.get(url, headers=world.hr.headers))
    assert body["department"] == {"id": str(world.sales_east.id), "name": "Sales East"}
    assert body["scheme"]["name"] == "Sales value"
    [period] = body["periods"]
    assert period["period"] == "2026-11"
    own = {i["key"]: i for i in period["department"]["indicators"]}
    assert (own["output"]["value"], own["output"]["target"], own["output"]["score"]) == (60, 80, 75)
    assert own["output"]["target_from"] == "department"
    assert [i["value"] for i in own["output"]["inputs"]] == [60]
    assert (own["customer_feedback"]["value"], own["customer_feedback"]["score"]) == (2, 50)
    assert own["quality"]["value"] is None
    assert period["department"]["overall"] == 65  # (30·75 + 20·50) / 50
    team = period["team"]
    assert team["members"] == 2
    assert team["overall"] == pytest.approx(86.365, abs=0.01)  # 100 and (30·50 + 25·100) / 55
    assert {i["key"]: (i["members"], i["value"], i["score"]) for i in team["indicators"]} == {
        "output": (2, 60, 75),
        "quality": (1, 95, 100),
    }

    more = [_for(world, OCTOBER, 90, "east-10"), _for(world, NOVEMBER, 10, "east-11b")]
    ok(await client.post(f"{API}/metric-observations", json={"items": more}, headers=key))
    with count_statements(runtime) as large:
        body = ok(await client.get(url, headers=world.sales_head.headers))
    assert [p["period"] for p in body["periods"]] == ["2026-11", "2026-10"]
    assert body["periods"][1]["team"] is None
    assert body["periods"][0]["department"]["indicators"][0]["value"] == 70
    assert large.count == small.count


async def test_who_reads_department_performance(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    def url(department: object) -> str:
        return f"{API}/departments/{department}/performance"

    east = url(world.sales_east.id)
    body = ok(await client.get(east, headers=world.hr.headers))
    assert (body["scheme"], body["periods"]) == (None, [])
    assert ok(await client.get(url(world.sales.id), headers=world.sales_head.headers))
    assert_problem(
        await client.get(url(world.engineering.id), headers=world.sales_head.headers | ZH),
        404,
        kind="not-found",
    )
    assert_problem(
        await client.get(url(world.head_office.id), headers=world.sales_head.headers), 404
    )
    assert_problem(await client.get(east, headers=world.lead_account.headers | ZH), 403)
    other = await make_org(runtime, slug="far-away")
    assert_problem(await client.get(east, headers=other.headers), 404)
    assert_problem(
        await client.get(url("00000000-0000-0000-0000-000000000000"), headers=world.hr.headers),
        404,
    )
    assert_problem(await client.get(url("not-an-id"), headers=world.hr.headers), 422)
    reader = await api_key(client, world.hr, "ratings:read")
    assert ok(await client.get(east, headers=reader))["department"]["name"] == "Sales East"
    writer = await api_key(client, world.hr, "metrics:write")
    assert_problem(await client.get(east, headers=writer), 403)
