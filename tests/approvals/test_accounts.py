"""Approvals with accounts that have no employee record, over HTTP: an HR admin with only an
account approves on an `hr_admins` step (told in the inbox, listed in `/me/approvals`,
deciding and delegating like an employee), an account requests one (seen, listed and
withdrawn by it, 404 for other accounts and organizations), and a subject that is no
person (submitted through `approvals.api`) anchors its department rules on its
`department_id` fact while a `manager` rule names nobody."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.approvals import api, kinds
from hrcore.core.authz import Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from tests.approvals.conftest import KIND, SPEC
from tests.approvals.test_approvals import (
    APPROVALS,
    CHAINS,
    People,
    _act,
    _chain,
    _mine,
    _ok,
    _open_tasks,
    _submit,
    people,
)
from tests.approvals.test_dingtalk_approvals import Ding, ding, fake_dingtalk
from tests.factories import make_org, make_user
from tests.people.conftest import World, count_statements, world

__all__ = ["ding", "fake_dingtalk", "people", "world"]
API = "/api/v1"
HR_STEP = [{"name": "HR", "approver": {"rule": "hr_admins"}}]
POSITION_KIND = "test.position_change"


def _who(part: Any) -> str:
    return str((part["approver"] or part["approver_user"])["name"])


async def test_an_hr_admin_with_only_an_account_is_told_and_decides(
    client: AsyncClient, world: World, people: People, runtime: Runtime
) -> None:
    await _chain(client, world.hr, HR_STEP)
    approval = await _submit(client, world.member_account, world.member)
    assert [(_who(a), a["status"], a["task_id"] is None) for a in approval["assignments"]] == [
        ("Boss", "pending", False),
        ("hr", "pending", True),
    ], "the employee gets a task, the account an inbox notice"
    [step] = approval["steps"]
    assert (
        [r["name"] for r in step["approvers"]],
        [r["name"] for r in step["approver_users"]],
    ) == (
        ["Boss"],
        ["hr"],
    )
    inbox = _ok(await client.get(f"{API}/me/notifications", headers=world.hr.headers))
    [notice] = [n for n in inbox["items"] if n["kind"] == "approvals.decision_requested"]
    assert (notice["title"], notice["subject"]["id"]) == (
        "Approve: Promote to team lead",
        approval["id"],
    )
    assert await _mine(client, world.hr) == [approval["id"]]

    decided = _ok(await _act(client, world.hr, approval, "approve", comment="Fine"))
    assert decided["status"] == "approved"
    assert [(_who(a), a["status"], a["comment"]) for a in decided["assignments"]] == [
        ("Boss", "cancelled", None),
        ("hr", "approved", "Fine"),
    ]
    assert await _open_tasks(client, people.hr) == [], "the step closed: Boss's task cancelled"
    for language, detail in (
        ("en", "You have decided on this approval already"),
        ("zh-CN", "您已处理过该审批"),
    ):
        again = await client.post(
            f"{APPROVALS}/{approval['id']}/approve",
            json={},
            headers=world.hr.headers | {"Accept-Language": language},
        )
        assert again.status_code == 409, again.text
        assert again.headers["content-type"] == "application/problem+json"
        assert again.json()["detail"] == detail

    handed = await _submit(client, world.member_account, world.member)
    delegated = _ok(
        await _act(client, world.hr, handed, "delegate", employee_id=str(world.engineer.id))
    )
    assert [(_who(a), a["status"]) for a in delegated["assignments"]] == [
        ("Boss", "pending"),
        ("hr", "delegated"),
        ("Engineer", "pending"),
    ]
    assert await _mine(client, world.hr) == []


async def test_my_approvals_of_an_account_cost_the_same_whatever_their_number(
    client: AsyncClient, world: World, people: People, runtime: Runtime
) -> None:
    await _chain(client, world.hr, HR_STEP)
    await _submit(client, world.member_account, world.member)
    with count_statements(runtime) as few:
        assert len(await _mine(client, world.hr)) == 1
    for _ in range(3):
        await _submit(client, world.member_account, world.member)
    with count_statements(runtime) as many:
        assert len(await _mine(client, world.hr)) == 4
    assert many.count == few.count


async def test_an_account_requests_sees_and_withdraws_its_approval_and_no_one_else_sees_it(
    client: AsyncClient, world: World, people: People, runtime: Runtime
) -> None:
    await _chain(client, world.hr, [{"approver": {"rule": "manager"}}])
    approval = await _submit(client, world.sales_head, world.member)
    assert (approval["requester"], approval["requester_user"]["id"]) == (
        None,
        str(world.sales_head.user_id),
    )
    assert [_who(a) for a in approval["assignments"]] == ["Lead"]
    seen = _ok(await client.get(f"{APPROVALS}/{approval['id']}", headers=world.sales_head.headers))
    assert seen["id"] == approval["id"]
    listed = _ok(await client.get(APPROVALS, headers=world.sales_head.headers))
    assert [a["id"] for a in listed["items"]] == [approval["id"]]

    stranger = await make_user(runtime, world.hr.org_id, Role.EMPLOYEE)
    elsewhere = await make_org(runtime, "elsewhere")
    for outsider in (stranger, elsewhere):
        for language, detail in (("en", "No such approval"), ("zh-CN", "没有此审批")):
            hidden = await client.get(
                f"{APPROVALS}/{approval['id']}",
                headers=outsider.headers | {"Accept-Language": language},
            )
            assert hidden.status_code == 404, hidden.text
            assert hidden.headers["content-type"] == "application/problem+json"
            assert hidden.json()["detail"] == detail
        refused = await _act(client, outsider, approval, "withdraw")
        assert refused.status_code == 404
        assert _ok(await client.get(APPROVALS, headers=outsider.headers))["items"] == []

    withdrawn = _ok(await _act(client, world.sales_head, approval, "withdraw"))
    assert withdrawn["status"] == "withdrawn"


async def test_an_account_cannot_start_a_kind_the_organization_approves_in_dingtalk(
    client: AsyncClient, world: World, ding: Ding
) -> None:
    """DingTalk starts an instance as the requester's DingTalk user, which an account
    without an employee record has not: 422, nothing written."""
    body = {
        "kind": KIND,
        "title": "Promote to team lead",
        "subject_employee_id": str(world.member.id),
        "facts": {"grade": "M2"},
    }
    for language, detail in (
        ("en", "This kind is approved in DingTalk, and the requester has no DingTalk account"),
        ("zh-CN", "此类审批在钉钉中进行，但申请人没有钉钉账号"),
    ):
        refused = await client.post(
            APPROVALS, json=body, headers=world.sales_head.headers | {"Accept-Language": language}
        )
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["detail"] == detail
        assert [e["field"] for e in refused.json()["errors"]] == ["requester"]
    assert _ok(await client.get(APPROVALS, headers=world.hr.headers))["items"] == []
    assert ding.fake.instances == {}


@pytest.fixture
def position_kind() -> Iterator[None]:
    """A kind about something that is no person, anchored on its department."""
    spec = dataclasses.replace(
        SPEC,
        kind=POSITION_KIND,
        facts=(api.Fact("department_id", "department"),),
        default_steps=(
            {"name": "Manager", "approver": {"rule": "manager"}},
            {"name": "Head", "approver": {"rule": "department_head"}, "mode": "all"},
        ),
        requested_over_http=False,
    )
    with kinds.declared_for_test(spec):
        yield


async def _about_a_position(runtime: Runtime, world: World, department: uuid.UUID) -> str:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        return str(
            await api.submit(
                session,
                org_id=world.hr.org_id,
                kind=POSITION_KIND,
                title="Clerk description",
                subject_employee_id=None,
                subject_id=uuid.uuid4(),
                requester_employee_id=None,
                requester_user_id=world.hr.user_id,
                facts={"department_id": str(department)},
                clock=runtime.clock,
            )
        )


@pytest.mark.usefixtures("position_kind")
async def test_a_subject_that_is_no_person_is_anchored_on_its_department(
    client: AsyncClient, world: World, people: People, runtime: Runtime
) -> None:
    approval_id = await _about_a_position(runtime, world, world.sales_east.id)
    shown = _ok(await client.get(f"{APPROVALS}/{approval_id}", headers=world.hr.headers))
    assert (shown["subject_employee"], shown["requester"], shown["requester_user"]["name"]) == (
        None,
        None,
        "hr",
    )
    assert [(s["name"], s["skipped"], s["reason"]) for s in shown["steps"]] == [
        ("Manager", True, "Nobody holds this role for the subject"),
        ("Head", False, None),
    ]
    assert sorted(_who(a) for a in shown["assignments"]) == ["Engineer", "Peer"]

    preview = _ok(
        await client.post(
            f"{CHAINS}/preview",
            json={"kind": POSITION_KIND, "facts": {"department_id": str(world.sales_east.id)}},
            headers=world.hr.headers,
        )
    )
    assert [sorted(r["name"] for r in s["approvers"]) for s in preview["steps"]] == [
        [],
        ["Engineer", "Peer"],
    ]

    chain = {
        "name": "Managers",
        "kind": POSITION_KIND,
        "steps": [{"approver": {"rule": "manager"}}],
    }
    _ok(await client.post(CHAINS, json=chain, headers=world.hr.headers), 201)
    fallen = await _about_a_position(runtime, world, world.sales_east.id)
    shown = _ok(await client.get(f"{APPROVALS}/{fallen}", headers=world.hr.headers))
    assert shown["fallback"] is True, "a manager rule about no person names nobody"
    assert [_who(a) for a in shown["assignments"]] == ["Boss"], "never the requesting account"
