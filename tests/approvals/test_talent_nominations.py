"""Pool nominations on the approval engine, over HTTP: the organization's chain "direct
manager → head of the subject's department → HR admins when grade ≥ M2" walked step by
step (the member active only at the end, HR deciding its step on the member), an M1
nominee skipping HR, the preview, a rejection with a comment, a withdrawal, and the
default chain (any one HR admin, with or without an employee record) with its decision
task."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import update

from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.org.models import Position
from hrcore.people.models import Employee
from hrcore.worker import run_burst
from tests.conftest import frozen_clock
from tests.factories import Account, make_user
from tests.people.conftest import World, world
from tests.workflow.conftest import clock, inbox, sweep

__all__ = ["clock", "world"]
API = "/api/v1"
POOLS = f"{API}/talent-pools"
KIND = "talent.pool_nomination"
MANAGER_HEAD_HR = [
    {"name": "Manager", "approver": {"rule": "manager"}},
    {"name": "Head", "approver": {"rule": "department_head"}},
    {
        "name": "HR",
        "approver": {"rule": "hr_admins"},
        "condition": {"fact": "grade", "op": "gte", "value": "M2"},
    },
]


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _who(part: Any) -> str:
    """An approver's name: an employee's, or an account's without one."""
    return str((part["approver"] or part["approver_user"])["name"])


class Cast:
    """HR on the boss's record, the head of sales east on the peer's, the member's and
    the junior's own accounts."""

    def __init__(self, hr: Account, head: Account) -> None:
        self.hr, self.head = hr, head


@pytest.fixture
async def cast(runtime: Runtime, world: World) -> Cast:
    org_id = world.hr.org_id
    return Cast(
        await make_user(runtime, org_id, Role.HR_ADMIN, employee_id=world.boss.id),
        await make_user(
            runtime,
            org_id,
            Role.DEPT_HEAD,
            Role.EMPLOYEE,
            employee_id=world.peer.id,
            department_scope_id=world.sales_east.id,
        ),
    )


