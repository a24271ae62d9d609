"""Individual development plans 「个人发展计划」 co-edited over HTTP: one open plan per
employee and period, goals checked against the library and drawn from gaps, every edit a
kept version, comments in threads, and nobody else sees any of it."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.competencies.conftest import API, World, create, ok
from tests.competencies.plans import PLANS, ZH, goal, library, new_plan, patch
from tests.factories import make_department, make_employee, make_org, make_user
from tests.people.conftest import count_statements
from tests.problems import assert_problem


@pytest.mark.commits
async def test_a_plan_drawn_from_gaps_and_co_edited_in_versions(
    client: AsyncClient, world: World
) -> None:
    team, customers = await library(client, world)
    plan = await new_plan(
        client,
        world.lead_account,
        goals=[goal(customers, 3)],
        actions=[{"kind": "course", "title": "Leading teams", "due_on": "2027-06-30"}],
        goals_from_gaps=True,
    )
    assert (plan["status"], plan["version"], plan["employee"]["name"]) == ("draft", 1, "Lead")
    assert [(g["competency"]["name"], g["target_level"]) for g in plan["goals"]] == [
        ("Customer resource integration", 3),
        ("Team management", 4),
    ]
    progress = plan["progress"]
    assert (progress["percent"], [g["current"] for g in progress["goals"]]) == (0.0, [None, None])
    assert progress["goals"][1]["required"] == 8.0
    action = plan["actions"][0]
    assert (action["status"], plan["progress"]["actions"][0]["source"]) == ("planned", "plan")

    # the manager edits: the next version, the first kept
    edited = await patch(
        client,
        world.sales_head,
        plan,
        actions=[{**action, "status": "in_progress"}],
        title="Chief in two years",
    )
    edited_plan = ok(edited)
    assert (
        edited_plan["version"],
        edited_plan["title"],
        edited.headers["ETag"].startswith('"2'),
    ) == (
        2,
        "Chief in two years",
        True,
    )
    assert edited_plan["actions"][0]["id"] == action["id"]
    assert [v["version"] for v in edited_plan["versions"]] == [1, 2]
    first = ok(
        await client.get(f"{PLANS}/{plan['id']}?version=1", headers=world.lead_account.headers)
    )
    assert (first["title"], first["shown_version"], first["version"]) == (
        "Growing into the chief's role",
        1,
        2,
    )
    assert_problem(
        await client.get(f"{PLANS}/{plan['id']}?version=7", headers=world.lead_account.headers),
        404,
        detail="no version 7",
    )
    # a stale If-Match is 412, a stale body version 409
    assert_problem(await patch(client, world.lead_account, plan, title="Mine"), 412)
    assert_problem(
        await client.patch(
            f"{PLANS}/{plan['id']}",
            json={"title": "Mine", "version": 1},
            headers=world.lead_account.headers,
        ),
        409,
    )
    # the employee edits the manager's version
    mine = ok(await patch(client, world.lead_account, edited_plan, goals=[goal(team, 5)]))
    assert (mine["version"], [g["target_level"] for g in mine["goals"]]) == (3, [5])
    editors = [world.lead_account, world.sales_head, world.lead_account]
    assert [v["edited_by"] for v in mine["versions"]] == [str(a.user_id) for a in editors]
    assert all(v["edited_by_user"]["name"] for v in mine["versions"])


@pytest.mark.commits
async def test_goals_and_actions_are_checked_field_by_field(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team, _ = await library(client, world)
    other = await make_org(runtime)
    theirs = await create(client, other, "Theirs", levels=3)
    response = await client.post(
        PLANS,
        json={
            "period": "2027",
            "title": "Plan",
            "goals": [goal(team, 6), goal(theirs, 1), goal(team, 2)],
            "actions": [
                {"kind": "program", "title": "A program"},
                {"kind": "program", "title": "Theirs", "reference_id": theirs["id"]},
                {"kind": "stretch_assignment", "title": "Lead the launch"},
            ],
        },
        headers=world.lead_account.headers,
    )
    assert_problem(
        response,
        422,
        fields={"goals.0.target_level", "goals.1.competency_id", "goals.2.competency_id"},
    )
    chinese = await client.post(
        PLANS,
        json={
            "period": "2027",
            "title": "Plan",
            "actions": [
                {"kind": "program", "title": "A program"},
                {"kind": "program", "title": "Theirs", "reference_id": theirs["id"]},
            ],
        },
        headers=world.lead_account.headers | ZH,
    )
    body = assert_problem(chinese, 422, fields={"actions.0.reference_id", "actions.1.reference_id"})
    assert "action" not in body["detail"]
    assert_problem(
        await client.post(
            PLANS,
            json={"period": "2027", "title": "Plan", "goals_from_gaps": True},
            headers=world.member_account.headers,
        ),
        422,
        fields={"goals_from_gaps"},
    )
    assert_problem(
        await client.post(
            PLANS, json={"period": "27", "title": "Plan"}, headers=world.member_account.headers
        ),
        422,
        fields={"body.period"},
    )
    # an HR account without an employee record names whose plan it is
    assert_problem(
        await client.post(
            PLANS, json={"period": "2027", "title": "Plan"}, headers=world.hr.headers
        ),
        422,
        fields={"employee_id"},
    )
    plan = await new_plan(client, world.lead_account, goals=[goal(team, 2)])
    assert_problem(
        await patch(
            client,
            world.lead_account,
            plan,
            actions=[{"id": plan["id"], "kind": "other", "title": "Unknown"}],
        ),
        422,
        fields={"actions.0.id"},
    )


@pytest.mark.commits
async def test_one_open_plan_per_employee_and_period(client: AsyncClient, world: World) -> None:
    await new_plan(client, world.member_account)
    duplicate = await client.post(
        PLANS, json={"period": "2027", "title": "Again"}, headers=world.member_account.headers | ZH
    )
    assert "2027" in assert_problem(duplicate, 409)["detail"]
    english = await client.post(
        PLANS,
        json={"period": "2027", "title": "Again", "employee_id": str(world.member.id)},
        headers=world.hr.headers,
    )
    assert_problem(english, 409, detail="open development plan for 2027")
    ok(
        await client.post(
            PLANS, json={"period": "2027-H2", "title": "Half"}, headers=world.member_account.headers
        ),
        201,
    )


@pytest.mark.commits
async def test_only_the_employee_their_managers_and_hr_reach_a_plan(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    plan = await new_plan(client, world.member_account)
    url = f"{PLANS}/{plan['id']}"
    # the manager, the manager's manager, the department head and HR read it
    for account in (world.lead_account, world.sales_head, world.hr):
        assert ok(await client.get(url, headers=account.headers))["id"] == plan["id"]
    # a report and someone in another department do not
    engineer = await make_user(
        runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.engineer.id
    )
    for account in (world.junior_account, engineer):
        assert_problem(await client.get(url, headers=account.headers), 404, kind="not-found")
        assert_problem(await patch(client, account, plan, title="Theirs"), 404)
        response = await client.post(
            f"{url}/comments", json={"body": "Hi"}, headers=account.headers | ZH
        )
        assert "development plan" not in assert_problem(response, 404)["detail"]
        assert_problem(await client.post(f"{url}/submit", headers=account.headers), 404)
    assert_problem(
        await client.post(
            PLANS,
            json={"period": "2027", "title": "For my manager", "employee_id": str(world.member.id)},
            headers=world.junior_account.headers,
        ),
        404,
    )
    listed = ok(await client.get(PLANS, headers=world.junior_account.headers))
    assert listed["items"] == []
    # another organization sees nothing of it
    other = await make_org(runtime)
    assert_problem(await client.get(url, headers=other.headers), 404)
    assert ok(await client.get(PLANS, headers=other.headers))["items"] == []
    department = await make_department(runtime, other.org_id, "Theirs")
    stranger = await make_employee(runtime, other.org_id, department, "Stranger")
    assert_problem(
        await client.post(
            PLANS,
            json={"period": "2027", "title": "Theirs", "employee_id": str(stranger.id)},
            headers=world.hr.headers,
        ),
        404,
    )


@pytest.mark.commits
async def test_threaded_comments_page_oldest_first(client: AsyncClient, world: World) -> None:
    plan = await new_plan(client, world.member_account)
    url = f"{PLANS}/{plan['id']}/comments"
    first = ok(
        await client.post(url, json={"body": "Add a mentor?"}, headers=world.lead_account.headers),
        201,
    )
    reply = ok(
        await client.post(
            url,
            json={"body": "Yes, the boss", "reply_to": first["id"]},
            headers=world.member_account.headers,
        ),
        201,
    )
    assert (reply["reply_to"], reply["author_id"]) == (
        first["id"],
        str(world.member_account.user_id),
    )
    other = await new_plan(client, world.lead_account)
    elsewhere = await client.post(
        f"{PLANS}/{other['id']}/comments",
        json={"body": "Wrong thread", "reply_to": first["id"]},
        headers=world.lead_account.headers | ZH,
    )
    assert "comment" not in assert_problem(elsewhere, 422, fields={"reply_to"})["detail"]
    page = ok(await client.get(f"{url}?limit=1", headers=world.member_account.headers))
    assert [c["body"] for c in page["items"]] == ["Add a mentor?"]
    rest = ok(
        await client.get(
            f"{url}?limit=1&cursor={page['next_cursor']}", headers=world.member_account.headers
        )
    )
    assert [(c["body"], c["reply_to"]) for c in rest["items"]] == [("Yes, the boss", first["id"])]


@pytest.mark.commits
async def test_lists_and_reads_cost_a_fixed_number_of_statements(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    team, customers = await library(client, world)
    for account in (world.member_account, world.junior_account, world.lead_account):
        plan = await new_plan(
            client,
            account,
            goals=[goal(team, 2), goal(customers, 1)],
            actions=[{"kind": "course", "title": "A course"}],
        )
        await client.post(
            f"{PLANS}/{plan['id']}/comments",
            json={"body": "Hi"},
            headers=world.lead_account.headers,
        )
    counts = []
    for limit in (1, 3):
        with count_statements(runtime) as counter:
            page = ok(
                await client.get(f"{PLANS}?limit={limit}", headers=world.lead_account.headers)
            )
        assert len(page["items"]) == limit
        counts.append(counter.count)
    assert counts == [6, 6], counts
    with count_statements(runtime) as counter:
        ok(await client.get(f"{PLANS}/{plan['id']}", headers=world.lead_account.headers))
    assert counter.count == 9, counter.statements
    with count_statements(runtime) as counter:
        ok(await client.get(f"{PLANS}/{plan['id']}/comments", headers=world.lead_account.headers))
    assert counter.count == 6, counter.statements


@pytest.mark.commits
async def test_co_editors_hear_of_edits_and_comments_without_their_text(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    """The employee's edit reaches their direct manager's inbox and the manager's comment
    the employee's, named after who did it, never with the comment's text; an edit once per
    version, comments once per author and minute; HR's edit reaches both."""
    team, _customers = await library(client, world)
    boss = await make_user(runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.boss.id)
    plan = await new_plan(client, world.lead_account, goals=[goal(team, 4)])

    async def inbox(account: Any) -> list[dict[str, Any]]:
        items = ok(await client.get(f"{API}/me/notifications", headers=account.headers))["items"]
        return [i for i in items if i["kind"].startswith("development_plan.")]

    assert await inbox(boss) == [], "creating a draft tells no one"
    edited = ok(await patch(client, world.lead_account, plan, title="Chief in two years"))
    [notice] = await inbox(boss)
    assert (notice["kind"], notice["title"]) == (
        "development_plan.edited",
        "Lead edited your development plan",
    )
    assert (notice["subject"]["name"], notice["employee"]["name"]) == ("Chief in two years", "Lead")
    assert await inbox(world.lead_account) == [], "the author hears nothing"

    secret = "You need to stop missing deadlines"
    url = f"{PLANS}/{plan['id']}/comments"
    for _ in range(2):
        ok(await client.post(url, json={"body": secret}, headers=boss.headers), 201)
    comments = ok(await client.get(url, headers=world.lead_account.headers))["items"]
    minutes = {c["created_at"][:16] for c in comments}
    heard = await inbox(world.lead_account)
    assert [n["kind"] for n in heard] == ["development_plan.commented"] * len(minutes)
    assert heard[0]["title"] == "Boss commented on your development plan"
    assert all(secret not in n["title"] + n["body"] for n in heard + await inbox(boss))

    ok(await client.put(f"{API}/me/locale", json={"locale": "zh-CN"}, headers=boss.headers))
    ok(await patch(client, world.hr, edited, title="Chief by 2028"))
    assert len(await inbox(boss)) == 2
    assert "修改了你的个人发展计划" in (await inbox(boss))[0]["title"], "in the reader's language"
    assert len(await inbox(world.lead_account)) == len(minutes) + 1
