"""Approval chains and running approvals over HTTP: manager, department head and HR for
grade M2+, a countersign where one rejects, the HR fallback when a chain resolves to
nobody, a delegation, a withdrawal, a chain edited while an approval runs, the preview."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.approvals import kinds
from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.approvals.conftest import ACTED, KIND, REFUSE, SPEC
from tests.factories import Account, make_org, make_user
from tests.people.conftest import World, count_statements, world

__all__ = ["world"]
API = "/api/v1"
CHAINS = f"{API}/approval-chains"
APPROVALS = f"{API}/approvals"

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


async def _chain(
    client: AsyncClient, hr: Account, steps: list[Any], name: str = "Promotions"
) -> Any:
    body = {"name": name, "kind": KIND, "steps": steps}
    return _ok(await client.post(CHAINS, json=body, headers=hr.headers), 201)


async def _submit(
    client: AsyncClient, account: Account, subject: Any, grade: str = "M2", **extra: Any
) -> Any:
    body = {
        "kind": KIND,
        "title": "Promote to team lead",
        "subject_employee_id": str(subject.id),
        "facts": {"grade": grade},
        **extra,
    }
    return _ok(await client.post(APPROVALS, json=body, headers=account.headers), 201)


async def _act(client: AsyncClient, account: Account, approval: Any, verb: str, **body: Any) -> Any:
    return await client.post(
        f"{APPROVALS}/{approval['id']}/{verb}", json=body, headers=account.headers
    )


async def _mine(client: AsyncClient, account: Account) -> list[str]:
    page = _ok(await client.get(f"{API}/me/approvals", headers=account.headers))
    return [item["id"] for item in page["items"]]


async def _open_tasks(client: AsyncClient, account: Account) -> list[Any]:
    page = _ok(await client.get(f"{API}/me/tasks?status=open", headers=account.headers))
    return [t for t in page["items"] if t["kind"] == "approvals.decision"]


class People:
    def __init__(self, hr: Account, head: Account, second_head: Account) -> None:
        self.hr, self.head, self.second_head = hr, head, second_head


@pytest.fixture
async def people(runtime: Runtime, world: World) -> People:
    """HR on the boss's record; the peer and the engineer both head sales east."""
    org_id = world.hr.org_id
    return People(
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
            department_scope_id=world.sales_east.id,
        ),
    )


async def test_manager_then_head_then_hr_for_m2_each_a_task_and_the_act_runs_once(
    client: AsyncClient, world: World, people: People
) -> None:
    await _chain(client, world.hr, MANAGER_HEAD_HR)
    approval = await _submit(client, world.member_account, world.member)
    assert (approval["status"], approval["runs_in"], approval["dingtalk"]) == (
        "pending",
        "hrcore",
        None,
    )
    assert approval["chain_revision"] == 1
    assert [a["approver"]["name"] for a in approval["assignments"]] == ["Lead"]
    assert await _mine(client, world.lead_account) == [approval["id"]]
    [task] = await _open_tasks(client, world.lead_account)
    assert task["completed_by"]["path"] == f"{APPROVALS}/{approval['id']}/approve"
    done = _ok(
        await client.post(
            f"{API}/tasks/{task['id']}/complete", json={}, headers=world.lead_account.headers
        ),
        422,
    )
    assert "approve" in done["detail"]

    assert (await _act(client, world.junior_account, approval, "approve")).status_code == 404
    after_lead = _ok(await _act(client, world.lead_account, approval, "approve", comment="Ready"))
    assert after_lead["current_step"] == 1
    assert (await _act(client, world.lead_account, approval, "approve")).status_code == 409
    assert await _open_tasks(client, world.lead_account) == []
    both_heads = [a["approver"]["name"] for a in after_lead["assignments"] if a["step"] == 1]
    assert sorted(both_heads) == ["Engineer", "Peer"]

    after_head = _ok(await _act(client, people.head, approval, "approve"))
    step_one = {
        a["approver"]["name"]: a["status"] for a in after_head["assignments"] if a["step"] == 1
    }
    assert step_one == {"Peer": "approved", "Engineer": "cancelled"}  # 或签: one is enough
    assert await _open_tasks(client, people.second_head) == []
    assert ACTED == []
    final = _ok(await _act(client, people.hr, approval, "approve"))
    assert final["status"] == "approved"
    assert final["current_step"] is None
    assert [a.approval_id for a in ACTED] == [uuid.UUID(approval["id"])]
    assert (await _act(client, people.hr, approval, "approve")).status_code == 409
    assert len(ACTED) == 1

    below = await _submit(client, world.member_account, world.member, grade="M1")
    _ok(await _act(client, world.lead_account, below, "approve"))
    last = _ok(await _act(client, people.head, below, "approve"))
    assert last["status"] == "approved"
    assert last["steps"][-1]["skipped"]
    assert last["steps"][-1]["reason"] == "Its condition does not hold"


