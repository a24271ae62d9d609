"""The incentive rules as data: the seeds' values until HR replaces them, every field
validated, stale writes refused, HR admins only, and an evaluation applying what HR set."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.conftest import frozen_clock
from tests.problems import assert_problem
from tests.training.incentive_helpers import evaluate_now, make_world

URL = "/api/v1/incentive-rules"
SEEDS: dict[str, Any] = {
    "top_percent": "20",
    "top_coefficient": "0.1",
    "competition_points": 100,
    "benefits_points": 80,
    "excellent_points": 80,
    "promotion_points": 120,
    "promotion_plan_percent": 80,
    "bonus_step_points": 10,
    "bonus_step_percent": "1",
    "bonus_cap_percent": "5",
}


async def test_defaults_replacement_and_validation(client: AsyncClient, runtime: Runtime) -> None:
    world = await make_world(runtime)
    read = await client.get(URL, headers=world.hr.headers)
    assert read.status_code == 200, read.text
    assert read.json() == SEEDS | {"version": 0}
    assert_problem(await client.get(URL, headers=world.member.headers), 403)
    assert_problem(await client.put(URL, json=SEEDS, headers=world.head.headers), 403)

    invalid = SEEDS | {
        "top_percent": "0",
        "competition_points": -5,
        "promotion_plan_percent": 101,
        "top_coefficient": "0.123",
    }
    refused = await client.put(URL, json=invalid, headers=world.hr.headers)
    assert_problem(
        refused,
        422,
        fields={
            "body.top_percent",
            "body.competition_points",
            "body.promotion_plan_percent",
            "body.top_coefficient",
        },
    )
    capped = await client.put(
        URL, json=SEEDS | {"bonus_cap_percent": "0.5"}, headers=world.hr.headers
    )
    assert_problem(capped, 422, fields={"body.bonus_cap_percent"})
    unknown = await client.put(URL, json=SEEDS | {"bonus": 1}, headers=world.hr.headers)
    assert_problem(unknown, 422, fields={"body.bonus"})

    changed = await client.put(
        URL, json=SEEDS | {"competition_points": 120, "version": 0}, headers=world.hr.headers
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["competition_points"] == 120
    assert changed.json()["version"] == 1
    stale = await client.put(URL, json=SEEDS | {"version": 0}, headers=world.hr.headers)
    assert_problem(stale, 409, detail="version 1")
    tagged = await client.put(URL, json=SEEDS, headers=world.hr.headers | {"If-Match": '"7"'})
    assert_problem(tagged, 412)
    assert (await client.get(URL, headers=world.outsider.headers)).json()["version"] == 0

    async with frozen_clock(runtime, datetime(2026, 12, 7, tzinfo=UTC)):
        queued = await client.post(
            "/api/v1/incentives/evaluations", json={"period": "2026-Q3"}, headers=world.hr.headers
        )
    assert queued.status_code == 202, queued.text
    await evaluate_now(runtime, world.org_id, queued.json()["id"])
    listed = await client.get(
        "/api/v1/incentives", params={"kind": "competition_eligible"}, headers=world.hr.headers
    )
    assert {item["employee"]["name"] for item in listed.json()["items"]} == {
        "Promoted",
        "Unplanned",
    }, "HR's 120 points apply: Steady's 110 no longer qualify"
