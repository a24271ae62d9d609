"""Promotion as a talent pool's screening rule: `training_points` (points over the last 12
months, optionally with the share of action plans scored) compiled into people's one
screening statement."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.people import screening_queries
from hrcore.training import action_plan_repository
from tests.conftest import frozen_clock
from tests.problems import assert_problem
from tests.training.incentive_helpers import make_world, plans

POOLS = "/api/v1/talent-pools"
PROMOTION = {"kind": "training_points", "min_points": 120, "min_plan_completion_percent": 80}


async def test_a_pool_screens_on_points_and_action_plans(
    client: AsyncClient, runtime: Runtime
) -> None:
    world = await make_world(runtime)
    await plans(runtime, world.org_id, world.steady, scored=4, due=5)
    created = await client.post(
        POOLS, json={"name": "Promotion", "rules": [PROMOTION]}, headers=world.hr.headers
    )
    assert created.status_code == 201, created.text
    pool = created.json()["id"]

    async def screened(at: datetime) -> dict[str, tuple[bool, Any]]:
        async with frozen_clock(runtime, at):
            response = await client.post(
                f"{POOLS}/{pool}/screen", json={"only_passing": False}, headers=world.hr.headers
            )
        assert response.status_code == 200, response.text
        return {
            c["employee"]["name"]: (c["passed"], c["criteria"][0]["value"])
            for c in response.json()["candidates"]
        }

    october = await screened(datetime(2026, 10, 1, 3, 0, tzinfo=UTC))
    assert october["Promoted"] == (True, 130), "4 of 5 plans: September's is not due yet"
    december = await screened(datetime(2026, 12, 7, 3, 0, tzinfo=UTC))
    assert december["Promoted"] == (False, 130), "September's plan is overdue: 4 of 6 scored"
    assert december["Unplanned"] == (False, 125), "125 points, but 3 of 5 plans"
    assert december["Steady"] == (False, 110), "4 of 5 plans, but 110 points"
    assert december["Head"] == (False, 0)
    next_autumn = await screened(datetime(2027, 9, 1, 3, 0, tzinfo=UTC))
    assert next_autumn["Promoted"] == (False, 0), "August 2026 is more than 12 months back"

    points_only = {"kind": "training_points", "min_points": 110}
    async with frozen_clock(runtime, datetime(2026, 12, 7, 3, 0, tzinfo=UTC)):
        preview = await client.post(
            f"{POOLS}/{pool}/screen", json={"rules": [points_only]}, headers=world.hr.headers
        )
    assert preview.status_code == 200, preview.text
    assert {c["employee"]["name"] for c in preview.json()["candidates"]} == {
        "Promoted",
        "Unplanned",
        "Steady",
    }
    invalid = await client.post(
        POOLS,
        json={
            "name": "Bad",
            "rules": [
                {"kind": "training_points", "min_points": 0, "min_plan_completion_percent": 120}
            ],
        },
        headers=world.hr.headers,
    )
    assert_problem(
        invalid,
        422,
        fields={
            "body.rules.0.training_points.min_points",
            "body.rules.0.training_points.min_plan_completion_percent",
        },
    )


def test_screening_and_training_agree_on_when_a_plan_is_due() -> None:
    """People's screening cannot import training (above it in the layers): it keeps its own
    copy of the days after which an action plan is due, held to training's here."""
    assert screening_queries.PLAN_DUE_DAYS == action_plan_repository.DUE_DAYS