async def test_a_countersign_where_one_rejects_is_rejected_and_the_other_task_cancelled(
    client: AsyncClient, world: World, people: People
) -> None:
    await _chain(client, world.hr, [{"approver": {"rule": "department_head"}, "mode": "all"}])
    approval = await _submit(client, world.member_account, world.member)
    _ok(await _act(client, people.head, approval, "approve"))
    assert len(await _open_tasks(client, people.second_head)) == 1
    missing = _ok(await _act(client, people.second_head, approval, "reject"), 422)
    assert [e["field"] for e in missing["errors"]] == ["body.comment"]
    rejected = _ok(await _act(client, people.second_head, approval, "reject", comment="Not yet"))
    assert rejected["status"] == "rejected"
    parts = {a["approver"]["name"]: (a["status"], a["comment"]) for a in rejected["assignments"]}
    assert parts == {"Peer": ("approved", None), "Engineer": ("rejected", "Not yet")}
    assert ACTED == []
    audit = _ok(
        await client.get(
            f"{API}/audit-events?object_type=approval&object_id={approval['id']}",
            headers=world.hr.headers,
        )
    )
    assert [(e["action"], e["after"]) for e in audit["items"]][:2] == [
        ("approval.rejected", {"step": 0, "comment": "Not yet"}),
        ("approval.approved", {"step": 0, "comment": None}),
    ]

    other = await _submit(client, world.member_account, world.member)
    _ok(await _act(client, people.head, other, "reject", comment="No budget"))
    assert await _open_tasks(client, people.second_head) == []
    shown = _ok(await client.get(f"{APPROVALS}/{other['id']}", headers=people.second_head.headers))
    assert {a["status"] for a in shown["assignments"]} == {"rejected", "cancelled"}


async def test_a_chain_resolving_to_nobody_falls_back_to_hr_as_stated(
    client: AsyncClient, world: World, people: People
) -> None:
    await _chain(client, world.hr, [{"approver": {"rule": "manager", "level": 5}}])
    preview = _ok(
        await client.post(
            f"{CHAINS}/preview",
            json={
                "kind": KIND,
                "subject_employee_id": str(world.member.id),
                "facts": {"grade": "M1"},
            },
            headers=world.hr.headers,
        )
    )
    assert preview["fallback"] is True
    assert preview["note"]
    assert preview["steps"][0]["reason"] == "Nobody holds this role for the subject"
    assert [r["name"] for r in preview["steps"][-1]["approvers"]] == ["Boss"]
    assert preview["steps"][-1]["approver_users"] == [], "the previewing HR account requests it"
    approval = await _submit(client, world.member_account, world.member)
    assert approval["fallback"] is True
    assert [
        (a["approver"] and a["approver"]["name"], a["approver_user"] and a["approver_user"]["name"])
        for a in approval["assignments"]
    ] == [("Boss", None), (None, "hr")]
    assert _ok(await _act(client, people.hr, approval, "approve"))["status"] == "approved"


