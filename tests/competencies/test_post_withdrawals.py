"""Temporary posts called off before they begin, and amendments following their post: a
confirmed rotation leg withdrawn before its first day and a stretch post closed before it
begins withdraw their temporary posts, and contracts withdraws the amendment the employee
has not confirmed (a confirmed one stays, is marked and handed to HR); a leg ended early has
its amendment redrafted for the real end. The worker runs the contracts side for real."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.contracts import jobs as contract_jobs
from hrcore.contracts import post_changes
from hrcore.contracts.post_changes import WITHDRAWAL_TASK_KIND
from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.competencies.conftest import API, World, create, ok
from tests.competencies.stretch_helpers import audited, make_assignment
from tests.contracts.conftest import make_contract, storage_dir
from tests.factories import Account, make_org, make_user
from tests.problems import assert_problem
from tests.workflow.conftest import clock

__all__ = ["clock", "storage_dir"]

pytestmark = [pytest.mark.commits, pytest.mark.usefixtures("storage_dir")]

REASON = {"reason": "The host department's project was cancelled"}
"""The frozen clock's day is 1 March 2027 in Asia/Shanghai."""


def _leg(department: Any, host: Any, start: str, end: str, **more: Any) -> dict[str, Any]:
    return {
        "department_id": str(department.id),
        "post_title": "Assistant to the chief",
        "host_supervisor_id": str(host.id),
        "start_date": start,
        "end_date": end,
        "allowance": "800.00",
        **more,
    }


async def _confirmed_plan(client: AsyncClient, world: World) -> dict[str, Any]:
    legs = [
        _leg(world.engineering, world.engineer, "2027-03-08", "2027-05-07"),
        _leg(world.head_office, world.boss, "2027-06-01", "2027-07-30"),
    ]
    body = {"employee_id": str(world.member.id), "title": "Two posts", "legs": legs}
    plan = ok(await client.post(f"{API}/rotation-plans", json=body, headers=world.hr.headers), 201)
    return dict(
        ok(
            await client.post(
                f"{API}/rotation-plans/{plan['id']}/confirm", headers=world.hr.headers
            )
        )
    )


async def _amendments(client: AsyncClient, world: World, contract: dict[str, Any]) -> list[Any]:
    url = f"{API}/contracts/{contract['id']}/amendments"
    items = ok(await client.get(url, headers=world.hr.headers))["items"]
    return sorted(items, key=lambda a: a["id"])


async def _by_event(
    client: AsyncClient, world: World, contract: dict[str, Any], event_id: str
) -> list[Any]:
    return [a for a in await _amendments(client, world, contract) if a["event_id"] == event_id]


async def _confirm(client: AsyncClient, world: World, amendment: dict[str, Any]) -> None:
    current = amendment["current"]
    ok(
        await client.post(
            f"{API}/amendments/{amendment['id']}/confirm",
            json={"version": current["number"], "document_sha256": current["document"]["sha256"]},
            headers=world.member_account.headers,
        )
    )


async def _open_tasks(client: AsyncClient, account: Account) -> set[str]:
    items = ok(await client.get(f"{API}/me/tasks", headers=account.headers))["items"]
    return {t["id"] for t in items if t["status"] == "open"}


