"""Live scores: observations from a key, recomputed in the worker for the touched employees
and periods only, explained per indicator (inputs, target, formula, weight), department
overrides applied, a correction moving the score, a period frozen on its scheme revision,
and who reads them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.performance import repository
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

DECEMBER = datetime(2026, 12, 3, 9, tzinfo=UTC)
JANUARY = datetime(2027, 1, 5, 9, tzinfo=UTC)


def _month(world: World, at: datetime, prefix: str) -> list[dict[str, Any]]:
    member = world.member.id
    return [
        observation(member, "output", 40, at, f"{prefix}-o1"),
        observation(member, "output", 40, at, f"{prefix}-o2"),
        observation(member, "quality", 90, at, f"{prefix}-q1"),
        observation(member, "quality", 100, at, f"{prefix}-q2"),
        observation(member, "customer_feedback", 2, at, f"{prefix}-c1", source="helpdesk"),
        observation(member, "innovation_proposals", 1, at, f"{prefix}-i1"),
        observation(member, "teamwork", 3, at, f"{prefix}-t1"),
        observation(member, "teamwork", 4, at.replace(hour=10), f"{prefix}-t2"),
    ]


@pytest.mark.commits
async def test_a_key_s_observations_become_an_explained_live_score(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    east = {"department_id": str(world.sales_east.id), "targets": {"output": 80}}
    created = await post_scheme(
        client,
        world.hr,
        scheme(department_ids=[str(world.sales.id)], department_overrides=[east]),
    )
    key = await api_key(client, world.hr, "metrics:write")
    url = f"{API}/employees/{world.member.id}/performance"
    batch = {"items": _month(world, DECEMBER, "dec")}
    assert (
        ok(await client.post(f"{API}/metric-observations", json=batch, headers=key))["recorded"]
        == 8
    )
    assert ok(await client.get(url, headers=world.hr.headers))["periods"] == [], "worker only"

    await run_burst(runtime)
    mine = ok(await client.get(f"{API}/me/performance", headers=world.member_account.headers))
    (period,) = mine["periods"]
    assert (period["period"], period["scheme"]["name"], period["scheme_revision"]) == (
        "2026-12",
        "Sales value",
        1,
    )
    figures = {f["key"]: f for f in period["indicators"]}
    assert {key: (f["value"], f["score"]) for key, f in figures.items()} == {
        "output": (80, 100),
        "quality": (95, 100),
        "customer_feedback": (2, 50),
        "innovation_proposals": (1, 50),
        "teamwork": (4, 100),
    }
    assert period["overall"] == 82.5  # 30·100 + 25·100 + 20·50 + 15·50 + 10·100, over 100
    output = figures["output"]
    assert (output["target"], output["target_from"], output["weight"], output["weight_from"]) == (
        80,
        "department",
        30,
        "scheme",
    )
    assert (output["observations"], [i["value"] for i in output["inputs"]]) == (2, [40, 40])
    assert figures["customer_feedback"]["direction"] == "lower"
    assert figures["customer_feedback"]["formula"]["kind"] == "linear"
    junior = ok(
        await client.get(f"{API}/employees/{world.junior.id}/performance", headers=world.hr.headers)
    )
    assert junior["periods"] == [], "only the touched employees are recomputed"

    faster = observation(
        world.member.id, "customer_feedback", 1, DECEMBER, "dec-c1", source="helpdesk"
    )
    fixed = ok(
        await client.post(f"{API}/metric-observations", json={"items": [faster]}, headers=key)
    )
    assert fixed["corrected"] == 1
    revised = scheme(department_ids=[str(world.sales.id)], department_overrides=[east])
    revised["indicators"][0]["weight"], revised["indicators"][4]["weight"] = 20, 20
    ok(
        await client.patch(
            f"{API}/performance-schemes/{created['id']}", json=revised, headers=world.hr.headers
        )
    )
    january = {"items": _month(world, JANUARY, "jan")}
    ok(await client.post(f"{API}/metric-observations", json=january, headers=key))
    await run_burst(runtime)

    with count_statements(runtime) as counter:
        after = ok(await client.get(url, headers=world.lead_account.headers))
    assert [(p["period"], p["scheme_revision"], p["overall"]) for p in after["periods"]] == [
        ("2027-01", 2, 82.5),  # 20·100 + 25·100 + 20·50 + 15·50 + 20·100, over 100
        ("2026-12", 1, 92.5),  # the correction, on the revision December started on
    ]
    assert [s for s in counter.statements if "performance_scores" in s] == [repository.SCORES]


async def test_who_reads_scores(client: AsyncClient, world: World, runtime: Runtime) -> None:
    url = f"{API}/employees/{world.member.id}/performance"
    assert_problem(
        await client.get(url, headers=world.junior_account.headers | ZH), 404, kind="not-found"
    )
    other = await make_org(runtime, slug="far-away")
    assert_problem(await client.get(url, headers=other.headers), 404, kind="not-found")
    assert_problem(await client.get(f"{API}/me/performance", headers=world.hr.headers), 404)
    writer = await api_key(client, world.hr, "metrics:write")
    assert_problem(await client.get(url, headers=writer), 403)
    reader = await api_key(client, world.hr, "ratings:read")
    assert ok(await client.get(url, headers=reader))["employee"]["name"] == "Member"
    assert ok(await client.get(url, headers=world.sales_head.headers))["periods"] == []
    engineer = f"{API}/employees/{world.engineer.id}/performance"
    assert_problem(await client.get(engineer, headers=world.sales_head.headers | ZH), 404)


@pytest.mark.commits
async def test_a_correction_to_another_employee_moves_the_score(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    key = await api_key(client, world.hr, "metrics:write")
    url = f"{API}/metric-observations"
    wrong = observation(world.junior.id, "output", 50, DECEMBER, "deal-9")
    ok(await client.post(url, json={"items": [wrong]}, headers=key))
    await run_burst(runtime)

    def scores(employee: Any) -> str:
        return f"{API}/employees/{employee.id}/performance"

    first = ok(await client.get(scores(world.junior), headers=world.hr.headers))["periods"]
    assert [(p["period"], p["overall"]) for p in first] == [("2026-12", 50)]
    right = observation(world.peer.id, "output", 50, DECEMBER, "deal-9")
    assert ok(await client.post(url, json={"items": [right]}, headers=key))["corrected"] == 1
    await run_burst(runtime)
    assert ok(await client.get(scores(world.junior), headers=world.hr.headers))["periods"] == []
    moved = ok(await client.get(scores(world.peer), headers=world.hr.headers))["periods"]
    assert [(p["period"], p["overall"]) for p in moved] == [("2026-12", 50)]