async def test_preview_lists_who_approves_in_order_and_skips_the_requester(
    client: AsyncClient, world: World, people: People
) -> None:
    await _chain(client, world.hr, MANAGER_HEAD_HR)
    body = {
        "kind": KIND,
        "subject_employee_id": str(world.member.id),
        "requester_employee_id": str(world.lead.id),
        "facts": {"grade": "M3"},
    }
    preview = _ok(await client.post(f"{CHAINS}/preview", json=body, headers=world.hr.headers))
    assert (preview["runs_in"], preview["dingtalk_process_code"]) == ("hrcore", None)
    assert [(s["skipped"], s["reason"]) for s in preview["steps"]] == [
        (True, "The only approver is the requester or the subject"),
        (False, None),
        (False, None),
    ]
    assert [[a["name"] for a in s["approvers"]] for s in preview["steps"]][1:] == [
        ["Peer", "Engineer"]
        if str(world.peer.id) < str(world.engineer.id)
        else ["Engineer", "Peer"],
        ["Boss"],
    ]
    refused = await client.post(f"{CHAINS}/preview", json=body, headers=world.lead_account.headers)
    assert refused.status_code == 403
    unknown = await client.post(
        f"{CHAINS}/preview", json=body | {"facts": {"colour": "red"}}, headers=world.hr.headers
    )
    assert _ok(unknown, 422)["errors"][0]["field"] == "facts.colour"


async def test_delegation_withdrawal_and_a_chain_edited_while_running(
    client: AsyncClient, world: World, people: People, runtime: Runtime
) -> None:
    chain = await _chain(client, world.hr, MANAGER_HEAD_HR[:1])
    running = await _submit(client, world.member_account, world.member)
    edited = dict(chain, steps=MANAGER_HEAD_HR, version=chain["version"])
    for key in ("id", "revision", "created_at", "updated_at"):
        edited.pop(key)
    _ok(await client.patch(f"{CHAINS}/{chain['id']}", json=edited, headers=world.hr.headers))

    handed = _ok(
        await _act(client, world.lead_account, running, "delegate", employee_id=str(world.peer.id))
    )
    lead_part = next(a for a in handed["assignments"] if a["approver"]["name"] == "Lead")
    assert lead_part["status"] == "delegated"
    assert lead_part["delegated_to"]["name"] == "Peer"
    assert (await _act(client, world.lead_account, running, "approve")).status_code == 409
    done = _ok(await _act(client, people.head, running, "approve"))
    assert done["status"] == "approved"
    assert done["chain_revision"] == 1
    assert len(done["steps"]) == 1

    later = await _submit(client, world.member_account, world.member)
    assert later["chain_revision"] == 2
    assert (await _act(client, world.lead_account, later, "withdraw")).status_code == 403
    withdrawn = _ok(await _act(client, world.member_account, later, "withdraw"))
    assert withdrawn["status"] == "withdrawn"
    assert await _open_tasks(client, world.lead_account) == []
    assert (await _act(client, world.member_account, later, "withdraw")).status_code == 409

    other = await make_org(runtime)
    assert (
        await client.get(f"{APPROVALS}/{later['id']}", headers=other.headers)
    ).status_code == 404
    listed = _ok(await client.get(f"{APPROVALS}?status=withdrawn", headers=world.hr.headers))
    assert [a["id"] for a in listed["items"]] == [later["id"]]
    hidden = await client.get(f"{APPROVALS}/{later['id']}", headers=world.junior_account.headers)
    assert hidden.status_code == 404
    zh = await client.get(
        f"{APPROVALS}/{later['id']}",
        headers={**world.junior_account.headers, "Accept-Language": "zh-CN"},
    )
    assert zh.status_code == 404
    assert "审批" in zh.json()["detail"]


async def test_an_act_that_fails_undoes_the_last_decision(
    client: AsyncClient, world: World, people: People
) -> None:
    await _chain(client, world.hr, MANAGER_HEAD_HR[:1])
    approval = await _submit(client, world.member_account, world.member)
    REFUSE.add(uuid.UUID(approval["subject_id"]))
    assert (await _act(client, world.lead_account, approval, "approve")).status_code == 422
    still = _ok(
        await client.get(f"{APPROVALS}/{approval['id']}", headers=world.lead_account.headers)
    )
    assert still["status"] == "pending"
    assert still["assignments"][0]["status"] == "pending"
    REFUSE.clear()
    assert _ok(await _act(client, world.lead_account, approval, "approve"))["status"] == "approved"
    assert len(ACTED) == 1


