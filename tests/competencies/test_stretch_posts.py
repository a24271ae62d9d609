"""A stretch assignment that is a post (project lead, assistant to the chief): assigning it,
which HR admins alone do, records a temporary post with its allowance for the assignment's
window on the person's employment record; its terms stay fixed while people hold it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.competencies.conftest import API, World, create, ok
from tests.competencies.stretch_helpers import ZH, audited, make_assignment
from tests.contracts.conftest import make_contract, storage_dir
from tests.problems import assert_problem

__all__ = ["storage_dir"]

URL = f"{API}/stretch-assignments"
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the organization's day, not the machine's


async def _post(
    client: AsyncClient, world: World, team: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    """A post in sales developing team management (created unless given), two slots."""
    team = team or await create(client, world.hr, "Team management")
    terms = {
        "starts_on": (TODAY + timedelta(days=7)).isoformat(),
        "ends_on": (TODAY + timedelta(days=90)).isoformat(),
        "post_title": "Project lead",
        "allowance": "1500.00",
        "slots": 2,
    }
    return await make_assignment(client, world.hr, world.sales.id, (team, 1), **terms | fields)


async def _assign(
    client: AsyncClient, account: Any, assignment: dict[str, Any], employee: Any
) -> Any:
    return await client.post(
        f"{URL}/{assignment['id']}/assign",
        json={"employee_id": str(employee.id)},
        headers=account.headers,
    )


async def _posts(client: AsyncClient, world: World, employee: Any) -> list[tuple[Any, ...]]:
    events = ok(await client.get(f"{API}/employees/{employee.id}/events", headers=world.hr.headers))
    return [
        (
            e["id"],
            e["effective_date"],
            e["end_date"],
            e["title"],
            e["allowance"],
            e["department_id"],
        )
        for e in events["items"]
        if e["kind"] == "temporary_post"
    ]


@pytest.mark.commits
@pytest.mark.usefixtures("storage_dir")
async def test_assigning_a_post_records_the_temporary_post(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    contract = await make_contract(client, world.hr, world.member.id)
    post = await _post(client, world)
    assert (post["post_title"], post["allowance"]) == ("Project lead", "1500.00")

    # The member's manager and the department head edit the assignment but do not change
    # employment records: 403, in the reader's language, and nothing is written.
    for account in (world.lead_account, world.sales_head):
        refused = await _assign(client, account, post, world.member)
        assert_problem(refused, 403, detail="Only an HR admin puts someone on a post")
    chinese = await client.post(
        f"{URL}/{post['id']}/assign",
        json={"employee_id": str(world.member.id)},
        headers=world.lead_account.headers | ZH,
    )
    assert (
        assert_problem(chinese, 403)["detail"]
        == "只有 HR 管理员可以安排人员担任该职务：这会变更其任职记录"
    )
    assert await _posts(client, world, world.member) == []

    assignee = ok(await _assign(client, world.hr, post, world.member), 201)
    [(event_id, *recorded)] = await _posts(client, world, world.member)
    assert assignee["employment_event_id"] == event_id
    assert recorded == [
        post["starts_on"],
        post["ends_on"],
        "Project lead",
        "1500.00",
        str(world.sales.id),
    ]
    read = ok(await client.get(f"{URL}/{post['id']}", headers=world.lead_account.headers))
    assert [a["employment_event_id"] for a in read["assignees"]] == [event_id]
    events = await audited(client, world.hr, post["id"])
    assert events[-1]["after"]["employment_event_id"] == event_id
    # The contracts domain drafts the amendment from the event in the worker.
    await run_burst(runtime)
    amendments = ok(
        await client.get(f"{API}/contracts/{contract['id']}/amendments", headers=world.hr.headers)
    )["items"]
    assert [(a["source"], a["event_id"]) for a in amendments] == [("event", event_id)]
    assert (amendments[0]["current"]["effective_date"], amendments[0]["current"]["end_date"]) == (
        post["starts_on"],
        post["ends_on"],
    )

    # Its terms are what the temporary post was recorded with.
    for change in ({"allowance": "2000.00"}, {"post_title": None}, {"ends_on": post["starts_on"]}):
        response = await client.patch(f"{URL}/{post['id']}", json=change, headers=world.hr.headers)
        assert_problem(response, 409, detail="People are on this assignment")
    zh = await client.patch(
        f"{URL}/{post['id']}", json={"allowance": "1.00"}, headers=world.hr.headers | ZH
    )
    assert "临时任职" in assert_problem(zh, 409)["detail"]
    renamed = await client.patch(
        f"{URL}/{post['id']}", json={"title": "Lead the east launch"}, headers=world.hr.headers
    )
    assert (ok(renamed)["title"], ok(renamed)["allowance"]) == ("Lead the east launch", "1500.00")


@pytest.mark.commits
async def test_a_running_post_starts_today_and_an_ended_one_is_taken_up_no_more(
    client: AsyncClient, world: World
) -> None:
    running = await _post(
        client,
        world,
        starts_on=(TODAY - timedelta(days=10)).isoformat(),
        ends_on=(TODAY + timedelta(days=30)).isoformat(),
        allowance=None,
    )
    ok(await _assign(client, world.hr, running, world.peer), 201)
    [(_, starts, ends, _, allowance, _)] = await _posts(client, world, world.peer)
    assert (starts, ends, allowance) == (TODAY.isoformat(), running["ends_on"], None)

    team = await create(client, world.hr, "Customer resource integration")
    ended = await _post(client, world, team, starts_on="2020-01-06", ends_on="2020-02-28")
    refused = await _assign(client, world.hr, ended, world.member)
    assert_problem(refused, 409, detail="ended on 2020-02-28")
    read = ok(await client.get(f"{URL}/{ended['id']}", headers=world.hr.headers))
    assert (read["assignees"], read["taken"]) == ([], 0)
    assert await _posts(client, world, world.member) == []


async def test_only_a_post_carries_an_allowance(client: AsyncClient, world: World) -> None:
    team = await create(client, world.hr, "Team management")
    response = await client.post(
        URL,
        json={
            "title": "Lead the launch",
            "department_id": str(world.sales.id),
            "team_size": 3,
            "starts_on": "2027-01-04",
            "ends_on": "2027-03-31",
            "competencies": [{"competency_id": team["id"], "start_level": 1}],
            "allowance": "300.00",
        },
        headers=world.hr.headers | ZH,
    )
    problem = assert_problem(response, 422, fields={"allowance"})
    assert problem["errors"][0]["message"] == "只有职务类任务才能设置津贴"
    plain = await make_assignment(client, world.hr, world.sales.id, (team, 1))
    assert (plain["post_title"], plain["allowance"]) == (None, None)
    # A manager assigns what is no post; nothing reaches the employment record.
    assignee = ok(await _assign(client, world.lead_account, plain, world.member), 201)
    assert assignee["employment_event_id"] is None
    # Made a post without anyone on it: the allowance goes with it, and clearing the post
    # clears the allowance.
    other = await make_assignment(client, world.hr, world.sales.id, (team, 1))
    url = f"{URL}/{other['id']}"
    made = ok(
        await client.patch(
            url,
            json={"post_title": "Assistant to the chief", "allowance": "800"},
            headers=world.hr.headers,
        )
    )
    assert (made["post_title"], made["allowance"]) == ("Assistant to the chief", "800.00")
    cleared = ok(await client.patch(url, json={"post_title": None}, headers=world.hr.headers))
    assert (cleared["post_title"], cleared["allowance"]) == (None, None)


@pytest.mark.commits
async def test_closing_a_post_early_ends_its_temporary_posts_today(
    client: AsyncClient, world: World
) -> None:
    """Closed before its window ends, a running post's holders' temporary posts end today,
    by an HR admin only; a post not begun yet is closed only with a reason (its temporary
    posts are withdrawn: test_post_withdrawals)."""
    team = await create(client, world.hr, "Team management")
    ahead = await _post(client, world, team, slots=1)
    ok(await _assign(client, world.hr, ahead, world.lead), 201)
    closing = {"status": "closed"}
    refused = await client.patch(f"{URL}/{ahead['id']}", json=closing, headers=world.hr.headers)
    assert_problem(refused, 422, fields={"reason"})

    running = await _post(
        client,
        world,
        team,
        starts_on=(TODAY - timedelta(days=10)).isoformat(),
        ends_on=(TODAY + timedelta(days=30)).isoformat(),
    )
    ok(await _assign(client, world.hr, running, world.member), 201)
    url = f"{URL}/{running['id']}"
    by_head = await client.patch(url, json=closing, headers=world.sales_head.headers)
    assert_problem(by_head, 403)
    [(event_id, *_held)] = await _posts(client, world, world.member)
    assert _held[1] == running["ends_on"], "nothing written by the refused close"

    closed = ok(await client.patch(url, json=closing, headers=world.hr.headers))
    assert closed["status"] == "closed"
    [(_, starts, ends, *_rest)] = await _posts(client, world, world.member)
    assert (starts, ends) == (TODAY.isoformat(), TODAY.isoformat()), "joined and ended today"
    ended = [e for e in await audited(client, world.hr, event_id) if e["action"].endswith("early")]
    assert [(e["before"], e["after"]) for e in ended] == [
        ({"end_date": running["ends_on"]}, {"end_date": TODAY.isoformat()})
    ]
