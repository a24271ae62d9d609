"""Runs name their template and pool, participants and progress rows their department."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import make_org
from tests.people.conftest import count_statements, world
from tests.programs.test_programs import API, Setup, _complete, _get, _post, setup

__all__ = ["setup", "world"]


def _link(row: Any) -> dict[str, str]:
    return {"id": str(row.id), "name": row.name}


async def _counted(
    client: AsyncClient, runtime: Runtime, setup: Setup, path: str
) -> tuple[list[Any], int]:
    with count_statements(runtime) as counter:
        page = await _get(client, setup.world.hr, path)
    return page["items"], counter.count


async def test_runs_name_their_template_and_pool_in_fixed_statements(
    client: AsyncClient, runtime: Runtime, setup: Setup
) -> None:
    run = await setup.run(client, [])
    template = {"id": setup.template["id"], "name": "Reserve section chief"}
    pool = {"id": setup.pool["id"], "name": "Reserve chiefs"}
    assert (run["template"], run["pool"]) == (template, pool)
    one, few = await _counted(client, runtime, setup, "/programs")
    for _ in range(2):
        await setup.run(client, [])
    three, many = await _counted(client, runtime, setup, "/programs")
    assert len(one) == 1
    assert len(three) == 3
    assert all((item["template"], item["pool"]) == (template, pool) for item in three)
    assert few == many
    read = await _get(client, setup.world.sales_head, f"/programs/{run['id']}")
    assert read["template"] == template
    other = await make_org(runtime)
    outside = await client.get(f"{API}/programs/{run['id']}", headers=other.headers)
    assert outside.status_code == 404


async def test_participants_name_their_department_in_fixed_statements(
    client: AsyncClient, runtime: Runtime, setup: Setup
) -> None:
    world = setup.world
    everyone = [world.lead.id, world.member.id, world.engineer.id, world.peer.id]
    run = await setup.run(client, everyone)
    path = f"/programs/{run['id']}/participants?limit="
    one, few = await _counted(client, runtime, setup, path + "1")
    four, many = await _counted(client, runtime, setup, path + "4")
    assert len(one) == 1
    assert few == many
    assert {p["employee"]["name"]: p["department"] for p in four} == {
        "Lead": _link(world.sales),
        "Member": _link(world.sales_east),
        "Engineer": _link(world.engineering),
        "Peer": _link(world.sales),
    }


async def test_progress_names_departments_and_late_participants(
    client: AsyncClient, setup: Setup
) -> None:
    world = setup.world
    started = date.today() - timedelta(days=40)
    run = await setup.run(client, [world.lead.id, world.member.id, world.engineer.id], started)
    await _post(client, world.hr, f"/programs/{run['id']}/start")
    done = await _complete(client, world.member_account, "program.training", None)
    assert done.status_code == 200
    progress = await _get(client, world.hr, f"/programs/{run['id']}/progress")
    training = progress["stages"][0]
    assert {d["department"]["name"]: d["completed"] for d in training["departments"]} == {
        "Sales": 0,
        "Sales East": 1,
        "Engineering": 0,
    }
    assert all(d["department"]["id"] == d["department_id"] for d in training["departments"])
    assert {p["employee"]["name"]: p["department"] for p in training["late"]} == {
        "Lead": _link(world.sales),
        "Engineer": _link(world.engineering),
    }