async def test_chains_are_checked_one_per_kind(client: AsyncClient, world: World) -> None:
    bad = {"name": "X", "kind": "nobody.declares", "steps": MANAGER_HEAD_HR}
    assert (
        _ok(await client.post(CHAINS, json=bad, headers=world.hr.headers), 422)["errors"][0][
            "field"
        ]
        == "kind"
    )
    wrong_fact = [
        {
            "approver": {"rule": "manager"},
            "condition": {"fact": "colour", "op": "eq", "value": "red"},
        }
    ]
    body = {"name": "X", "kind": KIND, "steps": wrong_fact}
    found = _ok(await client.post(CHAINS, json=body, headers=world.hr.headers), 422)
    assert found["errors"][0]["field"] == "steps.0.condition.fact"
    await _chain(client, world.hr, MANAGER_HEAD_HR)
    again = await client.post(
        CHAINS, json={**body, "name": "Y", "steps": MANAGER_HEAD_HR}, headers=world.hr.headers
    )
    assert again.status_code == 409
    refused = await client.post(CHAINS, json=body, headers=world.lead_account.headers)
    assert refused.status_code == 403


async def test_a_page_of_approvals_costs_the_same_statements_however_many(
    client: AsyncClient, world: World, people: People, runtime: Runtime
) -> None:
    await _chain(client, world.hr, [{"approver": {"rule": "department_head"}, "mode": "all"}])
    await _submit(client, world.member_account, world.member)
    with count_statements(runtime) as few:
        _ok(await client.get(APPROVALS, headers=world.hr.headers))
    for _ in range(3):
        await _submit(client, world.member_account, world.member)
    await _submit(client, world.lead_account, world.junior)
    with count_statements(runtime) as many:
        page = _ok(await client.get(APPROVALS, headers=world.hr.headers))
    assert len(page["items"]) == 5
    assert many.count == few.count
    with count_statements(runtime) as mine:
        awaiting = await _mine(client, people.head)
    assert len(awaiting) == 5
    assert mine.count == few.count


async def test_return_for_changes_and_bad_delegations(
    client: AsyncClient, world: World, people: People
) -> None:
    await _chain(client, world.hr, MANAGER_HEAD_HR[:1])
    approval = await _submit(client, world.member_account, world.member)
    to_self = await _act(
        client, world.lead_account, approval, "delegate", employee_id=str(world.lead.id)
    )
    assert _ok(to_self, 422)["errors"][0]["field"] == "employee_id"
    unknown = await _act(
        client, world.lead_account, approval, "delegate", employee_id=str(uuid.uuid4())
    )
    assert _ok(unknown, 422)["errors"][0]["field"] == "employee_id"
    to_requester = await _act(
        client, world.lead_account, approval, "delegate", employee_id=str(world.member.id)
    )
    assert _ok(to_requester, 422)["errors"][0]["field"] == "employee_id", (
        "the requester (here also the subject) never decides their own approval"
    )
    assert (await _act(client, world.lead_account, approval, "return")).status_code == 422
    returned = _ok(await _act(client, world.lead_account, approval, "return", comment="Add goals"))
    assert returned["status"] == "returned"
    assert returned["assignments"][0]["comment"] == "Add goals"
    assert await _open_tasks(client, world.lead_account) == []
    assert await _mine(client, world.lead_account) == []
    assert (await _act(client, world.lead_account, approval, "approve")).status_code == 409


async def test_the_subject_never_approves_and_a_stated_fact_kind_alone_is_requested(
    client: AsyncClient, world: World, people: People
) -> None:
    """A rule naming the subject skips them (they never approve their own promotion), and
    `POST /approvals` starts only kinds whose facts a requester may state."""
    steps = [{"name": "Named", "approver": {"rule": "person", "employee_id": str(world.lead.id)}}]
    await _chain(client, world.hr, steps)
    body = {
        "kind": KIND,
        "subject_employee_id": str(world.lead.id),
        "requester_employee_id": str(world.member.id),
        "facts": {"grade": "M1"},
    }
    preview = _ok(await client.post(f"{CHAINS}/preview", json=body, headers=world.hr.headers))
    assert [(s["skipped"], s["reason"]) for s in preview["steps"][:1]] == [
        (True, "The only approver is the requester or the subject")
    ]
    with kinds.declared_for_test(dataclasses.replace(SPEC, requested_over_http=False)):
        refused = await client.post(
            APPROVALS,
            json={
                "kind": KIND,
                "title": "t",
                "subject_employee_id": str(world.member.id),
                "facts": {},
            },
            headers=world.member_account.headers | {"Accept-Language": "zh-CN"},
        )
        assert _ok(refused, 422)["errors"][0]["field"] == "kind"