async def _graded(runtime: Runtime, world: World, employee: Any, grade: str) -> None:
    """Put the employee on a post of `grade` (the nomination's `grade` fact)."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        position = Position(
            org_id=world.hr.org_id,
            code=f"{grade}-{uuid.uuid4().hex[:6]}",
            title=f"Sales {grade}",
            department_id=world.sales_east.id,
            grade=grade,
            family="sales management",
            is_management=False,
            description={},
        )
        session.add(position)
        await session.flush()
        await session.execute(
            update(Employee).where(Employee.id == employee.id).values(position_id=position.id)
        )


async def _pool(client: AsyncClient, hr: Account, name: str = "Reserve chiefs") -> Any:
    return _ok(await client.post(POOLS, json={"name": name}, headers=hr.headers), 201)


async def _nominate(client: AsyncClient, account: Account, pool: Any, employee: Any) -> Any:
    body = {"employee_id": str(employee.id), "reason": "Leads the east team"}
    return _ok(
        await client.post(f"{POOLS}/{pool['id']}/members", json=body, headers=account.headers), 201
    )


async def _member(client: AsyncClient, hr: Account, member: Any) -> Any:
    page = _ok(await client.get(f"{POOLS}/{member['pool_id']}/members", headers=hr.headers))
    return next(m for m in page["items"] if m["id"] == member["id"])


async def _awaiting(client: AsyncClient, account: Account) -> list[Any]:
    page = _ok(await client.get(f"{API}/me/approvals", headers=account.headers))
    return [a for a in page["items"] if a["kind"] == KIND]


async def _act(client: AsyncClient, account: Account, approval: Any, verb: str, **body: Any) -> Any:
    return _ok(
        await client.post(
            f"{API}/approvals/{approval['id']}/{verb}", json=body, headers=account.headers
        )
    )


async def _decide(client: AsyncClient, account: Account, member: Any, **body: Any) -> Any:
    return await client.patch(
        f"{POOLS}/{member['pool_id']}/members/{member['id']}", json=body, headers=account.headers
    )


async def _history(client: AsyncClient, account: Account, member: Any) -> list[Any]:
    path = f"{POOLS}/{member['pool_id']}/members/{member['id']}/history"
    return list(_ok(await client.get(path, headers=account.headers))["items"])


async def test_manager_head_and_hr_for_m2_each_approve_and_the_member_is_active_at_the_end(
    client: AsyncClient, world: World, cast: Cast, runtime: Runtime
) -> None:
    await _graded(runtime, world, world.junior, "M2")
    chain = {"name": "Nominations", "kind": KIND, "steps": MANAGER_HEAD_HR}
    _ok(await client.post(f"{API}/approval-chains", json=chain, headers=world.hr.headers), 201)
    preview = _ok(
        await client.post(
            f"{API}/approval-chains/preview",
            json={
                "kind": KIND,
                "subject_employee_id": str(world.junior.id),
                "requester_employee_id": str(world.junior.id),
                "facts": {"grade": "M2", "department_id": str(world.sales_east.id)},
            },
            headers=world.hr.headers,
        )
    )
    assert [[a["name"] for a in s["approvers"]] for s in preview["steps"]] == [
        ["Member"],
        ["Peer"],
        ["Boss"],
    ]

    pool = await _pool(client, world.hr)
    member = await _nominate(client, world.junior_account, pool, world.junior)
    assert member["status"] == "nominated"
    [approval] = await _awaiting(client, world.member_account)
    assert approval["subject_id"] == member["id"]
    assert approval["title"] == "Nomination of Junior to the talent pool Reserve chiefs"
    assert approval["facts"] == {
        "department_id": str(world.sales_east.id),
        "pool_id": pool["id"],
        "nominated_by": "self",
        "grade": "M2",
        "position_family": "sales management",
    }
    early = _ok(await _decide(client, cast.hr, member, status="active", reason="Ready"), 409)
    assert "Member" in early["detail"]

    _act_result = await _act(client, world.member_account, approval, "approve", comment="Yes")
    assert _act_result["current_step"] == 1
    assert (await _member(client, world.hr, member))["status"] == "nominated"
    assert [a["id"] for a in await _awaiting(client, cast.head)] == [approval["id"]]
    await _act(client, cast.head, approval, "approve")
    assert (await _member(client, world.hr, member))["status"] == "nominated"
    assert [a["id"] for a in await _awaiting(client, cast.hr)] == [approval["id"]]

    assert [a["id"] for a in await _awaiting(client, world.hr)] == [approval["id"]], (
        "an HR admin with only an account is on the hr_admins step too"
    )
    active = _ok(await _decide(client, cast.hr, member, status="active", reason="Ready"))
    assert active["status"] == "active"
    assert active["decision_reason"] == "Ready"
    assert active["decided_by"] == str(cast.hr.user_id)
    done = _ok(await client.get(f"{API}/approvals/{approval['id']}", headers=world.hr.headers))
    assert done["status"] == "approved"
    assert [(_who(a), a["status"]) for a in done["assignments"]] == [
        ("Member", "approved"),
        ("Peer", "approved"),
        ("Boss", "approved"),
        ("hr", "cancelled"),
    ]
    changes = await _history(client, world.junior_account, member)
    assert [(c["status"], c["source"], c["reason"]) for c in changes] == [
        ("nominated", "self", "Leads the east team"),
        ("active", "approval", "Ready"),
    ]


async def test_an_m1_nominee_skips_hr_and_the_head_s_approval_completes_it(
    client: AsyncClient, world: World, cast: Cast, runtime: Runtime
) -> None:
    await _graded(runtime, world, world.junior, "M1")
    chain = {"name": "Nominations", "kind": KIND, "steps": MANAGER_HEAD_HR}
    _ok(await client.post(f"{API}/approval-chains", json=chain, headers=world.hr.headers), 201)
    pool = await _pool(client, world.hr)
    member = await _nominate(client, world.junior_account, pool, world.junior)
    [approval] = await _awaiting(client, world.member_account)
    await _act(client, world.member_account, approval, "approve")
    last = await _act(client, cast.head, approval, "approve", comment="Strong year")
    assert last["status"] == "approved"
    assert (last["steps"][-1]["skipped"], last["steps"][-1]["reason"]) == (
        True,
        "Its condition does not hold",
    )
    assert await _awaiting(client, cast.hr) == []
    active = await _member(client, world.hr, member)
    assert (active["status"], active["decision_reason"]) == ("active", "Strong year")
    assert active["activated_at"] is not None
    inbox = _ok(await client.get(f"{API}/me/notifications", headers=world.junior_account.headers))
    assert inbox["items"][0]["title"] == "You joined the talent pool Reserve chiefs"


async def test_a_rejection_with_a_comment_ends_the_nomination_and_a_withdrawal_removes_it(
    client: AsyncClient, world: World, cast: Cast, runtime: Runtime
) -> None:
    chain = {"name": "Nominations", "kind": KIND, "steps": MANAGER_HEAD_HR}
    _ok(await client.post(f"{API}/approval-chains", json=chain, headers=world.hr.headers), 201)
    pool = await _pool(client, world.hr)
    member = await _nominate(client, world.junior_account, pool, world.junior)
    [approval] = await _awaiting(client, world.member_account)
    await _act(client, world.member_account, approval, "reject", comment="One more cycle first")

    rejected = await _member(client, world.hr, member)
    assert (rejected["status"], rejected["decision_reason"]) == ("rejected", "One more cycle first")
    assert rejected["ended_at"] is not None
    changes = await _history(client, world.junior_account, member)
    assert [(c["status"], c["source"], c["reason"]) for c in changes][-1] == (
        "rejected",
        "approval",
        "One more cycle first",
    )
    assert await _awaiting(client, cast.head) == []
    inbox = _ok(await client.get(f"{API}/me/notifications", headers=world.junior_account.headers))
    assert "One more cycle first" in inbox["items"][0]["body"]

    again = await _nominate(client, world.junior_account, pool, world.junior)
    assert (again["id"], again["status"]) == (member["id"], "nominated")
    [second] = await _awaiting(client, world.member_account)
    assert second["id"] != approval["id"]
    withdrawn = await _act(client, world.junior_account, second, "withdraw")
    assert withdrawn["status"] == "withdrawn"
    assert (await _member(client, world.hr, member))["status"] == "removed"
    assert await _awaiting(client, world.member_account) == []


async def test_the_default_chain_is_any_one_hr_admin_deciding_on_the_member(
    client: AsyncClient, world: World, cast: Cast
) -> None:
    pool = await _pool(client, world.hr)
    member = await _nominate(client, cast.head, pool, world.junior)
    [approval] = await _awaiting(client, cast.hr)
    assert approval["chain_id"] is None
    tasks = _ok(await client.get(f"{API}/me/tasks?status=open", headers=cast.hr.headers))
    [task] = [t for t in tasks["items"] if t["kind"] == "approvals.decision"]
    assert task["title"] == "Approve: Nomination of Junior to the talent pool Reserve chiefs"
    assert task["completed_by"]["path"] == f"{API}/approvals/{approval['id']}/approve"
    assert task["subject_employee"]["name"] == "Junior"
    waited = datetime.fromisoformat(task["due_at"]) - datetime.fromisoformat(member["nominated_at"])
    assert timedelta(days=7) <= waited < timedelta(days=7, minutes=1), "HR's 7 days, as before"
    told = _ok(await client.get(f"{API}/me/notifications", headers=world.junior_account.headers))
    assert told["items"][0]["body"] == (
        "Reason: Leads the east team. Its approvers decide whether you join."
    )

    unreasoned = await _decide(client, cast.hr, member, status="rejected")
    assert unreasoned.status_code == 422
    removal = _ok(await _decide(client, cast.hr, member, status="removed", reason="No"), 409)
    assert "rejected" in removal["detail"]
    rejected = _ok(await _decide(client, cast.hr, member, status="rejected", reason="Not yet"))
    assert (rejected["status"], rejected["decision_reason"]) == ("rejected", "Not yet")
    assert rejected["decided_by"] == str(cast.hr.user_id)
    closed = _ok(await client.get(f"{API}/tasks/{task['id']}", headers=cast.hr.headers))
    assert closed["status"] == "completed"
    shown = _ok(await client.get(f"{API}/approvals/{approval['id']}", headers=cast.hr.headers))
    assert (shown["status"], shown["assignments"][0]["comment"]) == ("rejected", "Not yet")


async def test_on_the_default_chain_an_hr_admin_without_an_employee_record_decides(
    client: AsyncClient, world: World, cast: Cast
) -> None:
    pool = await _pool(client, world.hr)
    member = await _nominate(client, cast.head, pool, world.junior)
    [approval] = await _awaiting(client, cast.hr)
    assert [a["id"] for a in await _awaiting(client, world.hr)] == [approval["id"]]
    [notice] = [
        n
        for n in _ok(await client.get(f"{API}/me/notifications", headers=world.hr.headers))["items"]
        if n["kind"] == "approvals.decision_requested"
    ]
    assert notice["title"] == "Approve: Nomination of Junior to the talent pool Reserve chiefs"

    decided = _ok(await _decide(client, world.hr, member, status="active", reason="Ready now"))
    assert (decided["status"], decided["decision_reason"]) == ("active", "Ready now")
    assert decided["decided_by"] == str(world.hr.user_id)
    assert await _awaiting(client, cast.hr) == []
    shown = _ok(await client.get(f"{API}/approvals/{approval['id']}", headers=cast.hr.headers))
    assert [(_who(a), a["status"], a["comment"]) for a in shown["assignments"]] == [
        ("Boss", "cancelled", None),
        ("hr", "approved", "Ready now"),
    ], "decided as the account's own part: the other HR admin has nothing left to do"
    changes = await _history(client, world.junior_account, member)
    assert [(c["status"], c["source"], c["reason"]) for c in changes][-1] == (
        "active",
        "approval",
        "Ready now",
    )


async def test_hrs_seven_days_are_working_days_when_the_organization_counts_them(
    client: AsyncClient, world: World, cast: Cast, runtime: Runtime
) -> None:
    working = {"reminder": {"days_are": "working"}, "escalation": {"days_are": "working"}}
    policy = "/api/v1/task-policy-defaults"
    _ok(await client.put(policy, json=working, headers=world.hr.headers))
    async with frozen_clock(runtime, datetime(2027, 3, 5, 9, tzinfo=UTC)):  # a Friday
        pool = await _pool(client, world.hr)
        await _nominate(client, cast.head, pool, world.junior)
    tasks = _ok(await client.get(f"{API}/me/tasks?status=open", headers=cast.hr.headers))
    [task] = [t for t in tasks["items"] if t["kind"] == "approvals.decision"]
    assert task["due_at"].startswith("2027-03-16"), "seven working days, not Friday the 12th"


@pytest.mark.commits
async def test_the_nominee_leaving_withdraws_the_approval_and_its_tasks(
    client: AsyncClient, world: World, cast: Cast, runtime: Runtime
) -> None:
    pool = await _pool(client, world.hr)
    member = await _nominate(client, cast.head, pool, world.junior)
    [approval] = await _awaiting(client, cast.hr)
    exit_event = {"kind": "exit", "effective_date": "2026-11-30"}
    _ok(
        await client.post(
            f"{API}/employees/{world.junior.id}/events", json=exit_event, headers=world.hr.headers
        ),
        201,
    )
    await run_burst(runtime)

    shown = _ok(await client.get(f"{API}/approvals/{approval['id']}", headers=world.hr.headers))
    assert (shown["status"], [a["status"] for a in shown["assignments"]]) == (
        "withdrawn",
        ["cancelled", "cancelled"],
    )
    assert await _awaiting(client, cast.hr) == []
    assert (await _member(client, world.hr, member))["status"] == "left"
    gone = await _decide(client, cast.hr, member, status="active", reason="Too late")
    assert gone.status_code == 409


async def test_hr_deciding_an_earlier_step_leaves_the_member_nominated_and_a_return_is_409(
    client: AsyncClient, world: World, cast: Cast
) -> None:
    steps = [{"name": "HR", "approver": {"rule": "hr_admins"}}, MANAGER_HEAD_HR[0]]
    chain = {"name": "Nominations", "kind": KIND, "steps": steps}
    _ok(await client.post(f"{API}/approval-chains", json=chain, headers=world.hr.headers), 201)
    pool = await _pool(client, world.hr)
    member = await _nominate(client, cast.head, pool, world.junior)

    first = _ok(await _decide(client, cast.hr, member, status="active", reason="Fine by HR"))
    assert (first["status"], first["decision_reason"]) == ("nominated", None)
    [approval] = await _awaiting(client, world.member_account)
    returned = await _act(client, world.member_account, approval, "return", comment="Add goals")
    assert returned["status"] == "returned"
    assert (await _member(client, world.hr, member))["status"] == "nominated"
    refused = await client.patch(
        f"{POOLS}/{pool['id']}/members/{member['id']}",
        json={"status": "active", "reason": "Ready"},
        headers=cast.hr.headers | {"Accept-Language": "zh-CN"},
    )
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["detail"] == "该提名已退回提名人：请由提名人重新提交或撤回"


@pytest.mark.commits
async def test_the_approver_is_reminded_of_the_nomination_by_its_task(
    client: AsyncClient, world: World, cast: Cast, runtime: Runtime, clock: FrozenClock
) -> None:
    pool = await _pool(client, world.hr)
    await _nominate(client, cast.head, pool, world.junior)
    clock.advance(timedelta(days=4, hours=1))
    await sweep(runtime)
    [reminder] = [n for n in await inbox(client, cast.hr) if n["kind"] == "task.reminder"]
    assert reminder["title"] == (
        "Due soon: Approve: Nomination of Junior to the talent pool Reserve chiefs"
    )
    assert reminder["body"] == "Due by 8 Mar 2027, 10:00."
