"""Approver rules over HTTP: a named group (inactive members skipped, an empty group the
stated skip), the countersign 会签 of two departments' heads when a move involves another
department (one rejecting ends it), the nearest department head above a department without
one, and the N-th manager up in the same statements whatever N."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.approvals.conftest import ACTED, KIND
from tests.approvals.test_approvals import (
    APPROVALS,
    CHAINS,
    _act,
    _chain,
    _ok,
    _open_tasks,
    _submit,
)
from tests.factories import Account, make_user
from tests.people.conftest import World, count_statements, world

__all__ = ["world"]
API = "/api/v1"


class Heads:
    """Peer heads sales east, the engineer engineering; HR is on the boss's record."""

    def __init__(self, hr: Account, east: Account, engineering: Account) -> None:
        self.hr, self.east, self.engineering = hr, east, engineering


@pytest.fixture
async def heads(runtime: Runtime, world: World) -> Heads:
    org_id = world.hr.org_id
    return Heads(
        await make_user(runtime, org_id, Role.HR_ADMIN, employee_id=world.boss.id),
        await make_user(
            runtime,
            org_id,
            Role.DEPT_HEAD,
            employee_id=world.peer.id,
            department_scope_id=world.sales_east.id,
        ),
        await make_user(
            runtime,
            org_id,
            Role.DEPT_HEAD,
            employee_id=world.engineer.id,
            department_scope_id=world.engineering.id,
        ),
    )


async def _leave(client: AsyncClient, world: World, employee_id: object) -> None:
    _ok(
        await client.patch(
            f"{API}/employees/{employee_id}", json={"status": "on_leave"}, headers=world.hr.headers
        )
    )


async def _preview(client: AsyncClient, world: World, subject: object, **facts: str) -> list[Any]:
    body = {"kind": KIND, "subject_employee_id": str(subject), "facts": facts}
    found = _ok(await client.post(f"{CHAINS}/preview", json=body, headers=world.hr.headers))
    return [
        [a["name"] for a in step["approvers"] + step["approver_users"]]
        if not step["skipped"]
        else step["reason"]
        for step in found["steps"]
    ]


async def test_a_named_group_skips_inactive_members_and_an_empty_group_is_the_stated_skip(
    client: AsyncClient, world: World, heads: Heads
) -> None:
    members = [str(world.peer.id), str(world.engineer.id), str(world.junior.id)]
    unknown = {
        "name": "Bad",
        "kind": KIND,
        "steps": [
            {"approver": {"rule": "group", "employee_ids": [members[0], str(world.hr.org_id)]}}
        ],
    }
    refused = _ok(await client.post(CHAINS, json=unknown, headers=world.hr.headers), 422)
    assert [e["field"] for e in refused["errors"]] == ["steps.0.approver.employee_ids.1"]
    await _chain(
        client,
        world.hr,
        [
            {
                "name": "Committee",
                "approver": {"rule": "group", "group": "Committee", "employee_ids": members},
                "mode": "all",
            },
            {"name": "Nobody", "approver": {"rule": "group", "group": "Empty"}},
        ],
    )
    await _leave(client, world, world.junior.id)
    approval = await _submit(client, world.member_account, world.member)
    assert sorted(a["approver"]["name"] for a in approval["assignments"]) == ["Engineer", "Peer"]
    after_one = _ok(await _act(client, heads.east, approval, "approve"))
    assert after_one["current_step"] == 0, "会签: the group's other member still decides"
    done = _ok(await _act(client, heads.engineering, approval, "approve"))
    assert done["status"] == "approved"
    assert done["steps"][-1]["skipped"]
    assert done["steps"][-1]["reason"] == "Nobody holds this role for the subject"
    assert len(ACTED) == 1


COUNTERSIGN = [
    {"name": "Manager", "approver": {"rule": "manager"}},
    {
        "name": "Both heads",
        "approver": {"rule": "department_head", "of": ["subject", "other_department_id"]},
        "mode": "all",
        "condition": {"fact": "other_department_id", "op": "involved"},
    },
]


