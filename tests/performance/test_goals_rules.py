"""Goals' rules: check-ins kept as history with progress clamped to 0–100, audited and
published; who may set and edit which goals (403 read but not writable, 404 unread); the
cascade's refusals (another organization, a cycle, a department outside the chain, another
period, a person's goal as parent); key results out of range or linked to an unknown
indicator."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.factories import make_org
from tests.performance.conftest import API, ZH, World, api_key, ok, post_scheme, scheme
from tests.performance.goals_helpers import GOALS, add_key_result, check_in, key_result, post_goal
from tests.problems import assert_problem
from tests.webhooks.conftest import Configure, Receiver, configure, receiver
from tests.webhooks.talent_loop import delivered

__all__ = ["configure", "receiver"]


@pytest.mark.commits
async def test_check_ins_are_history_clamped_audited_and_published(
    client: AsyncClient, world: World, runtime: Runtime, configure: Configure, receiver: Receiver
) -> None:
    subscribed = await client.post(
        f"{API}/webhooks",
        json={"url": receiver.url, "event_types": ["goal.progress_updated"]},
        headers=world.hr.headers,
    )
    receiver.secret = ok(subscribed, 201)["secret"]
    goal = await post_goal(
        client, world.member_account, "Learn the product", "2026-Q4", employee_id=world.member.id
    )
    goal = await add_key_result(client, world.member_account, goal, key_result("Demos", 0, 10))
    await add_key_result(client, world.member_account, goal, key_result("Slow", 5, 1, weight=3))
    (demos, _) = (
        await client.get(f"{GOALS}/{goal['id']}/key-results", headers=world.member_account.headers)
    ).json()
    assert (demos["current"], demos["progress"], demos["check_ins"]) == (None, 0, [])

    first = await check_in(client, world.member_account, goal, demos["id"], 4, "four demos")
    assert (first["key_results"][0]["progress"], first["progress"]) == (40, 10)
    beyond = await check_in(client, world.lead_account, goal, demos["id"], 12, "a great month")
    assert (beyond["key_results"][0]["current"], beyond["key_results"][0]["progress"]) == (12, 100)
    behind = await check_in(client, world.member_account, goal, demos["id"], -3)
    assert (behind["key_results"][0]["progress"], behind["progress"]) == (0, 0)
    history = ok(
        await client.get(f"{GOALS}/{goal['id']}/key-results", headers=world.lead_account.headers)
    )
    assert [(c["value"], c["note"]) for c in history[0]["check_ins"]] == [
        (-3, ""),
        (12, "a great month"),
        (4, "four demos"),
    ]
    await run_burst(runtime)
    events = delivered(receiver)
    assert sorted((k, d["progress"], d["key_result_progress"]) for k, d in events) == [
        ("goal.progress_updated", 0, 0),
        ("goal.progress_updated", 10, 40),
        ("goal.progress_updated", 25, 100),
    ]
    assert {data["goal_id"] for _, data in events} == {goal["id"]}
    audited = ok(
        await client.get(
            f"{API}/audit-events",
            params={"object_type": "goal_key_result"},
            headers=world.hr.headers,
        )
    )["items"]
    assert (
        sorted(e["action"] for e in audited)
        == ["goal_key_result.checked_in"] * 3 + ["goal_key_result.created"] * 2
    )


async def test_who_sets_and_edits_which_goals(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    company = await post_goal(client, world.hr, "Grow", "2026-Q4")
    sales = await post_goal(
        client,
        world.sales_head,
        "Sell",
        "2026-Q4",
        department_id=world.sales.id,
        parent_id=company["id"],
    )
    engineering = await post_goal(
        client, world.hr, "Build", "2026-Q4", department_id=world.engineering.id
    )
    mine = await post_goal(
        client,
        world.member_account,
        "Mine",
        "2026-12",
        employee_id=world.member.id,
        parent_id=sales["id"],
    )
    peers = await post_goal(client, world.hr, "Peer's", "2026-12", employee_id=world.peer.id)

    def edit(goal: dict[str, Any], who: Any) -> Any:
        return client.patch(
            f"{GOALS}/{goal['id']}", json={"title": "Changed"}, headers=who.headers | ZH
        )

    refused = assert_problem(await edit(sales, world.member_account), 403, kind="forbidden")
    assert "部门负责人" in refused["detail"], "read through the alignment, not theirs to change"
    assert_problem(await edit(company, world.member_account), 403, kind="forbidden")
    assert_problem(await edit(peers, world.member_account), 404, kind="not-found")
    assert_problem(await edit(mine, world.junior_account), 404, kind="not-found")
    assert_problem(await edit(engineering, world.sales_head), 404, kind="not-found")
    assert ok(await edit(mine, world.lead_account))["title"] == "Changed", "their manager"
    assert ok(await edit(sales, world.sales_head))["version"] == 2

    def create(who: Any, **owner: Any) -> Any:
        body = {"title": "New", "period": "2026-12"} | {k: str(v) for k, v in owner.items()}
        return client.post(GOALS, json=body, headers=who.headers)

    assert_problem(await create(world.member_account), 403, kind="forbidden")
    assert_problem(await create(world.sales_head, department_id=world.engineering.id), 403)
    assert_problem(await create(world.member_account, employee_id=world.peer.id), 404)
    assert_problem(await create(world.junior_account, employee_id=world.member.id), 404)
    assert_problem(await create(world.member_account, department_id=world.sales_east.id), 403)
    east = ok(await create(world.sales_head, department_id=world.sales_east.id), 201)
    assert east["level"] == "department"
    key = await api_key(client, world.hr, "ratings:read")
    assert_problem(
        await client.get(f"{GOALS}/tree", params={"period": "2026-12"}, headers=key), 403
    )
    other = await make_org(runtime, slug="elsewhere")
    assert_problem(await client.get(f"{GOALS}/{company['id']}", headers=other.headers), 404)
    stale = await client.patch(
        f"{GOALS}/{sales['id']}", json={"status": "done", "version": 1}, headers=world.hr.headers
    )
    assert_problem(stale, 409)
    audited = ok(
        await client.get(
            f"{API}/audit-events", params={"object_type": "goal"}, headers=world.hr.headers
        )
    )["items"]
    assert sorted(e["action"] for e in audited) == ["goal.created"] * 6 + ["goal.updated"] * 2
    changed = next(
        e for e in audited if e["action"] == "goal.updated" and e["object_id"] == mine["id"]
    )
    assert (changed["before"], changed["after"]) == ({"title": "Mine"}, {"title": "Changed"})


async def test_the_cascade_refuses_what_does_not_align(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    company = await post_goal(client, world.hr, "Grow", "2026-Q4")
    annual_part = await post_goal(client, world.hr, "Grow more", "2026-Q4", parent_id=company["id"])
    engineering = await post_goal(
        client,
        world.hr,
        "Build",
        "2026-12",
        department_id=world.engineering.id,
        parent_id=company["id"],
    )
    east = await post_goal(client, world.hr, "East", "2026-12", department_id=world.sales_east.id)
    mine = await post_goal(
        client, world.member_account, "Mine", "2026-12", employee_id=world.member.id
    )
    elsewhere = await make_org(runtime, slug="far")
    foreign = await post_goal(client, elsewhere, "Theirs", "2026-Q4")

    def align(goal: dict[str, Any], parent: dict[str, Any], who: Any = world.hr) -> Any:
        return client.patch(
            f"{GOALS}/{goal['id']}", json={"parent_id": parent["id"]}, headers=who.headers | ZH
        )

    assert_problem(await align(mine, foreign), 404, kind="not-found")
    cycle = assert_problem(await align(company, annual_part), 422, fields={"parent_id"})
    assert "循环" in cycle["errors"][0]["message"]
    assert_problem(await align(company, company), 422, fields={"parent_id"})
    assert_problem(await align(mine, engineering), 422, fields={"parent_id"})
    november = await post_goal(
        client, world.hr, "November", "2026-11", department_id=world.sales.id
    )
    assert_problem(await align(mine, november), 422, fields={"parent_id"})
    assert_problem(await align(east, mine), 422, fields={"parent_id"})
    sales = await post_goal(client, world.hr, "Sell", "2026-12", department_id=world.sales.id)
    assert_problem(await align(sales, east), 422, fields={"parent_id"})  # a department below
    assert ok(await align(mine, east, world.member_account))["parent_id"] == east["id"]
    assert ok(await align(east, sales))["parent_id"] == sales["id"]
    detached = await client.patch(
        f"{GOALS}/{mine['id']}", json={"parent_id": None}, headers=world.member_account.headers
    )
    assert ok(detached)["parent_id"] is None
    both = {
        "title": "x",
        "period": "2026-12",
        "department_id": str(world.sales.id),
        "employee_id": str(world.member.id),
    }
    assert_problem(await client.post(GOALS, json=both, headers=world.hr.headers), 422)
    for period in ("2026-13", "2026-Q5", "2026"):
        body = {"title": "x", "period": period}
        assert_problem(
            await client.post(GOALS, json=body, headers=world.hr.headers),
            422,
            fields={"body.period"},
        )


async def test_key_results_out_of_range_or_linked_to_an_unknown_indicator(
    client: AsyncClient, world: World
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    company = await post_goal(client, world.hr, "Grow", "2026-Q4")
    mine = await post_goal(
        client, world.member_account, "Mine", "2026-12", employee_id=world.member.id
    )
    url = f"{GOALS}/{mine['id']}/key-results"

    async def refused(
        body: dict[str, Any], field: str, goal: str = url, who: Any = world.member_account
    ) -> dict[str, Any]:
        response = await client.post(goal, json=body, headers=who.headers | ZH)
        return assert_problem(response, 422, fields={field})

    for weight in (0, -1, 100.5):
        await refused(key_result("x", 0, 1, weight=weight), "body.weight")
    await refused(key_result("x", 5, 5), "body")
    unknown = await refused(key_result("x", 0, 1, indicator="revenue"), "indicator")
    assert "revenue" in unknown["errors"][0]["message"]
    assert "绩效方案" in unknown["errors"][0]["message"]
    await refused(
        key_result("x", 0, 1, indicator="output"),
        "indicator",
        f"{GOALS}/{company['id']}/key-results",
        world.hr,
    )
    linked = await add_key_result(
        client, world.member_account, mine, key_result("Output", 0, 100, indicator="output")
    )
    kr = linked["key_results"][0]["id"]
    on_linked = await client.post(
        f"{url}/{kr}/check-ins", json={"value": 5}, headers=world.member_account.headers
    )
    assert_problem(on_linked, 422, fields={"value"})
    not_a_number = await client.post(
        f"{url}/{kr}/check-ins",
        content='{"value": NaN}',
        headers=world.member_account.headers | {"content-type": "application/json"},
    )
    assert_problem(not_a_number, 422)
    for index in range(19):
        await add_key_result(client, world.member_account, mine, key_result(f"k{index}", 0, 1))
    await refused(key_result("one too many", 0, 1), "title")
    full = ok(await client.get(f"{GOALS}/{mine['id']}", headers=world.member_account.headers))
    first = f"{url}/{full['key_results'][1]['id']}"
    for change, field in (({"weight": 0}, "body.weight"), ({"target": 0}, "target")):
        response = await client.patch(first, json=change, headers=world.member_account.headers)
        assert_problem(response, 422, fields={field})
    heavier = await client.patch(
        first, json={"weight": 50, "title": "Heavier"}, headers=world.lead_account.headers
    )
    assert [(k["title"], k["weight"]) for k in ok(heavier)["key_results"][1:3]] == [
        ("Heavier", 50),
        ("k1", 1),
    ]
    nulled = await client.patch(
        f"{GOALS}/{mine['id']}", json={"title": None}, headers=world.member_account.headers
    )
    assert_problem(nulled, 422)
    unknown_kr = await client.post(
        f"{url}/{company['id']}/check-ins", json={"value": 1}, headers=world.member_account.headers
    )
    assert_problem(unknown_kr, 404, kind="not-found")
