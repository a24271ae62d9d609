"""Goal progress on the dashboards: the owner's goals of the current month and quarter with
the progress `/goals` reads, in a fixed number of statements, and an `ETag` that moves with a
check-in, a goal's edit, a linked key result's data and the turn of the month."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.performance import dashboard_queries as queries
from hrcore.performance import goals_repository
from hrcore.worker import run_burst
from tests.conftest import frozen_clock
from tests.people.conftest import count_statements
from tests.performance.conftest import API, World, api_key, observation, ok, post_scheme, scheme
from tests.performance.goals_helpers import (
    GOALS,
    add_key_result,
    check_in,
    key_result,
    post_goal,
)

DECEMBER = datetime(2026, 12, 3, 9, tzinfo=UTC)
TODAY = datetime(2026, 12, 10, 4, tzinfo=UTC)
AUTH = 2
"""Statements of authentication (tenant, user) before any route's own."""


def _shown(body: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(g["title"], g["period"], g["progress"]) for g in body["goals"]]


async def _patch(client: AsyncClient, who: Any, goal: dict[str, Any], **change: Any) -> None:
    current = ok(await client.get(f"{GOALS}/{goal['id']}", headers=who.headers))
    body = change | {"version": current["version"]}
    ok(await client.patch(f"{GOALS}/{goal['id']}", json=body, headers=who.headers))