async def test_a_move_to_another_department_needs_both_heads_and_one_rejecting_ends_it(
    client: AsyncClient, world: World, heads: Heads
) -> None:
    await _chain(client, world.hr, COUNTERSIGN)
    move = {"grade": "M1", "other_department_id": str(world.engineering.id)}
    approval = await _submit(client, world.member_account, world.member, facts=move)
    _ok(await _act(client, world.lead_account, approval, "approve"))
    both = _ok(await client.get(f"{APPROVALS}/{approval['id']}", headers=heads.hr.headers))
    assert both["steps"][-1]["name"] == "Both heads"
    assert sorted(a["approver"]["name"] for a in both["assignments"] if a["step"] == 1) == [
        "Engineer",
        "Peer",
    ]
    rejected = _ok(await _act(client, heads.engineering, approval, "reject", comment="No slot"))
    assert rejected["status"] == "rejected"
    parts = {a["approver"]["name"]: a["status"] for a in rejected["assignments"] if a["step"] == 1}
    assert parts == {"Engineer": "rejected", "Peer": "cancelled"}
    assert await _open_tasks(client, heads.east) == []
    assert (await _act(client, heads.east, approval, "approve")).status_code == 409

    agreed = await _submit(client, world.member_account, world.member, facts=move)
    _ok(await _act(client, world.lead_account, agreed, "approve"))
    assert _ok(await _act(client, heads.east, agreed, "approve"))["status"] == "pending"
    assert _ok(await _act(client, heads.engineering, agreed, "approve"))["status"] == "approved"
    assert len(ACTED) == 1

    within = {"grade": "M1", "other_department_id": str(world.sales_east.id)}
    assert await _preview(client, world, world.member.id, **within) == [
        ["Lead"],
        "Its condition does not hold",
    ]
    unknown = {"grade": "M1", "other_department_id": str(world.member.id)}
    body = {"kind": KIND, "title": "Move", "subject_employee_id": str(world.member.id)}
    bad = await client.post(
        APPROVALS, json=body | {"facts": unknown}, headers=world.member_account.headers
    )
    assert _ok(bad, 422)["errors"][0]["field"] == "facts.other_department_id"


async def test_a_department_rule_checks_its_facts(client: AsyncClient, world: World) -> None:
    steps = [
        {"approver": {"rule": "department_head", "of": ["grade"]}},
        {
            "approver": {"rule": "manager"},
            "condition": {"fact": "grade", "op": "involved"},
        },
        {"approver": {"rule": "manager"}, "condition": {"fact": "grade", "op": "gte"}},
        {
            "approver": {
                "rule": "department_head",
                "department_id": str(world.sales.id),
                "of": ["other_department_id"],
            }
        },
    ]
    body = {"name": "Bad", "kind": KIND, "steps": steps}
    refused = _ok(await client.post(CHAINS, json=body, headers=world.hr.headers), 422)
    assert [e["field"] for e in refused["errors"]] == [
        "steps.0.approver.of.0",
        "steps.1.condition.op",
        "steps.2.condition.value",
        "steps.3.approver.of",
    ]


async def test_a_department_without_a_head_is_approved_by_the_nearest_head_above(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    """Engineering has no head: head office's approves. Sales' head account has no employee
    record and approves by its account, beside the head with one it gets later — and alone
    again when that head goes on leave."""
    org_id = world.hr.org_id
    sales_account = world.sales_head.email.split("@")[0]
    await make_user(
        runtime,
        org_id,
        Role.DEPT_HEAD,
        employee_id=world.peer.id,
        department_scope_id=world.head_office.id,
    )
    await _chain(client, world.hr, [{"approver": {"rule": "department_head"}}])
    assert await _preview(client, world, world.engineer.id) == [["Peer"]]
    assert await _preview(client, world, world.lead.id) == [[sales_account]]
    await make_user(
        runtime,
        org_id,
        Role.DEPT_HEAD,
        employee_id=world.member.id,
        department_scope_id=world.sales.id,
    )
    assert await _preview(client, world, world.lead.id) == [["Member", sales_account]]
    assert await _preview(client, world, world.junior.id) == [["Member", sales_account]], (
        "sales east: none"
    )
    await _leave(client, world, world.member.id)
    assert await _preview(client, world, world.lead.id) == [[sales_account]]


async def test_the_nth_manager_up_costs_the_same_statements_whatever_n(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    chain = await _chain(client, world.hr, [{"approver": {"rule": "manager", "level": 1}}])
    with count_statements(runtime) as near:
        assert await _preview(client, world, world.junior.id) == [["Member"]]
    far = {k: chain[k] for k in ("name", "kind", "version")}
    far["steps"] = [{"approver": {"rule": "manager", "level": 3}}]
    _ok(await client.patch(f"{CHAINS}/{chain['id']}", json=far, headers=world.hr.headers))
    with count_statements(runtime) as distant:
        assert await _preview(client, world, world.junior.id) == [["Boss"]]
    assert distant.count == near.count
