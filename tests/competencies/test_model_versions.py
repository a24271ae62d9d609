"""Deleting a version of a position's competency model: refused (409, naming the use) while a
talent pool aims at the position and the version is the current one; an unused version is
deleted, audited, and deleting the newest makes the one before it current."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.competencies.conftest import API, World, create, ok
from tests.factories import make_department, make_org, make_position, make_user
from tests.problems import assert_problem

ZH = {"Accept-Language": "zh-CN"}


async def _versions(client: AsyncClient, world: World, query: str = "", count: int = 3) -> str:
    team = await create(client, world.hr, "Team management")
    url = f"{API}/positions/{world.chief.id}/competency-model"
    for level in range(1, count + 1):
        body = {"entries": [{"competency_id": team["id"], "required_level": level, "weight": 100}]}
        ok(await client.put(f"{url}{query}", json=body, headers=world.hr.headers))
    return url


async def _pool(client: AsyncClient, world: World) -> dict[str, Any]:
    body = {"name": "Sales chief successors", "target_position_id": str(world.chief.id)}
    return dict(
        ok(await client.post(f"{API}/talent-pools", json=body, headers=world.hr.headers), 201)
    )


@pytest.mark.commits
async def test_a_pool_keeps_the_current_version_and_unused_versions_go(
    client: AsyncClient, world: World, owner_engine: AsyncEngine
) -> None:
    url = await _versions(client, world)
    pool = await _pool(client, world)

    refused = await client.delete(f"{url}?version=3", headers=world.hr.headers)
    body = assert_problem(refused, 409, kind="conflict", fields={"version"})
    assert "Version 3 of the competency model is in use" in body["detail"]
    assert (
        body["errors"][0]["message"] == "talent pools aim at the position: Sales chief successors"
    )
    chinese = assert_problem(
        await client.delete(f"{url}?version=3", headers=world.hr.headers | ZH), 409
    )
    assert chinese["detail"] == "能力模型第 3 版正在使用中"
    assert chinese["errors"][0]["message"] == "有人才池以该岗位为目标：Sales chief successors"
    assert ok(await client.get(url, headers=world.hr.headers))["version"] == 3

    assert (await client.delete(f"{url}?version=2", headers=world.hr.headers)).status_code == 204
    assert_problem(
        await client.get(f"{url}?version=2", headers=world.hr.headers),
        404,
        detail="No competency model for this position",
    )

    patch = {"active": False}
    ok(await client.patch(f"{API}/talent-pools/{pool['id']}", json=patch, headers=world.hr.headers))
    assert (await client.delete(f"{url}?version=3", headers=world.hr.headers)).status_code == 204
    current = ok(await client.get(url, headers=world.hr.headers))
    assert (current["version"], current["entries"][0]["required_level"]) == (1, 1)
    gone = await client.delete(f"{url}?version=3", headers=world.hr.headers | ZH)
    assert assert_problem(gone, 404)["detail"] == "能力模型没有这个版本"

    async with owner_engine.connect() as connection:
        deleted = (
            await connection.execute(
                select(AuditEvent.before).where(
                    AuditEvent.action == "competency_model.version_deleted",
                    AuditEvent.object_id == world.chief.id,
                )
            )
        ).scalars()
        assert sorted(event["version"] for event in deleted) == [2, 3]


async def test_variants_rights_and_other_organizations(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    variant = f"?department_id={world.sales.id}"
    url = await _versions(client, world, variant, count=1)
    await _pool(client, world)
    assert_problem(await client.delete(f"{url}{variant}&version=1", headers=world.hr.headers), 409)
    assert_problem(
        await client.delete(f"{url}?version=1", headers=world.hr.headers),
        404,
        detail="No such version of the competency model",
    )
    assert_problem(
        await client.delete(f"{url}{variant}&version=1", headers=world.sales_head.headers), 403
    )
    assert_problem(await client.delete(f"{url}?version=0", headers=world.hr.headers), 422)
    assert_problem(await client.delete(url, headers=world.hr.headers), 422)

    other = await make_org(runtime)
    their_department = await make_department(runtime, other.org_id, "Theirs")
    theirs = await make_position(runtime, other.org_id, their_department, "Theirs")
    assert_problem(
        await client.delete(f"{url}{variant}&version=1", headers=other.headers),
        404,
        detail="No such position",
    )
    assert_problem(
        await client.delete(
            f"{API}/positions/{theirs.id}/competency-model?version=1", headers=world.hr.headers
        ),
        404,
        detail="No such position",
    )
    assert ok(await client.get(f"{url}{variant}", headers=world.hr.headers))["version"] == 1


@pytest.mark.commits
async def test_an_open_plan_keeps_the_version_its_goals_were_drawn_from(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    url = await _versions(client, world)
    plans = f"{API}/development-plans"
    body = {"period": "2027", "title": "Chief track", "goals_from_gaps": True}
    plan = ok(await client.post(plans, json=body, headers=world.lead_account.headers), 201)
    assert plan["goals_model"] == {
        "position_id": str(world.chief.id),
        "department_id": None,
        "version": 3,
    }
    own = {"period": "2028", "title": "Own goals", "goals": plan["goals"][:1]}
    own["goals"] = [{"competency_id": g["competency_id"], "target_level": 1} for g in own["goals"]]
    other = ok(await client.post(plans, json=own, headers=world.lead_account.headers), 201)
    assert other["goals_model"] is None

    refused = await client.delete(f"{url}?version=3", headers=world.hr.headers)
    problem = assert_problem(refused, 409, kind="conflict", fields={"version"})
    assert problem["errors"][0]["message"] == (
        "open development plans drew their goals from it: Chief track (2027)"
    )
    chinese = assert_problem(
        await client.delete(f"{url}?version=3", headers=world.hr.headers | ZH), 409
    )
    assert (
        chinese["errors"][0]["message"]
        == "有进行中的个人发展计划据此版本制定目标：Chief track (2027)"
    )
    assert (await client.delete(f"{url}?version=2", headers=world.hr.headers)).status_code == 204

    # Rejected, the plan no longer goes by it.
    boss = await make_user(runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.boss.id)
    submitted = ok(
        await client.post(f"{plans}/{plan['id']}/submit", headers=world.lead_account.headers)
    )
    approval = submitted["approvals"][-1]["id"]
    ok(
        await client.post(
            f"{API}/approvals/{approval}/reject", json={"comment": "Not now"}, headers=boss.headers
        )
    )
    assert (await client.delete(f"{url}?version=3", headers=world.hr.headers)).status_code == 204