@pytest.mark.commits
async def test_my_dashboard_shows_my_goals_of_the_current_periods(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    key = await api_key(client, world.hr, "metrics:write")
    items = [observation(world.member.id, "output", 40, DECEMBER, f"o{n}") for n in (1, 2)]
    ok(await client.post(f"{API}/metric-observations", json={"items": items}, headers=key))
    await run_burst(runtime)
    me, member = world.member_account, world.member.id
    december = await post_goal(client, me, "December", "2026-12", employee_id=member)
    linked = key_result("My output", 0, 100, weight=3, indicator="output")
    await add_key_result(client, me, december, linked)
    december = await add_key_result(client, me, december, key_result("Calls", 0, 10))
    calls = december["key_results"][1]["id"]
    await check_in(client, me, december, calls, 5)
    await post_goal(client, me, "Quarter", "2026-Q4", employee_id=member)
    await post_goal(client, me, "November", "2026-11", employee_id=member)
    dropped = await post_goal(client, me, "Dropped", "2026-12", employee_id=member)
    await _patch(client, me, dropped, status="cancelled")
    await post_goal(client, world.hr, "Junior's", "2026-12", employee_id=world.junior.id)
    url = f"{API}/me/dashboard"

    async with frozen_clock(runtime, TODAY) as clock:
        with count_statements(runtime) as counter:
            first = await client.get(url, headers=me.headers)
        body = ok(first)
        assert counter.statements[AUTH:] == [
            queries.MY_MARKS,
            queries.MY_PERIODS,
            goals_repository.OWNED,
            goals_repository.SCORE_FIGURES,
        ], "one statement for the goals, one for the linked key results' figures"
        assert _shown(body) == [("December", "2026-12", 72.5), ("Quarter", "2026-Q4", None)]
        read = ok(await client.get(f"{GOALS}/{december['id']}", headers=me.headers))
        assert body["goals"][0]["progress"] == read["progress"], "the rule of /goals"
        assert [
            (k["title"], k["current"], k["target"], k["progress"])
            for k in body["goals"][0]["key_results"]
        ] == [("My output", 80, 100, 80), ("Calls", 5, 10, 50)]

        tag = first.headers["etag"]
        with count_statements(runtime) as counter:
            polled = await client.get(url, headers=me.headers | {"If-None-Match": tag})
        assert (polled.status_code, counter.statements[AUTH:]) == (304, [queries.MY_MARKS])

        await check_in(client, me, december, calls, 8)
        checked = await client.get(url, headers=me.headers | {"If-None-Match": tag})
        assert checked.status_code == 200, "a key result's check-in moves the tag"
        assert _shown(checked.json())[0] == ("December", "2026-12", 80)  # (3·80 + 1·80) / 4

        tag = checked.headers["etag"]
        more = [observation(member, "output", 10, DECEMBER, "o3")]
        ok(await client.post(f"{API}/metric-observations", json={"items": more}, headers=key))
        await run_burst(runtime)
        measured = await client.get(url, headers=me.headers | {"If-None-Match": tag})
        assert measured.status_code == 200, "the linked indicator's data move the tag"
        assert _shown(measured.json())[0] == ("December", "2026-12", 87.5)  # (3·90 + 80) / 4

        tag = measured.headers["etag"]
        await _patch(client, me, december, title="December, renamed")
        renamed = await client.get(url, headers=me.headers | {"If-None-Match": tag})
        assert renamed.status_code == 200, "a goal's edit moves the tag"
        assert _shown(renamed.json())[0][0] == "December, renamed"

        tag = renamed.headers["etag"]
        await _patch(client, me, december, status="cancelled")
        cancelled = await client.get(url, headers=me.headers | {"If-None-Match": tag})
        assert cancelled.status_code == 200, "cancelling moves the tag"
        assert _shown(cancelled.json()) == [("Quarter", "2026-Q4", None)]

        tag = cancelled.headers["etag"]
        clock.advance(timedelta(days=30))
        january = await client.get(url, headers=me.headers | {"If-None-Match": tag})
        assert (january.status_code, january.json()["goals"]) == (200, [])


@pytest.mark.commits
async def test_department_dashboard_shows_the_departments_own_goals(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    key = await api_key(client, world.hr, "metrics:write")
    sales = str(world.sales.id)
    items = [observation(None, "output", 30, DECEMBER, "d1", department_id=sales)]
    ok(await client.post(f"{API}/metric-observations", json={"items": items}, headers=key))
    goal = await post_goal(client, world.hr, "Sell more", "2026-12", department_id=sales)
    await add_key_result(client, world.hr, goal, key_result("Output", 0, 100, indicator="output"))
    goal = await add_key_result(client, world.hr, goal, key_result("Key accounts", 0, 4))
    accounts = goal["key_results"][1]["id"]
    await check_in(client, world.sales_head, goal, accounts, 1)
    await post_goal(client, world.hr, "East's", "2026-12", department_id=world.sales_east.id)
    await post_goal(client, world.member_account, "Mine", "2026-12", employee_id=world.member.id)
    url = f"{API}/departments/{sales}/dashboard"

    async with frozen_clock(runtime, TODAY):
        with count_statements(runtime) as counter:
            first = await client.get(url, headers=world.hr.headers)
        assert _shown(ok(first)) == [("Sell more", "2026-12", 27.5)], "(30 + 25) / 2"
        assert counter.count == AUTH + 9, (
            "subtree, members, marks, trend, observations (no current period), goals, "
            "and for the linked key result: schemes, departments' paths, observations"
        )
        assert counter.statements[-5:-2] == [
            queries.DEPARTMENT_OBSERVATIONS,
            goals_repository.OWNED,
            goals_repository.SCHEME_INDICATORS,
        ]
        assert counter.statements[-1] == goals_repository.DEPARTMENT_OBSERVATIONS

        tag = first.headers["etag"]
        headers = world.sales_head.headers
        head_read = await client.get(url, headers=headers)
        assert _shown(head_read.json()) == _shown(first.json()), "the head reads the same goals"
        head_tag = head_read.headers["etag"]
        polled = await client.get(url, headers=headers | {"If-None-Match": head_tag})
        assert polled.status_code == 304
        await check_in(client, world.sales_head, goal, accounts, 2)
        checked = await client.get(url, headers=headers | {"If-None-Match": head_tag})
        assert checked.status_code == 200, "a check-in moves the tag"
        assert _shown(checked.json()) == [("Sell more", "2026-12", 40)]  # (30 + 50) / 2
        more = [observation(None, "output", 20, DECEMBER, "d2", department_id=sales)]
        ok(await client.post(f"{API}/metric-observations", json={"items": more}, headers=key))
        moved = await client.get(url, headers=world.hr.headers | {"If-None-Match": tag})
        assert moved.status_code == 200
        assert _shown(moved.json()) == [("Sell more", "2026-12", 50)]  # (50 + 50) / 2
