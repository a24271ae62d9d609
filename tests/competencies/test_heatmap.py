"""The department heat map 「能力热力图」: competency × people in scope, each measured as the gap
analysis measures one person; the columns' figures over everyone; who may read it; a fixed
number of statements whatever the size."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.competencies import api as competencies
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.people.models import Employee
from hrcore.worker import run_burst
from tests.competencies.conftest import API, World, create, ok
from tests.factories import make_department, make_employee, make_org, make_position
from tests.people.conftest import count_statements
from tests.problems import assert_problem

ZH = {"Accept-Language": "zh-CN"}


async def _evidence(
    runtime: Runtime, world: World, employee: Employee, competency: dict[str, Any], value: float
) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        await competencies.record_evidence(
            session,
            world.hr.org_id,
            employee_id=employee.id,
            competency_id=uuid.UUID(competency["id"]),
            value=value,
            source_kind="review",
            source_id=uuid.uuid4(),
            observed_at=datetime.now(UTC),
        )


async def _model(
    client: AsyncClient,
    world: World,
    position_id: uuid.UUID,
    *pairs: tuple[dict[str, Any], int, int],
    query: str = "",
) -> None:
    body = {
        "entries": [
            {"competency_id": c["id"], "required_level": level, "weight": weight}
            for c, level, weight in pairs
        ]
    }
    url = f"{API}/positions/{position_id}/competency-model{query}"
    ok(await client.put(url, json=body, headers=world.hr.headers))


def _url(department_id: uuid.UUID, query: str = "") -> str:
    return f"{API}/departments/{department_id}/competency-heatmap{query}"


def _columns(heatmap: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    return {
        column["competency"]["name"]: (
            column["people"],
            column["assessed"],
            column["average"],
            column["attained_percent"],
        )
        for column in heatmap["competencies"]
    }


@pytest.mark.commits
async def test_people_against_their_own_models_with_the_departments_figures(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management", levels=5)
    customers = await create(client, world.hr, "Customer resource integration", levels=4)
    await _model(client, world, world.chief.id, (team, 4, 60), (customers, 2, 40))
    await _evidence(runtime, world, world.lead, team, 6.0)
    await _evidence(runtime, world, world.lead, customers, 6.0)
    await _evidence(runtime, world, world.member, team, 9.0)
    await run_burst(runtime)

    sales = ok(await client.get(_url(world.sales.id), headers=world.hr.headers))
    assert [row["employee"]["name"] for row in sales["items"]] == ["Lead", "Peer"]
    assert (sales["people"], sales["include_subdepartments"], sales["position"]) == (2, False, None)
    lead, peer = sales["items"]
    assert (lead["position"]["name"], lead["model_version"], lead["attained"], lead["match"]) == (
        "Sales chief",
        1,
        False,
        85.0,
    )
    cells = {cell["competency_id"]: cell for cell in lead["cells"]}
    assert [
        (cell["required_level"], cell["required"], cell["current"], cell["gap"], cell["met"])
        for cell in (cells[team["id"]], cells[customers["id"]])
    ] == [(4, 8.0, 6.0, 2.0, False), (2, 5.0, 6.0, 0.0, True)]
    assert (peer["position"], peer["model_version"], peer["cells"]) == (None, None, [])
    assert _columns(sales) == {
        "Customer resource integration": (1, 1, 6.0, 100.0),
        "Team management": (1, 1, 6.0, 0.0),
    }

    # Everyone under sales against the chief's model; sales has a variant of its own.
    await _model(
        client, world, world.chief.id, (team, 2, 100), query=f"?department_id={world.sales.id}"
    )
    url = _url(world.sales.id, f"?include_subdepartments=true&position_id={world.chief.id}")
    first = ok(await client.get(f"{url}&limit=2", headers=world.hr.headers))
    assert [row["employee"]["name"] for row in first["items"]] == ["Junior", "Lead"]
    assert (first["people"], first["position"]["name"]) == (4, "Sales chief")
    second = ok(
        await client.get(f"{url}&limit=2&cursor={first['next_cursor']}", headers=world.hr.headers)
    )
    assert [row["employee"]["name"] for row in second["items"]] == ["Member", "Peer"]
    assert second["next_cursor"] is None
    assert first["competencies"] == second["competencies"]
    # Lead and Peer (in sales) need team level 2 only; Junior and Member level 4 and customers.
    assert _columns(first) == {
        "Customer resource integration": (2, 0, None, 0.0),
        "Team management": (4, 2, 7.5, 50.0),
    }
    member = second["items"][0]
    assert (member["department"]["name"], member["attained"], member["match"]) == (
        "Sales East",
        False,
        60.0,
    )


async def test_who_may_read_it(client: AsyncClient, world: World, runtime: Runtime) -> None:
    team = await create(client, world.hr, "Team management")
    await _model(client, world, world.chief.id, (team, 3, 100))
    head = ok(await client.get(_url(world.sales.id), headers=world.sales_head.headers))
    assert head["people"] == 2
    assert_problem(
        await client.get(_url(world.engineering.id), headers=world.sales_head.headers),
        404,
        detail="No such department",
    )
    # A manager sees the people of theirs in the department, not the others.
    lead = ok(
        await client.get(
            _url(world.sales.id, "?include_subdepartments=true"), headers=world.lead_account.headers
        )
    )
    assert [row["employee"]["name"] for row in lead["items"]] == ["Junior", "Lead", "Member"]
    mine = ok(await client.get(_url(world.sales_east.id), headers=world.member_account.headers))
    assert [row["employee"]["name"] for row in mine["items"]] == ["Junior", "Member"]
    for account, department in (
        (world.junior_account, world.sales_east),
        (world.lead_account, world.engineering),
    ):
        response = await client.get(_url(department.id), headers=account.headers)
        assert_problem(response, 404, detail="No such department")
        chinese = await client.get(_url(department.id), headers=account.headers | ZH)
        assert assert_problem(chinese, 404)["detail"] == "部门不存在"

    other = await make_org(runtime)
    theirs = await make_department(runtime, other.org_id, "Theirs")
    their_post = await make_position(runtime, other.org_id, theirs, "Theirs")
    assert_problem(
        await client.get(_url(theirs.id), headers=world.hr.headers),
        404,
        detail="No such department",
    )
    assert_problem(
        await client.get(_url(world.sales.id), headers=other.headers),
        404,
        detail="No such department",
    )
    foreign = await client.get(
        _url(world.sales.id, f"?position_id={their_post.id}"), headers=world.hr.headers | ZH
    )
    assert assert_problem(foreign, 404)["detail"] == "岗位不存在"
    no_model = _url(world.sales.id, f"?position_id={world.clerk.id}")
    assert_problem(
        await client.get(no_model, headers=world.hr.headers),
        404,
        detail="No competency model for this position",
    )
    chinese = await client.get(no_model, headers=world.hr.headers | ZH)
    assert assert_problem(chinese, 404)["detail"] == "该岗位尚无能力模型"
    forged = await client.get(
        _url(world.sales.id, "?cursor=bm90LWEtY3Vyc29y"), headers=world.hr.headers
    )
    assert_problem(forged, 400, fields={"query.cursor"})


@pytest.mark.commits
async def test_the_heatmap_costs_a_fixed_number_of_statements(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team = await create(client, world.hr, "Team management")
    await _model(client, world, world.chief.id, (team, 3, 100))
    await _evidence(runtime, world, world.lead, team, 5.0)
    await run_burst(runtime)
    url = _url(world.head_office.id, "?include_subdepartments=true")
    with count_statements(runtime) as small:
        assert ok(await client.get(url, headers=world.hr.headers))["people"] == 6
    with count_statements(runtime) as small_head:
        ok(await client.get(_url(world.sales.id), headers=world.sales_head.headers))

    others = [await create(client, world.hr, f"Skill {n}") for n in range(4)]
    await _model(client, world, world.chief.id, (team, 3, 20), *((c, 2, 20) for c in others))
    await _model(client, world, world.clerk.id, *((c, 2, 25) for c in others))
    for n in range(5):
        await make_employee(
            runtime, world.hr.org_id, world.sales, f"Chief {n}", position=world.chief
        )
        await make_employee(
            runtime, world.hr.org_id, world.sales_east, f"Clerk {n}", position=world.clerk
        )
    for competency in others:
        await _evidence(runtime, world, world.lead, competency, 7.0)
    await run_burst(runtime)
    with count_statements(runtime) as large:
        heatmap = ok(await client.get(url, headers=world.hr.headers))
    assert (heatmap["people"], len(heatmap["competencies"])) == (16, 5)
    with count_statements(runtime) as large_head:
        ok(await client.get(_url(world.sales.id), headers=world.sales_head.headers))
    assert (large.count, large_head.count) == (small.count, small_head.count)
