"""Action plans made by HR for a completed enrolment, their task (reminded on day 10, due on
day 30, completed by submitting the plan), the employee's submission, and who reads what."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.training import action_plan_repository
from tests.factories import make_employee, make_org, make_tree, make_user
from tests.people.conftest import World, count_statements, world
from tests.training.action_plan_helpers import (
    PLANS,
    completed_enrolment,
    course_on_competencies,
    junior_plan,
    make_plan,
    outside_manager,
    submit,
)
from tests.training.factory import make_course, make_enrolment

__all__ = ["world"]
SHANGHAI = ZoneInfo("Asia/Shanghai")


async def test_hr_makes_the_plan_with_its_task_due_on_day_30(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    plan = await junior_plan(client, runtime, world)
    assert plan["status"] == "open"
    assert plan["employee"] == {"id": str(world.junior.id), "name": "Junior"}
    assert plan["course"]["name"] == "Negotiation"
    assert plan["due_on"] == "2026-12-31"
    assert (plan["score"], plan["adopted"], plan["hr_scored_by_user"]) == (None, False, None)
    task = await client.get(
        f"/api/v1/tasks/{plan['task_id']}", headers=world.junior_account.headers
    )
    assert task.status_code == 200, task.text
    body = task.json()
    assert body["kind"] == "training.action_plan"
    assert body["status"] == "open"
    assert body["completed_by"]["path"] == f"/api/v1/action-plans/{plan['id']}/submit"
    assert body["policy"]["reminder"]["before_due_days"] == [20]
    due_at = datetime.fromisoformat(body["due_at"])
    assert due_at.astimezone(SHANGHAI).date() == date(2026, 12, 31)


async def test_making_a_plan_refuses_bad_input(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    course = await course_on_competencies(runtime, world, "Negotiation")
    enrolment = await completed_enrolment(runtime, org_id, course, world.junior.id)
    refused = await client.post(
        PLANS, json={"enrolment_id": str(enrolment.id)}, headers=world.member_account.headers
    )
    assert refused.status_code == 403, refused.text
    unknown = await client.post(
        PLANS, json={"enrolment_id": str(uuid.uuid4())}, headers=world.hr.headers
    )
    assert unknown.status_code == 422, unknown.text
    assert unknown.json()["errors"][0]["field"] == "enrolment_id"
    await make_plan(client, world.hr, enrolment)
    twice = await make_plan(client, world.hr, enrolment, status=409)
    assert twice["detail"] == "The enrolment has its action plan already"
    running = await make_enrolment(runtime, org_id, course, world.member.id)
    early = await make_plan(client, world.hr, running, status=409)
    assert "not completed" in early["detail"]
    listed = await client.get(PLANS, headers=world.hr.headers)
    assert len(listed.json()["items"]) == 1


async def test_another_organizations_enrolment_is_unknown(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    other = await make_org(runtime)
    tree = await make_tree(runtime, other.org_id)
    stranger = await make_employee(runtime, other.org_id, tree.sales, "Stranger")
    course = await make_course(runtime, other.org_id)
    enrolment = await completed_enrolment(runtime, other.org_id, course, stranger.id)
    answer = await client.post(
        PLANS, json={"enrolment_id": str(enrolment.id)}, headers=world.hr.headers
    )
    assert answer.status_code == 422, answer.text
    theirs = await make_plan(client, other, enrolment)
    hidden = await client.get(f"{PLANS}/{theirs['id']}", headers=world.hr.headers)
    assert hidden.status_code == 404, hidden.text
    assert hidden.json()["detail"] == "No such action plan"
    for path, body in (
        ("submit", {"content": "Mine now"}),
        ("score", {"side": "hr", "score": 50}),
        ("adopt", {"note": "Ours now"}),
    ):
        answer = await client.post(
            f"{PLANS}/{theirs['id']}/{path}", json=body, headers=world.hr.headers
        )
        assert answer.status_code == 404, (path, answer.text)
    assert (await client.get(PLANS, headers=world.hr.headers)).json()["items"] == []


async def test_the_employee_submits_and_the_task_is_done(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    plan = await junior_plan(client, runtime, world)
    task_path = f"/api/v1/tasks/{plan['task_id']}"
    direct = await client.post(
        task_path + "/complete", json={}, headers=world.junior_account.headers
    )
    assert direct.status_code == 422, direct.text
    blank = await submit(client, world.junior_account, plan["id"], "   ")
    assert blank.status_code == 422, blank.text
    by_manager = await submit(client, world.member_account, plan["id"])
    assert by_manager.status_code == 403, by_manager.text
    outsider = await outside_manager(runtime, world)
    hidden = await submit(client, outsider, plan["id"])
    assert hidden.status_code == 404, hidden.text
    done = await submit(client, world.junior_account, plan["id"])
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["content"]) == ("submitted", "Use BATNA weekly")
    assert done.json()["submitted_at"] is not None
    task = (await client.get(task_path, headers=world.junior_account.headers)).json()
    assert task["status"] == "completed"
    again = await submit(client, world.junior_account, plan["id"])
    assert again.status_code == 409, again.text
    assert again.json()["detail"] == "The action plan is submitted already"


async def test_each_reader_sees_their_reach(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    course = await course_on_competencies(runtime, world, "Negotiation")
    other_course = await make_course(runtime, org_id, name="Excel")
    plans = {
        name: await make_plan(
            client, world.hr, await completed_enrolment(runtime, org_id, chosen, employee.id)
        )
        for name, employee, chosen in (
            ("junior", world.junior, course),
            ("member", world.member, course),
            ("engineer", world.engineer, other_course),
        )
    }

    async def listed(headers: dict[str, str], **params: str) -> set[str]:
        answer = await client.get(PLANS, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        return {item["id"] for item in answer.json()["items"]}

    ids = {name: plan["id"] for name, plan in plans.items()}
    assert await listed(world.hr.headers) == set(ids.values())
    assert await listed(world.junior_account.headers) == {ids["junior"]}
    assert await listed(world.member_account.headers) == {ids["junior"], ids["member"]}
    assert await listed(world.sales_head.headers) == {ids["junior"], ids["member"]}
    assert await listed(world.hr.headers, course_id=str(other_course.id)) == {ids["engineer"]}
    assert await listed(world.hr.headers, employee_id=str(world.member.id)) == {ids["member"]}
    assert await listed(world.hr.headers, status="submitted") == set()
    assert await listed(world.hr.headers, adopted="false") == set(ids.values())
    assert await listed(world.hr.headers, adopted="true") == set()
    hidden = await client.get(f"{PLANS}/{ids['engineer']}", headers=world.member_account.headers)
    assert hidden.status_code == 404, hidden.text
    seen = await client.get(f"{PLANS}/{ids['junior']}", headers=world.sales_head.headers)
    assert seen.status_code == 200, seen.text
    first = await client.get(PLANS, params={"limit": 2}, headers=world.hr.headers)
    rest = await client.get(
        PLANS, params={"limit": 2, "cursor": first.json()["next_cursor"]}, headers=world.hr.headers
    )
    paged = [item["id"] for item in first.json()["items"] + rest.json()["items"]]
    assert sorted(paged) == sorted(ids.values())
    assert rest.json()["next_cursor"] is None
    forged = await client.get(PLANS, params={"cursor": "bm9wZQ"}, headers=world.hr.headers)
    assert forged.status_code == 400, forged.text


async def test_a_page_costs_the_same_statements_whatever_its_size(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    course = await course_on_competencies(runtime, world, "Negotiation")
    one = await make_plan(
        client, world.hr, await completed_enrolment(runtime, org_id, course, world.junior.id)
    )
    await submit(client, world.junior_account, one["id"])
    scored = await client.post(
        f"{PLANS}/{one['id']}/score", json={"side": "hr", "score": 80}, headers=world.hr.headers
    )
    assert scored.status_code == 200, scored.text

    async def page_statements(account_headers: dict[str, str]) -> int:
        with count_statements(runtime) as counter:
            answer = await client.get(PLANS, headers=account_headers)
        assert answer.status_code == 200, answer.text
        plans = [s for s in counter.statements if "training_action_plans" in s]
        assert plans == [action_plan_repository.PLANS], "one statement reads the page"
        return counter.count

    small = {
        "hr": await page_statements(world.hr.headers),
        "manager": await page_statements(world.member_account.headers),
    }
    for employee in (world.member, world.lead, world.peer, world.engineer):
        await make_plan(
            client, world.hr, await completed_enrolment(runtime, org_id, course, employee.id)
        )
    page = await client.get(PLANS, headers=world.hr.headers)
    assert len(page.json()["items"]) == 5
    assert await page_statements(world.hr.headers) == small["hr"]
    assert await page_statements(world.member_account.headers) == small["manager"]
    assert small["hr"] < small["manager"], "HR's reach costs nothing"
    user = await make_user(runtime, org_id, employee_id=world.junior.id)
    assert await page_statements(user.headers) == small["manager"]
