"""Goals and key results: the cascade organization → department → person, key results read
from the live scores (a person's) and the department observations (a department's) or
checked in by hand, progress explained, the alignment tree in a fixed number of statements
and scoped to the reader."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.performance import goals_repository
from hrcore.worker import run_burst
from tests.factories import make_user
from tests.people.conftest import count_statements
from tests.performance.conftest import API, World, api_key, observation, ok, post_scheme, scheme
from tests.performance.goals_helpers import GOALS, add_key_result, key_result, post_goal
from tests.problems import assert_problem

DECEMBER = datetime(2026, 12, 3, 9, tzinfo=UTC)
GOAL_STATEMENTS = {
    goals_repository.TREE,
    goals_repository.SCORE_FIGURES,
    goals_repository.SCHEME_INDICATORS,
    goals_repository.DEPARTMENT_OBSERVATIONS,
}


def _titles(nodes: list[dict[str, Any]]) -> list[Any]:
    """The tree as (title, progress, [children…])."""
    return [(n["title"], n["progress"], _titles(n["children"])) for n in nodes]


async def _measured_world(client: AsyncClient, world: World, runtime: Runtime) -> None:
    """December's data: the member's output 80 and response time 2 h, the sales department's
    own output observations 30 + 50; scores computed by the worker."""
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    key = await api_key(client, world.hr, "metrics:write")
    items = [
        observation(world.member.id, "output", 40, DECEMBER, "o1"),
        observation(world.member.id, "output", 40, DECEMBER, "o2"),
        observation(world.member.id, "customer_feedback", 2, DECEMBER, "c1"),
        observation(None, "output", 30, DECEMBER, "d1", department_id=str(world.sales.id)),
        observation(None, "output", 50, DECEMBER, "d2", department_id=str(world.sales.id)),
        observation(
            None,
            "output",
            99,
            datetime(2026, 11, 3, tzinfo=UTC),
            "d0",
            department_id=str(world.sales.id),
        ),
    ]
    recorded = ok(
        await client.post(f"{API}/metric-observations", json={"items": items}, headers=key)
    )
    assert recorded["recorded"] == 6
    await run_burst(runtime)


@pytest.mark.commits
async def test_a_cascade_measured_by_the_live_data_read_as_one_tree(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await _measured_world(client, world, runtime)
    company = await post_goal(client, world.hr, "Grow the customer base", "2026-Q4")
    await add_key_result(client, world.hr, company, key_result("New key accounts", 0, 10))
    sales = await post_goal(
        client,
        world.sales_head,
        "Sell more in December",
        "2026-12",
        department_id=world.sales.id,
        parent_id=company["id"],
    )
    sales = await add_key_result(
        client, world.sales_head, sales, key_result("Department output", 0, 100, indicator="output")
    )
    (output,) = sales["key_results"]
    assert (output["current"], output["progress"], output["aggregation"]) == (80, 80, "sum")
    assert output["inputs"] == [{"period": "2026-12", "value": 80, "observations": 2}]
    mine = await post_goal(
        client,
        world.member_account,
        "Serve my customers faster",
        "2026-12",
        employee_id=world.member.id,
        parent_id=sales["id"],
    )
    await add_key_result(
        client,
        world.member_account,
        mine,
        key_result("My output", 0, 100, weight=3, indicator="output"),
    )
    mine = await add_key_result(
        client,
        world.lead_account,
        mine,
        key_result("Response time", 3, 1, indicator="customer_feedback", unit="h"),
    )
    assert [(k["current"], k["progress"]) for k in mine["key_results"]] == [(80, 80), (2, 50)]
    assert mine["progress"] == 72.5  # (3·80 + 1·50) / 4
    assert mine["key_results"][1]["inputs"] == [
        {"period": "2026-12", "value": 2, "observations": 1}
    ]
    engineering = await post_goal(
        client,
        world.hr,
        "Ship the platform",
        "2026-12",
        department_id=world.engineering.id,
        parent_id=company["id"],
    )

    with count_statements(runtime) as counter:
        tree = ok(
            await client.get(
                f"{GOALS}/tree", params={"period": "2026-Q4"}, headers=world.hr.headers
            )
        )
    assert _titles(tree["goals"]) == [
        (
            "Grow the customer base",
            0,
            [
                ("Sell more in December", 80, [("Serve my customers faster", 72.5, [])]),
                ("Ship the platform", None, []),
            ],
        )
    ]
    assert counter.count == 7, counter.statements  # tenant, caller, and five for the tree
    assert [s for s in counter.statements if s in GOAL_STATEMENTS] == [
        goals_repository.TREE,
        goals_repository.SCORE_FIGURES,
        goals_repository.SCHEME_INDICATORS,
        goals_repository.DEPARTMENT_OBSERVATIONS,
    ], "one statement for the goals, one per kind of figure (and the departments' paths)"

    as_member = ok(
        await client.get(
            f"{GOALS}/tree", params={"period": "2026-12"}, headers=world.member_account.headers
        )
    )
    assert _titles(as_member["goals"]) == [
        (
            "Grow the customer base",
            0,
            [
                ("Sell more in December", 80, [("Serve my customers faster", 72.5, [])]),
            ],
        )
    ], "their own goals and the chain above"
    as_head = ok(
        await client.get(
            f"{GOALS}/tree", params={"period": "2026-Q4"}, headers=world.sales_head.headers
        )
    )
    assert _titles(as_head["goals"]) == _titles(as_member["goals"]), "not engineering's"
    as_junior = ok(
        await client.get(
            f"{GOALS}/tree", params={"period": "2026-Q4"}, headers=world.junior_account.headers
        )
    )
    assert as_junior["goals"] == []
    engineering_head = await make_user(
        runtime, world.hr.org_id, Role.DEPT_HEAD, department_scope_id=world.engineering.id
    )
    as_engineering = ok(
        await client.get(
            f"{GOALS}/tree", params={"period": "2026-12"}, headers=engineering_head.headers
        )
    )
    assert _titles(as_engineering["goals"]) == [
        ("Grow the customer base", 0, [("Ship the platform", None, [])])
    ]
    with count_statements(runtime) as counter:
        read = ok(await client.get(f"{GOALS}/{mine['id']}", headers=world.member_account.headers))
    assert (read["progress"], read["employee"]["name"]) == (72.5, "Member")
    # tenant, caller, reach (2), relations (1: mentoring's "mentor of"), goal, seen, figures
    assert counter.count == 8, counter.statements
    hidden = await client.get(f"{GOALS}/{mine['id']}", headers=engineering_head.headers)
    assert_problem(hidden, 404, kind="not-found")
    shown = ok(await client.get(f"{GOALS}/{engineering['id']}", headers=engineering_head.headers))
    assert (shown["department"]["name"], shown["parent_id"]) == ("Engineering", company["id"])
    key = await api_key(client, world.hr, "metrics:write")
    corrected = observation(None, "output", 10, DECEMBER, "d1", department_id=str(world.sales.id))
    moved = observation(
        None,
        "output",
        50,
        datetime(2026, 11, 9, tzinfo=UTC),
        "d2",
        department_id=str(world.sales.id),
    )
    ok(
        await client.post(
            f"{API}/metric-observations", json={"items": [corrected, moved]}, headers=key
        )
    )
    live = ok(await client.get(f"{GOALS}/{sales['id']}", headers=world.sales_head.headers))
    assert (live["key_results"][0]["current"], live["progress"]) == (10, 10), "read live"


@pytest.mark.commits
async def test_a_quarter_goal_combines_its_months_as_the_scheme_aggregates(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    key = await api_key(client, world.hr, "metrics:write")
    october, november = datetime(2026, 10, 5, tzinfo=UTC), datetime(2026, 11, 5, tzinfo=UTC)
    items = [
        observation(world.member.id, "output", 30, october, "o1"),
        observation(world.member.id, "output", 50, november, "o2"),
        observation(world.member.id, "quality", 90, october, "q1"),
        observation(world.member.id, "quality", 80, november, "q2"),
        observation(world.member.id, "quality", 100, november, "q3"),
        observation(world.member.id, "teamwork", 3, october, "t1"),
        observation(world.member.id, "teamwork", 5, november, "t2"),
    ]
    ok(await client.post(f"{API}/metric-observations", json={"items": items}, headers=key))
    await run_burst(runtime)
    goal = await post_goal(
        client, world.lead_account, "A strong quarter", "2026-Q4", employee_id=world.member.id
    )
    for indicator, target in (("output", 100), ("quality", 100), ("teamwork", 5)):
        goal = await add_key_result(
            client, world.lead_account, goal, key_result(indicator, 0, target, indicator=indicator)
        )
    figures = {
        k["indicator"]: (k["current"], k["aggregation"], k["inputs"]) for k in goal["key_results"]
    }
    assert figures == {
        "output": (
            80,
            "sum",
            [
                {"period": "2026-10", "value": 30, "observations": 1},
                {"period": "2026-11", "value": 50, "observations": 1},
            ],
        ),
        "quality": (
            90,
            "mean",
            [
                {"period": "2026-10", "value": 90, "observations": 1},
                {"period": "2026-11", "value": 90, "observations": 2},
            ],
        ),
        "teamwork": (
            5,
            "last",
            [
                {"period": "2026-10", "value": 3, "observations": 1},
                {"period": "2026-11", "value": 5, "observations": 1},
            ],
        ),
    }
    assert goal["progress"] == round((80 + 90 + 100) / 3, 2)