async def test_a_leg_not_begun_is_withdrawn_with_its_post_and_amendments(
    client: AsyncClient, world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    hr_employee = await make_user(
        runtime, world.hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id
    )
    contract = await make_contract(client, world.hr, world.member.id)
    plan = await _confirmed_plan(client, world)
    first, second = plan["legs"]
    await run_burst(runtime)
    drafted = await _by_event(client, world, contract, first["employment_event_id"])
    [confirmed] = await _by_event(client, world, contract, second["employment_event_id"])
    await _confirm(client, world, confirmed)
    [draft] = drafted
    assert draft["confirm_task_id"] in await _open_tasks(client, world.member_account)

    url = f"{API}/rotation-plans/{plan['id']}/legs/{first['id']}/withdraw"
    assert_problem(await client.post(url, json={}, headers=world.hr.headers), 422)
    assert_problem(
        await client.post(url, json={"reason": " "}, headers=world.hr.headers),
        422,
        fields={"body.reason"},
    )
    host = await make_user(runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.engineer.id)
    assert_problem(await client.post(url, json=REASON, headers=host.headers), 403)
    stranger = await make_org(runtime)
    assert_problem(await client.post(url, json=REASON, headers=stranger.headers), 404)
    unknown = f"{API}/rotation-plans/{plan['id']}/legs/{uuid.uuid4()}/withdraw"
    assert_problem(await client.post(unknown, json=REASON, headers=world.hr.headers), 404)

    withdrawn = ok(await client.post(url, json=REASON, headers=world.hr.headers))
    leg = withdrawn["legs"][0]
    assert (leg["state"], leg["withdrawal_reason"]) == ("withdrawn", REASON["reason"])
    assert withdrawn["legs"][1]["state"] == "upcoming"
    assert withdrawn["version"] == plan["version"] + 1
    task = ok(await client.get(f"{API}/tasks/{first['rating_task_id']}", headers=world.hr.headers))
    assert task["status"] == "cancelled", "nothing to rate"
    twice = await client.post(url, json=REASON, headers=world.hr.headers)
    assert_problem(twice, 409, detail="withdrawn")
    leg_url = f"{API}/rotation-plans/{plan['id']}/legs/{first['id']}"
    ended = await client.post(
        f"{leg_url}/end", json={"last_day": "2027-03-20"}, headers=world.hr.headers
    )
    assert_problem(ended, 409, detail="withdrawn")
    [event] = [
        e
        for e in ok(
            await client.get(f"{API}/employees/{world.member.id}/events", headers=world.hr.headers)
        )["items"]
        if e["id"] == first["employment_event_id"]
    ]
    assert event["withdrawal_reason"] == REASON["reason"]
    actions = [
        (e["action"], e["after"].get("reason")) for e in await audited(client, world.hr, leg["id"])
    ]
    assert ("rotation_leg.withdrawn", REASON["reason"]) in actions

    # The worker: the unconfirmed draft is withdrawn and stops asking the employee.
    await run_burst(runtime)
    [draft] = await _by_event(client, world, contract, first["employment_event_id"])
    assert (draft["status"], draft["withdrawal_reason"]) == ("withdrawn", REASON["reason"])
    assert draft["status_label"] == "Withdrawn: its temporary post was called off"
    assert draft["confirm_task_id"] is None
    assert await _open_tasks(client, world.member_account) == set()
    current = draft["current"]
    refused = await client.post(
        f"{API}/amendments/{draft['id']}/confirm",
        json={"version": current["number"], "document_sha256": current["document"]["sha256"]},
        headers=world.member_account.headers,
    )
    assert_problem(refused, 409, detail="withdrawn")
    revised = await client.post(
        f"{API}/amendments/{draft['id']}/versions",
        json={"effective_date": "2027-03-08", "allowance": "900.00"},
        headers=world.hr.headers,
    )
    assert_problem(revised, 409, detail="withdrawn")

    # A confirmed amendment stays as signed: marked, never applied, and HR settles it.
    second_url = f"{API}/rotation-plans/{plan['id']}/legs/{second['id']}/withdraw"
    ok(await client.post(second_url, json=REASON, headers=world.hr.headers))
    await run_burst(runtime)
    [kept] = await _by_event(client, world, contract, second["employment_event_id"])
    assert (kept["status"], kept["withdrawal_reason"]) == ("confirmed", REASON["reason"])
    assert kept["status_label"].startswith("Confirmed, but its temporary post was withdrawn")
    settle = ok(
        await client.get(f"{API}/tasks/{kept['withdrawal_task_id']}", headers=hr_employee.headers)
    )
    assert (settle["kind"], settle["status"]) == (WITHDRAWAL_TASK_KIND, "open")
    assert settle["subject"] == {"type": "contract_amendment", "id": kept["id"]}
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        again = await post_changes.withdraw_for_event(
            session, world.hr.org_id, uuid.UUID(second["employment_event_id"]), clock
        )
    assert again == 0, "the job again changes nothing"
    clock.advance(timedelta(days=100))  # 9 June: the leg's first day has passed
    await contract_jobs.apply_due_amendments({"runtime": runtime})
    unchanged = ok(await client.get(f"{API}/contracts/{contract['id']}", headers=world.hr.headers))
    assert unchanged["allowance"] == contract["allowance"], "the withdrawn post is not applied"


async def test_a_leg_that_has_begun_is_ended_early_not_withdrawn(
    client: AsyncClient, world: World, clock: FrozenClock
) -> None:
    plan = await _confirmed_plan(client, world)
    first = plan["legs"][0]
    clock.advance(timedelta(days=7))  # 8 March: the first leg's first day
    url = f"{API}/rotation-plans/{plan['id']}/legs/{first['id']}/withdraw"
    refused = await client.post(
        url, json=REASON, headers=world.hr.headers | {"Accept-Language": "zh-CN"}
    )
    assert assert_problem(refused, 409)["detail"] == "该轮岗段已开始：请改为提前结束"
    read = ok(await client.get(f"{API}/rotation-plans/{plan['id']}", headers=world.hr.headers))
    assert read["legs"][0]["state"] == "running", "nothing written"


async def test_an_early_end_redrafts_the_amendment_for_the_real_end(
    client: AsyncClient, world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    contract = await make_contract(client, world.hr, world.member.id)
    plan = await _confirmed_plan(client, world)
    first, second = plan["legs"]
    await run_burst(runtime)
    [draft] = await _by_event(client, world, contract, first["employment_event_id"])
    [signed] = await _by_event(client, world, contract, second["employment_event_id"])
    await _confirm(client, world, signed)
    asked = draft["confirm_task_id"]

    base = f"{API}/rotation-plans/{plan['id']}/legs"
    for leg, last_day in ((first, "2027-04-10"), (second, "2027-06-30")):
        ok(
            await client.post(
                f"{base}/{leg['id']}/end", json={"last_day": last_day}, headers=world.hr.headers
            )
        )
    await run_burst(runtime)

    # The draft gets a version saying the real end; the employee is asked about that one.
    [revised] = await _by_event(client, world, contract, first["employment_event_id"])
    assert revised["id"] == draft["id"]
    assert (revised["current"]["number"], revised["current"]["end_date"]) == (2, "2027-04-10")
    assert revised["current"]["document"]["status"] == "ready"
    assert revised["confirm_task_id"] not in (None, asked)
    task = ok(await client.get(f"{API}/tasks/{asked}", headers=world.hr.headers))
    assert task["status"] == "cancelled", "version 1 can no longer be confirmed"

    # The confirmed one stays; an early-end amendment restates the post until its real end.
    kept, restated = await _by_event(client, world, contract, second["employment_event_id"])
    assert (kept["id"], kept["status"], kept["current"]["end_date"]) == (
        signed["id"],
        "confirmed",
        "2027-07-30",
    )
    assert (restated["source"], restated["status"]) == ("early_end", "draft")
    current = restated["current"]
    assert (current["effective_date"], current["end_date"]) == ("2027-06-01", "2027-06-30")
    assert [c["after"] for c in current["changes"] if c["field"] == "post_title"] == [
        "Assistant to the chief"
    ]
    assert restated["confirm_task_id"] in await _open_tasks(client, world.member_account)

    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        for leg in (first, second):
            event_id = uuid.UUID(leg["employment_event_id"])
            again = await post_changes.redraft_for_early_end(
                session, world.hr.org_id, event_id, clock
            )
            assert again is None, "the newest amendment already says the real end"
    assert len(await _amendments(client, world, contract)) == 3


async def test_closing_a_post_before_it_begins_withdraws_its_temporary_posts(
    client: AsyncClient, world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    contract = await make_contract(client, world.hr, world.member.id)
    team = await create(client, world.hr, "Team management")
    post = await make_assignment(
        client,
        world.hr,
        world.sales.id,
        (team, 1),
        starts_on="2027-03-15",
        ends_on="2027-06-30",
        post_title="Project lead",
        allowance="1500.00",
    )
    url = f"{API}/stretch-assignments/{post['id']}"
    assignee = ok(
        await client.post(
            f"{url}/assign", json={"employee_id": str(world.member.id)}, headers=world.hr.headers
        ),
        201,
    )
    await run_burst(runtime)
    [drafted] = await _by_event(client, world, contract, assignee["employment_event_id"])
    assert drafted["status"] == "draft"

    closing = {"status": "closed"}
    by_head = await client.patch(url, json=closing | REASON, headers=world.sales_head.headers)
    assert_problem(by_head, 403)
    no_reason = await client.patch(url, json=closing, headers=world.hr.headers)
    assert_problem(no_reason, 422, fields={"reason"})
    assert ok(await client.get(url, headers=world.hr.headers))["status"] != "closed"

    closed = ok(await client.patch(url, json=closing | REASON, headers=world.hr.headers))
    assert closed["status"] == "closed"
    events = ok(
        await client.get(f"{API}/employees/{world.member.id}/events", headers=world.hr.headers)
    )["items"]
    [event] = [e for e in events if e["id"] == assignee["employment_event_id"]]
    assert (event["withdrawal_reason"], event["end_date"]) == (REASON["reason"], "2027-06-30")
    assert len(assignee["task_ids"]) == 3
    for task_id in assignee["task_ids"]:
        task = ok(await client.get(f"{API}/tasks/{task_id}", headers=world.hr.headers))
        assert task["status"] == "cancelled", "kick-off, mid-point and outcome: nothing to do"

    reopened = await client.patch(url, json={"status": "open"}, headers=world.hr.headers)
    assert_problem(reopened, 409, detail="create a new assignment")

    await run_burst(runtime)
    [withdrawn] = await _by_event(client, world, contract, assignee["employment_event_id"])
    assert withdrawn["status"] == "withdrawn"
    assert await _open_tasks(client, world.member_account) == set()


async def test_closing_a_running_post_redrafts_its_amendment_for_today(
    client: AsyncClient, world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    contract = await make_contract(client, world.hr, world.member.id)
    team = await create(client, world.hr, "Team management")
    post = await make_assignment(
        client,
        world.hr,
        world.sales.id,
        (team, 1),
        starts_on="2027-02-15",
        ends_on="2027-06-30",
        post_title="Project lead",
        allowance="1500.00",
    )
    url = f"{API}/stretch-assignments/{post['id']}"
    assignee = ok(
        await client.post(
            f"{url}/assign", json={"employee_id": str(world.member.id)}, headers=world.hr.headers
        ),
        201,
    )
    await run_burst(runtime)
    [drafted] = await _by_event(client, world, contract, assignee["employment_event_id"])
    assert drafted["current"]["end_date"] == "2027-06-30"

    ok(await client.patch(url, json={"status": "closed"}, headers=world.hr.headers))
    await run_burst(runtime)
    [redrafted] = await _by_event(client, world, contract, assignee["employment_event_id"])
    assert (redrafted["id"], redrafted["status"]) == (drafted["id"], "draft")
    current = redrafted["current"]
    assert (current["number"], current["effective_date"], current["end_date"]) == (
        2,
        "2027-03-01",
        "2027-03-01",
    ), "joined today, ended today: the employee confirms that"
    actions = [e["action"] for e in await audited(client, world.hr, drafted["id"])]
    assert actions[-1] == "contract_amendment.revised"
