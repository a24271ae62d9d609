"""Review cycles name their form, results their cycle and HR's adjustments who made them,
beside the ids, in a fixed number of statements."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.factories import make_org, make_user
from tests.people.conftest import World, count_statements, world
from tests.reviews.conftest import API, FORM, Setup, post_ok
from tests.reviews.test_key_scopes import _closed_cycle

__all__ = ["world"]


async def _cycle(client: AsyncClient, world: World, template: dict[str, Any], name: str) -> Any:
    body = {
        "name": name,
        "kind": "year_end",
        "template_id": template["id"],
        "starts_on": "2026-12-01",
        "due_on": "2026-12-20",
    }
    return await post_ok(client, world.hr, "/review-cycles", body)


async def test_cycles_link_their_template_in_fixed_statements(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    annual = await post_ok(client, world.hr, "/review-templates", FORM)
    created = await _cycle(client, world, annual, "2026 year-end")
    assert (created["template_id"], created["template"]) == (
        annual["id"],
        {"id": annual["id"], "name": "Annual review"},
    )
    with count_statements(runtime) as few:
        listed = (await client.get(f"{API}/review-cycles", headers=world.hr.headers)).json()
    assert len(listed["items"]) == 1
    mid_year = await post_ok(client, world.hr, "/review-templates", FORM | {"name": "Mid-year"})
    for name, template in (("2027 mid-year", mid_year), ("2027 year-end", annual)):
        await _cycle(client, world, template, name)
    with count_statements(runtime) as many:
        listed = (await client.get(f"{API}/review-cycles", headers=world.hr.headers)).json()
    assert many.count == few.count
    assert {c["name"]: c["template"]["name"] for c in listed["items"]} == {
        "2026 year-end": "Annual review",
        "2027 mid-year": "Mid-year",
        "2027 year-end": "Annual review",
    }
    one = await client.get(f"{API}/review-cycles/{created['id']}", headers=world.hr.headers)
    assert one.json()["template"] == created["template"]
    other = await make_org(runtime)
    assert (await client.get(f"{API}/review-cycles", headers=other.headers)).json()["items"] == []


@pytest.mark.commits
async def test_results_link_their_cycle_and_who_adjusted_them_in_fixed_statements(
    client: AsyncClient, runtime: Runtime, setup: Setup
) -> None:
    world, cycle = setup.world, setup.cycle
    lead = await _closed_cycle(client, setup, runtime)
    url = f"{API}/review-cycles/{cycle['id']}/results"
    with count_statements(runtime) as few:
        listed = (await client.get(url, headers=world.hr.headers)).json()
    by_name = {r["employee"]["name"]: r for r in listed["items"]}
    assert {r["cycle"]["name"] for r in listed["items"]} == {"2026 year-end"}
    [calibration] = by_name["Lead"]["adjustments"]
    assert calibration["by_user"]["id"] == str(world.hr.user_id)
    second_hr = await make_user(runtime, world.hr.org_id, Role.HR_ADMIN)
    await post_ok(
        client,
        second_hr,
        f"/review-results/{by_name['Member']['id']}/calibrate",
        {"overall": 70, "reason": "Committee: steady"},
    )
    with count_statements(runtime) as many:
        listed = (await client.get(url, headers=world.hr.headers)).json()
    assert many.count == few.count
    adjusted = {
        r["employee"]["name"]: [a["by_user"]["id"] for a in r["adjustments"]]
        for r in listed["items"]
    }
    assert adjusted == {"Lead": [str(world.hr.user_id)], "Member": [str(second_hr.user_id)]}
    head = await client.get(f"{API}/review-results/{lead['id']}", headers=world.sales_head.headers)
    assert (head.json()["cycle"], head.json()["adjustments"]) == (lead["cycle"], [])
