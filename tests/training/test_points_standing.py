"""My points and the leaderboard over HTTP, from the balances: the default period is this
quarter where the organization is, categories against target weights, competition ranks
(1, 2, 2, 4) kept across pages, badges at thresholds, who reads which board, and a fixed
number of statements per page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from tests.conftest import frozen_clock
from tests.factories import make_org
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem
from tests.training.points_helpers import BOARD, MINE, NOVEMBER, SETTINGS, give

__all__ = ["world"]
NEW_YEAR = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)
"""1 January 2027, 04:00 in Shanghai: this quarter is 2027-Q1 there."""


@pytest.fixture
async def clock(runtime: Runtime) -> AsyncIterator[FrozenClock]:
    async with frozen_clock(runtime, NEW_YEAR) as frozen:
        yield frozen


async def _standings(runtime: Runtime, world: World) -> None:
    """2027-Q1: Lead 40 (teaching, attendance), Member 40 (adopted 50, late −2, an attendance
    whose course set −8), Junior 30, Peer 15; 2026-Q4: Engineer 30."""
    org_id = world.hr.org_id
    await give(runtime, org_id, world.lead.id, "teaching", NEW_YEAR)
    await give(runtime, org_id, world.lead.id, "attendance", NEW_YEAR)
    await give(runtime, org_id, world.member.id, "adopted", NEW_YEAR)
    await give(runtime, org_id, world.member.id, "late", NEW_YEAR)
    await give(runtime, org_id, world.member.id, "attendance", NEW_YEAR, points=-8)
    await give(runtime, org_id, world.junior.id, "teaching", NEW_YEAR)
    await give(runtime, org_id, world.peer.id, "article", NEW_YEAR)
    await give(runtime, org_id, world.engineer.id, "teaching", NOVEMBER)


async def _get(client: AsyncClient, url: str, headers: dict[str, str], **params: Any) -> Any:
    response = await client.get(url, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def _board(page: dict[str, Any]) -> list[tuple[int, str, int]]:
    return [(row["rank"], row["employee"]["name"], row["total"]) for row in page["items"]]


async def test_my_points_this_quarter_with_ranks_and_badges(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    await _standings(runtime, world)
    badges = [{"points": 30, "name": "Bronze"}, {"points": 60, "name": "Silver"}]
    weights = {"participation": 30, "outcome": 40, "sharing": 30}
    written = await client.put(
        SETTINGS, json={"category_weights": weights, "badges": badges}, headers=world.hr.headers
    )
    assert written.status_code == 200, written.text

    with count_statements(runtime) as counter:
        mine = await _get(client, MINE, world.member_account.headers)
    # the tests' savepoint, tenant reset and release; tenant, caller, standing, latest entries
    assert counter.count == 7
    assert (mine["period"], mine["total"]) == ("2027-Q1", 40)
    assert mine["employee"] == {"id": str(world.member.id), "name": "Member"}
    assert mine["categories"] == [
        {"category": "participation", "points": -10, "target_weight": 30, "share": -25.0},
        {"category": "outcome", "points": 50, "target_weight": 40, "share": 125.0},
        {"category": "sharing", "points": 0, "target_weight": 30, "share": 0.0},
    ]
    assert mine["organization_rank"] == {"rank": 1, "of": 4}
    assert mine["department"] == {"id": str(world.sales_east.id), "name": "Sales East"}
    assert mine["department_rank"] == {"rank": 1, "of": 2}
    assert (mine["badges"], mine["next_badge"]) == ([badges[0]], badges[1])
    assert [entry["code"] for entry in mine["latest"]] == ["attendance", "late", "adopted"]

    junior = await _get(client, MINE, world.junior_account.headers)
    assert (junior["total"], junior["organization_rank"]) == (30, {"rank": 3, "of": 4})
    assert junior["department_rank"] == {"rank": 2, "of": 2}
    lead = await _get(client, MINE, world.lead_account.headers, period="2027")
    assert (lead["total"], lead["organization_rank"]) == (40, {"rank": 1, "of": 4})
    november = await _get(client, MINE, world.lead_account.headers, period="2026-11")
    assert (november["total"], november["organization_rank"]) == (0, {"rank": None, "of": 1})
    assert november["categories"][0]["share"] is None
    assert november["latest"] == []
    assert (november["badges"], november["next_badge"]) == ([], badges[0])


async def test_my_points_needs_an_employee_and_a_period(
    client: AsyncClient, world: World, clock: FrozenClock
) -> None:
    assert_problem(await client.get(MINE, headers=world.hr.headers), 404)
    bad = await client.get(MINE, params={"period": "2027-13"}, headers=world.lead_account.headers)
    assert_problem(bad, 422, fields={"query.period"})


async def test_the_organizations_board_ranks_ties_across_pages(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    await _standings(runtime, world)
    whole = await _get(client, BOARD, world.junior_account.headers)
    # a tie goes by employee id, and Lead's was made first
    assert _board(whole) == [
        (1, "Lead", 40),
        (1, "Member", 40),
        (3, "Junior", 30),
        (4, "Peer", 15),
    ]
    first = whole["items"][0]
    assert first["department"]["name"] in {"Sales", "Sales East"}
    assert (first["participation"], first["outcome"], first["sharing"]) == (None, None, None)
    detailed = (await _get(client, BOARD, world.hr.headers))["items"]
    assert {row["employee"]["name"]: row["sharing"] for row in detailed}["Lead"] == 30

    rows: list[tuple[int, str, int]] = []
    counts = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        with count_statements(runtime) as counter:
            page = await _get(client, BOARD, world.junior_account.headers, **params)
        counts.append(counter.count)
        rows += _board(page)
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert rows == _board(whole)
    # the tests' savepoint, tenant reset and release; tenant, caller, the page
    assert counts == [6] * 4
    previous = await _get(client, BOARD, world.junior_account.headers, period="2026-Q4")
    assert _board(previous) == [(1, "Engineer", 30)]


async def test_a_department_board_for_hr_and_the_heads_above_it(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    await _standings(runtime, world)
    sales = await _get(client, BOARD, world.sales_head.headers, department_id=str(world.sales.id))
    assert sorted(_board(sales))[2:] == [(3, "Junior", 30), (4, "Peer", 15)]
    assert sales["items"][0]["participation"] is not None
    east = await _get(client, BOARD, world.hr.headers, department_id=str(world.sales_east.id))
    assert _board(east) == [(1, "Member", 40), (2, "Junior", 30)]

    outside = await client.get(
        BOARD, params={"department_id": str(world.engineering.id)}, headers=world.sales_head.headers
    )
    assert_problem(outside, 404)
    employee = await client.get(
        BOARD, params={"department_id": str(world.sales.id)}, headers=world.lead_account.headers
    )
    assert_problem(employee, 403)
    other = await make_org(runtime)
    hidden = await client.get(
        BOARD, params={"department_id": str(world.sales.id)}, headers=other.headers
    )
    assert_problem(hidden, 404)
    assert (await _get(client, BOARD, other.headers))["items"] == []
    assert_problem(await client.get(BOARD, params={"period": "Q1"}, headers=other.headers), 422)
