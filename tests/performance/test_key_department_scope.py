"""Integration keys limited to department subtrees: the scope is checked, shown and audited
where keys are made; observations outside it are refused per item (the batch's others land)
and the key reads back only its departments' observations."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import make_department, make_org
from tests.performance.closing_helpers import NOVEMBER, OBSERVATIONS
from tests.performance.conftest import API, ZH, World, observation, ok, post_scheme, scheme
from tests.problems import assert_problem

KEYS = f"{API}/api-keys"


async def _key(client: AsyncClient, world: World, *departments: Any) -> tuple[dict[str, Any], str]:
    body = {
        "name": "East CRM",
        "scopes": ["metrics:write"],
        "department_ids": [str(d.id) for d in departments],
    }
    created = ok(await client.post(KEYS, json=body, headers=world.hr.headers), 201)
    return created, created["key"]


@pytest.mark.commits
async def test_a_key_limited_to_departments_is_checked_shown_and_audited(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    hr = world.hr.headers
    created, _ = await _key(client, world, world.sales_east, world.engineering)
    assert created["department_ids"] == [str(world.sales_east.id), str(world.engineering.id)]
    assert [d["name"] for d in created["department_scope"]] == [
        world.sales_east.name,
        world.engineering.name,
    ]
    listed = ok(await client.get(KEYS, headers=hr))["items"]
    shown = {k["id"]: k for k in listed}[created["id"]]
    assert shown["department_scope"] == created["department_scope"]
    [event] = ok(
        await client.get(f"{API}/audit-events", params={"object_id": created["id"]}, headers=hr)
    )["items"]
    assert event["after"]["department_ids"] == created["department_ids"]

    other = await make_org(runtime, slug="elsewhere")
    foreign = str((await make_department(runtime, other.org_id, "Theirs")).id)
    refused = await client.post(
        KEYS,
        json={
            "name": "x",
            "scopes": ["metrics:write"],
            "department_ids": [str(world.sales.id), foreign],
        },
        headers=hr | ZH,
    )
    assert_problem(refused, 422, fields={"department_ids.1"})
    mixed = await client.post(
        KEYS,
        json={
            "name": "x",
            "scopes": ["metrics:write", "org:read"],
            "department_ids": [str(world.sales.id)],
        },
        headers=hr,
    )
    assert "metrics:write" in assert_problem(mixed, 422)["detail"] + mixed.text
    empty = await client.post(
        KEYS, json={"name": "x", "scopes": ["metrics:write"], "department_ids": []}, headers=hr
    )
    assert_problem(empty, 422, fields={"body.department_ids"})
    whole = ok(
        await client.post(KEYS, json={"name": "all", "scopes": ["metrics:write"]}, headers=hr),
        201,
    )
    assert (whole["department_ids"], whole["department_scope"]) == (None, None)


@pytest.mark.commits
async def test_observations_outside_the_key_s_departments_are_refused_per_item(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.head_office.id)]))
    _, secret = await _key(client, world, world.sales_east)
    key = {"Authorization": f"Bearer {secret}"}
    other = await make_org(runtime, slug="elsewhere")
    stranger = str((await make_department(runtime, other.org_id, "Theirs")).id)
    items = [
        observation(world.member.id, "output", 5, NOVEMBER, "in-east"),
        observation(world.lead.id, "output", 5, NOVEMBER, "lead-in-sales"),
        observation(
            None, "quality", 90, NOVEMBER, "east-own", department_id=str(world.sales_east.id)
        ),
        observation(None, "quality", 90, NOVEMBER, "sales-own", department_id=str(world.sales.id)),
        observation(world.engineer.id, "output", 5, NOVEMBER, "engineer"),
        observation(None, "quality", 90, NOVEMBER, "foreign", department_id=stranger),
        observation(world.junior.id, "output", 5, NOVEMBER, "junior-in-east"),
    ]
    answer = ok(await client.post(OBSERVATIONS, json={"items": items}, headers=key | ZH))
    outside = "不在此集成密钥限定的部门范围内"
    assert [(i["outcome"], i["error"]) for i in answer["items"]] == [
        ("recorded", None),
        ("refused", outside),
        ("recorded", None),
        ("refused", outside),
        ("refused", outside),
        ("refused", "部门不存在"),
        ("recorded", None),
    ]
    assert (answer["recorded"], answer["refused"]) == (3, 4)

    read = ok(await client.get(OBSERVATIONS, headers=key))["items"]
    assert sorted(o["external_id"] for o in read) == ["east-own", "in-east", "junior-in-east"]
    everything = ok(
        await client.post(OBSERVATIONS, json={"items": items}, headers=world.hr.headers)
    )
    assert (everything["recorded"], everything["unchanged"]) == (3, 3), "HR is not limited"
    read = ok(await client.get(OBSERVATIONS, headers=key))["items"]
    assert len(read) == 3, "the key still reads its departments' only"
    assert len(ok(await client.get(OBSERVATIONS, headers=world.hr.headers))["items"]) == 6
