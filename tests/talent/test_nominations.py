"""Nominations over HTTP: the approval's decision task (or, for an HR admin with only an
account, its inbox notice), the nominee's notices, a rejection that is an act with a reason
(kept, then nominated again), and the member's own history."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.factories import Account, make_org, make_user
from tests.people.conftest import World, world

__all__ = ["world"]
API = "/api/v1"
POOLS = f"{API}/talent-pools"


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _pool(client: AsyncClient, hr: Account, name: str = "Reserve chiefs") -> Any:
    return await _ok(await client.post(POOLS, json={"name": name}, headers=hr.headers), 201)


async def _nominate(client: AsyncClient, account: Account, pool: Any, employee: Any) -> Any:
    return await _ok(
        await client.post(
            f"{POOLS}/{pool['id']}/members",
            json={"employee_id": str(employee.id), "reason": "Leads the east team"},
            headers=account.headers,
        ),
        201,
    )


async def _patch(client: AsyncClient, hr: Account, member: Any, **body: Any) -> Any:
    return await client.patch(
        f"{POOLS}/{member['pool_id']}/members/{member['id']}", json=body, headers=hr.headers
    )


async def _tasks(client: AsyncClient, account: Account) -> list[Any]:
    page = await _ok(await client.get(f"{API}/me/tasks?status=open", headers=account.headers))
    return [t for t in page["items"] if t["kind"] == "approvals.decision"]


async def _inbox(client: AsyncClient, account: Account) -> list[Any]:
    page = await _ok(await client.get(f"{API}/me/notifications", headers=account.headers))
    return [n for n in page["items"] if n["kind"].startswith("talent.nomination")]


async def _history(client: AsyncClient, account: Account, member: Any, query: str = "") -> Any:
    return await client.get(
        f"{POOLS}/{member['pool_id']}/members/{member['id']}/history{query}",
        headers=account.headers,
    )


async def _hr_with_employee(runtime: Runtime, world: World) -> Account:
    """An HR admin with an employee record: the one who gets the decision task."""
    return await make_user(runtime, world.hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)


async def test_a_nomination_asks_its_approvers_tells_the_nominee_and_a_rejection_is_kept(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    boss = await _hr_with_employee(runtime, world)
    pool = await _pool(client, world.hr)
    member = await _nominate(client, world.sales_head, pool, world.member)

    [task] = await _tasks(client, boss)
    assert task["subject"]["type"] == "approval"
    approval = await _ok(
        await client.get(f"{API}/approvals/{task['subject']['id']}", headers=boss.headers)
    )
    assert (approval["subject_id"], approval["requester_user"]["id"]) == (
        member["id"],
        str(world.sales_head.user_id),
    ), "the department head without an employee record requests it by their account"
    assert task["title"] == "Approve: Nomination of Member to the talent pool Reserve chiefs"
    assert task["completed_by"]["path"] == f"/api/v1/approvals/{approval['id']}/approve"
    assert task["subject_employee"] == {"id": str(world.member.id), "name": "Member"}
    alone = await client.post(f"{API}/tasks/{task['id']}/complete", json={}, headers=boss.headers)
    assert alone.status_code == 422, alone.text
    assert alone.headers["content-type"] == "application/problem+json"
    [told] = await _inbox(client, world.member_account)
    assert told["title"] == "You are nominated to the talent pool Reserve chiefs"
    assert "Leads the east team" in told["body"]

    for bad in ({"status": "rejected"}, {"status": "rejected", "reason": "   "}):
        response = await _patch(client, world.hr, member, **bad)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
    removal = await _patch(client, world.hr, member, status="removed", reason="No")
    assert removal.status_code == 409
    assert "rejected" in removal.json()["detail"]
    zh = await client.patch(
        f"{POOLS}/{pool['id']}/members/{member['id']}",
        json={"status": "removed", "reason": "No"},
        headers=world.hr.headers | {"Accept-Language": "zh-CN"},
    )
    assert zh.status_code == 409
    assert "驳回" in zh.json()["detail"]
    still = [t["id"] for t in await _tasks(client, boss)]
    assert still == [task["id"]], "nothing decided, the task stays open"

    rejected = await _ok(
        await _patch(client, world.hr, member, status="rejected", reason="Not yet: one more cycle")
    )
    assert rejected["status"] == "rejected"
    assert rejected["decision_reason"] == "Not yet: one more cycle"
    assert rejected["decided_by"] == str(world.hr.user_id)
    assert rejected["decided_at"] is not None
    assert rejected["ended_at"] is not None
    done = await _ok(await client.get(f"{API}/tasks/{task['id']}", headers=boss.headers))
    assert done["status"] == "cancelled", "the HR account decided the step"
    decided = (await _inbox(client, world.member_account))[0]
    assert decided["title"] == "Your nomination to the talent pool Reserve chiefs was not approved"
    assert "Not yet: one more cycle" in decided["body"]
    listed = await _ok(
        await client.get(f"{POOLS}/{pool['id']}/members?status=rejected", headers=world.hr.headers)
    )
    assert [m["id"] for m in listed["items"]] == [member["id"]]
    again = await _patch(client, world.hr, member, status="active", reason="Changed my mind")
    assert again.status_code == 409

    renominated = await _nominate(client, world.hr, pool, world.member)
    assert renominated["id"] == member["id"]
    assert renominated["status"] == "nominated"
    assert renominated["decided_at"] is None
    assert renominated["decision_reason"] is None
    [second] = await _tasks(client, boss)
    assert second["id"] != task["id"]
    own = await _patch(client, world.hr, renominated, status="active", reason="Mine")
    assert own.status_code == 403, "the nominating account requested the approval"
    approved = await _ok(
        await _patch(
            client, boss, renominated, status="active", readiness="ready_now", reason="Ready"
        )
    )
    assert approved["decision_reason"] == "Ready"
    assert await _tasks(client, boss) == []
    titles = [n["title"] for n in await _inbox(client, world.member_account)]
    assert titles[0] == "You joined the talent pool Reserve chiefs"

    changes = (await _ok(await _history(client, world.member_account, member)))["items"]
    assert [
        (c["kind"], c["status"], c["readiness"], c["source"], c["reason"]) for c in changes
    ] == [
        ("status", "nominated", None, "dept_head", "Leads the east team"),
        ("status", "rejected", None, "approval", "Not yet: one more cycle"),
        ("status", "nominated", None, "hr", "Leads the east team"),
        ("readiness", None, "ready_now", "hr", "Ready"),
        ("status", "active", None, "approval", "Ready"),
    ]


async def test_a_self_nomination_tells_no_one_but_hr_and_hr_with_only_an_account_hears_it(
    client: AsyncClient, world: World
) -> None:
    pool = await _pool(client, world.hr)
    member = await _nominate(client, world.junior_account, pool, world.junior)
    chinese = await client.put(
        f"{API}/me/locale", json={"locale": "zh-CN"}, headers=world.member_account.headers
    )
    assert chinese.status_code == 200, chinese.text
    await _nominate(client, world.hr, pool, world.member)

    assert await _inbox(client, world.junior_account) == []
    page = await _ok(await client.get(f"{API}/me/notifications", headers=world.hr.headers))
    [asked] = [n for n in page["items"] if n["kind"] == "approvals.decision_requested"]
    assert asked["title"] == "Approve: Nomination of Junior to the talent pool Reserve chiefs"
    assert asked["body"] == "Open the approval to approve, reject or return it"
    assert asked["subject"]["type"] == "approval"
    [awaiting] = (await _ok(await client.get(f"{API}/me/approvals", headers=world.hr.headers)))[
        "items"
    ]
    assert (awaiting["id"], awaiting["subject_id"]) == (asked["subject"]["id"], member["id"])
    [told] = await _inbox(client, world.member_account)
    assert told["title"] == "您已被提名进入人才池「Reserve chiefs」"
    assert told["body"] == "提名理由：Leads the east team。是否入池由人事审批决定。"


@pytest.mark.commits
async def test_the_decision_task_is_withdrawn_when_the_nominee_leaves(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    boss = await _hr_with_employee(runtime, world)
    pool = await _pool(client, world.hr)
    member = await _nominate(client, world.hr, pool, world.peer)
    [task] = await _tasks(client, boss)

    await _ok(
        await client.post(
            f"{API}/employees/{world.peer.id}/events",
            json={"kind": "exit", "effective_date": "2026-11-30"},
            headers=world.hr.headers,
        ),
        201,
    )
    await run_burst(runtime)

    withdrawn = await _ok(await client.get(f"{API}/tasks/{task['id']}", headers=boss.headers))
    assert withdrawn["status"] == "cancelled"
    changes = (await _ok(await _history(client, world.hr, member)))["items"]
    assert [(c["status"], c["source"], c["reason"]) for c in changes][-1] == (
        "left",
        "system",
        None,
    )


async def test_readiness_and_placements_are_the_members_history_read_where_the_member_is(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    pool = await _pool(client, world.hr)
    member = await _nominate(client, world.hr, pool, world.engineer)
    steps = [
        {"status": "active", "readiness": "three_plus_years", "reason": "Approved"},
        {"readiness": "one_to_two_years", "reason": "Led the migration"},
        {"nine_box": {"performance": "medium", "potential": "high"}, "reason": "Calibration"},
        {"readiness": "one_to_two_years", "reason": "Unchanged readiness is no change"},
        {"nine_box": {"performance": "high", "potential": "high"}, "reason": "Second calibration"},
    ]
    for step in steps:
        await _ok(await _patch(client, world.hr, member, **step))

    changes = (await _ok(await _history(client, world.hr, member)))["items"]
    assert [
        (c["kind"], c["status"], c["readiness"], c["nine_box"], c["reason"]) for c in changes
    ] == [
        ("status", "nominated", None, None, "Leads the east team"),
        ("status", "active", None, None, "Approved"),
        ("readiness", None, "three_plus_years", None, "Approved"),
        ("readiness", None, "one_to_two_years", None, "Led the migration"),
        ("placement", None, None, {"performance": "medium", "potential": "high"}, "Calibration"),
        (
            "placement",
            None,
            None,
            {"performance": "high", "potential": "high"},
            "Second calibration",
        ),
    ]
    first = await _ok(await _history(client, world.hr, member, "?limit=4"))
    assert len(first["items"]) == 4
    assert first["next_cursor"]
    rest = await _ok(
        await _history(client, world.hr, member, f"?limit=4&cursor={first['next_cursor']}")
    )
    assert first["items"] + rest["items"] == changes
    assert rest["next_cursor"] is None

    engineer = await make_user(
        runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.engineer.id
    )
    assert (await _history(client, engineer, member)).status_code == 200
    for outsider in (world.junior_account, world.sales_head):
        response = await _history(client, outsider, member)
        assert response.status_code == 404, response.text
        assert response.headers["content-type"] == "application/problem+json"
    stranger = await make_org(runtime)
    assert (await _history(client, stranger, member)).status_code == 404
    wrong_pool = await _pool(client, world.hr, "Reserve engineers")
    moved = {**member, "pool_id": wrong_pool["id"]}
    assert (await _history(client, world.hr, moved)).status_code == 404
