"""Goals' life: the status changes allowed (draft → active → done or cancelled, reopening with
a reason), key results frozen on a done or cancelled goal, deleting only a draft without
check-ins or aligned goals, and the flat `GET /goals` list with its filters and reach."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient, Response

from hrcore.core.runtime import Runtime
from hrcore.performance import goals_repository
from tests.factories import Account, make_org
from tests.people.conftest import count_statements
from tests.performance.conftest import API, ZH, World, api_key, ok
from tests.performance.goals_helpers import GOALS, add_key_result, check_in, key_result, post_goal
from tests.problems import assert_problem


async def _patch(
    client: AsyncClient, who: Account, goal: dict[str, Any], **change: Any
) -> Response:
    current = ok(await client.get(f"{GOALS}/{goal['id']}", headers=who.headers))
    body = change | {"version": current["version"]}
    return await client.patch(f"{GOALS}/{goal['id']}", json=body, headers=who.headers | ZH)


@pytest.mark.commits
async def test_status_changes_follow_the_goal_s_life(client: AsyncClient, world: World) -> None:
    me = world.member_account
    created = await client.post(
        GOALS,
        json={"title": "Done already", "period": "2026-12", "status": "done"},
        headers=world.hr.headers,
    )
    assert_problem(created, 422, fields={"body.status"})
    goal = await post_goal(
        client, me, "Calls", "2026-12", employee_id=world.member.id, status="draft"
    )
    assert goal["status"] == "draft"
    early = assert_problem(await _patch(client, me, goal, status="done"), 409, kind="conflict")
    assert "草稿" in early["detail"], "the statuses are named in the reader's language"
    english = await client.patch(
        f"{GOALS}/{goal['id']}", json={"status": "done"}, headers=me.headers
    )
    assert "draft cannot become done" in assert_problem(english, 409)["detail"]
    goal = ok(await _patch(client, me, goal, status="active"))
    assert_problem(await _patch(client, me, goal, status="draft"), 409)
    assert_problem(
        await _patch(client, me, goal, title="Same status", reason="why"), 422, fields={"reason"}
    )
    goal = await add_key_result(client, me, goal, key_result("Calls", 0, 10))
    calls = goal["key_results"][0]["id"]
    await check_in(client, me, goal, calls, 4)
    goal = ok(await _patch(client, me, goal, status="done"))

    url = f"{GOALS}/{goal['id']}/key-results"
    frozen = await client.post(
        f"{url}/{calls}/check-ins", json={"value": 9}, headers=me.headers | ZH
    )
    assert "冻结" in assert_problem(frozen, 409)["detail"]
    assert_problem(await client.post(url, json=key_result("More", 0, 1), headers=me.headers), 409)
    assert_problem(
        await client.patch(f"{url}/{calls}", json={"target": 20}, headers=me.headers), 409
    )
    shown = ok(await client.get(url, headers=me.headers))
    assert [c["value"] for c in shown[0]["check_ins"]] == [4], "nothing was written"

    reopened = assert_problem(await _patch(client, me, goal, status="active"), 422)
    assert reopened["errors"][0]["field"] == "reason"
    assert "原因" in reopened["detail"]
    goal = ok(await _patch(client, me, goal, status="active", reason="  Two more calls booked "))
    goal = await check_in(client, me, goal, calls, 10)
    assert goal["progress"] == 100
    goal = ok(await _patch(client, me, goal, status="cancelled"))
    assert_problem(await _patch(client, me, goal, status="done"), 409)
    assert ok(await _patch(client, me, goal, status="active", reason="Back on"))["status"] == (
        "active"
    )

    audited = ok(
        await client.get(
            f"{API}/audit-events",
            params={"object_type": "goal", "object_id": goal["id"]},
            headers=world.hr.headers,
        )
    )["items"]
    changes = [(e["before"], e["after"]) for e in audited if e["action"] == "goal.updated"]
    assert changes[::-1] == [
        ({"status": "draft"}, {"status": "active"}),
        ({"status": "active"}, {"status": "done"}),
        ({"status": "done"}, {"status": "active", "reason": "Two more calls booked"}),
        ({"status": "active"}, {"status": "cancelled"}),
        ({"status": "cancelled"}, {"status": "active", "reason": "Back on"}),
    ]


@pytest.mark.commits
async def test_only_a_draft_without_check_ins_or_aligned_goals_is_deleted(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    hr, me = world.hr, world.member_account
    company = await post_goal(client, hr, "Grow", "2026-Q4", status="draft")
    mine = await post_goal(
        client, me, "Mine", "2026-12", employee_id=world.member.id, parent_id=company["id"]
    )
    parent = assert_problem(
        await client.delete(f"{GOALS}/{company['id']}", headers=hr.headers | ZH), 409
    )
    assert "（1 个）" in parent["detail"]

    assert_problem(await client.delete(f"{GOALS}/{mine['id']}", headers=me.headers), 409)
    sketch = await post_goal(
        client, me, "Sketch", "2026-12", employee_id=world.member.id, status="draft"
    )
    sketch = await add_key_result(client, me, sketch, key_result("Calls", 0, 10))
    checked = await post_goal(
        client, me, "Checked", "2026-12", employee_id=world.member.id, status="draft"
    )
    checked = await add_key_result(client, me, checked, key_result("Calls", 0, 10))
    await check_in(client, me, checked, checked["key_results"][0]["id"], 2)
    refused = await client.delete(f"{GOALS}/{checked['id']}", headers=me.headers)
    assert "cancel this one instead" in assert_problem(refused, 409)["detail"]

    other = await make_org(runtime, slug="elsewhere")
    assert_problem(await client.delete(f"{GOALS}/{sketch['id']}", headers=other.headers), 404)
    assert_problem(
        await client.delete(f"{GOALS}/{sketch['id']}", headers=world.junior_account.headers), 404
    )
    key = await api_key(client, hr, "metrics:write")
    assert_problem(await client.delete(f"{GOALS}/{sketch['id']}", headers=key), 403)
    stale = await client.delete(
        f"{GOALS}/{sketch['id']}", headers=me.headers | {"If-Match": '"99"'}
    )
    assert_problem(stale, 412)

    gone = await client.delete(f"{GOALS}/{sketch['id']}", headers=me.headers)
    assert gone.status_code == 204, gone.text
    assert_problem(await client.get(f"{GOALS}/{sketch['id']}", headers=me.headers), 404)
    assert_problem(await client.delete(f"{GOALS}/{sketch['id']}", headers=me.headers), 404)
    [event] = ok(
        await client.get(
            f"{API}/audit-events",
            params={"action": "goal.deleted", "object_id": sketch["id"]},
            headers=hr.headers,
        )
    )["items"]
    assert event["before"]["title"] == "Sketch"
    assert event["before"]["key_results"] == ["Calls"]
    assert event["after"] is None


@pytest.mark.commits
async def test_the_flat_list_filters_what_the_caller_reads(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    hr, me = world.hr, world.member_account
    company = await post_goal(client, hr, "Grow", "2026-Q4")
    sales = await post_goal(
        client, hr, "Sell", "2026-Q4", department_id=world.sales.id, parent_id=company["id"]
    )
    await post_goal(client, hr, "Build", "2026-Q4", department_id=world.engineering.id)
    mine = await post_goal(
        client, me, "Mine", "2026-12", employee_id=world.member.id, parent_id=sales["id"]
    )
    mine = await add_key_result(client, me, mine, key_result("Calls", 0, 10))
    await check_in(client, me, mine, mine["key_results"][0]["id"], 5)
    await post_goal(client, hr, "Peer's", "2026-12", employee_id=world.peer.id, status="draft")

    def titles(page: dict[str, Any]) -> list[str]:
        return [g["title"] for g in page["items"]]

    with count_statements(runtime) as counter:
        everything = ok(await client.get(GOALS, headers=hr.headers))
    assert counter.statements[2:] == [goals_repository.LISTED], "one statement after auth"
    assert titles(everything) == ["Peer's", "Mine", "Build", "Sell", "Grow"], "newest first"
    assert everything["items"][1]["progress"] == 50
    assert titles(ok(await client.get(GOALS, headers=me.headers))) == ["Mine", "Sell", "Grow"]
    junior = ok(await client.get(GOALS, headers=world.junior_account.headers))
    assert titles(junior) == [], "nobody's goals below or beside the junior"

    def listed(**params: Any) -> Any:
        return client.get(GOALS, params=params, headers=hr.headers)

    assert titles(ok(await listed(employee_id=str(world.member.id)))) == ["Mine"]
    assert titles(ok(await listed(department_id=str(world.sales.id)))) == ["Sell"]
    assert titles(ok(await listed(level="department"))) == ["Build", "Sell"]
    assert titles(ok(await listed(period="2026-12"))) == ["Peer's", "Mine"]
    assert titles(ok(await listed(status="draft"))) == ["Peer's"]
    first = ok(await listed(limit=2))
    assert (titles(first), first["next_cursor"] is not None) == (["Peer's", "Mine"], True)
    rest = ok(await listed(limit=2, cursor=first["next_cursor"]))
    assert titles(rest) == ["Build", "Sell"]
    assert_problem(await listed(period="2026-13"), 422, fields={"query.period"})
    assert_problem(await listed(status="finished"), 422, fields={"query.status"})
    assert_problem(await listed(cursor="nonsense"), 400)
    key = await api_key(client, hr, "ratings:read")
    assert_problem(await client.get(GOALS, headers=key), 403)
    other = await make_org(runtime, slug="elsewhere")
    assert ok(await client.get(GOALS, headers=other.headers))["items"] == []
