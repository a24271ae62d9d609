"""A returned approval resubmitted by its requester (changed facts, a new round from the
first step, the return kept), the audit trail of steps opened and an approval completed,
a subject's approval history, and the decision task's refusal as a sentence."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Any

from httpx import AsyncClient

from hrcore.approvals import kinds
from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.approvals.conftest import ACTED, SPEC
from tests.approvals.test_approvals import (
    API,
    APPROVALS,
    CHAINS,
    MANAGER_HEAD_HR,
    _act,
    _chain,
    _ok,
    _open_tasks,
    _submit,
)
from tests.factories import make_user
from tests.people.conftest import World, count_statements, world

__all__ = ["world"]
LEAD_THEN_HR_FOR_M2 = [MANAGER_HEAD_HR[0], MANAGER_HEAD_HR[2]]


async def _audit(client: AsyncClient, world: World, approval: Any) -> list[Any]:
    page = _ok(
        await client.get(
            f"{API}/audit-events?object_type=approval&object_id={approval['id']}&limit=50",
            headers=world.hr.headers,
        )
    )
    return list(reversed(page["items"]))


async def test_a_returned_approval_is_resubmitted_with_changed_facts_from_the_first_step(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    hr = await make_user(runtime, world.hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    await _chain(client, world.hr, LEAD_THEN_HR_FOR_M2)
    approval = await _submit(client, world.member_account, world.member, grade="M1")
    assert (await _act(client, world.member_account, approval, "resubmit")).status_code == 409
    _ok(await _act(client, world.lead_account, approval, "return", comment="Ask for M2"))

    assert (await _act(client, world.lead_account, approval, "resubmit")).status_code == 403
    assert (await _act(client, world.junior_account, approval, "resubmit")).status_code == 404
    unknown = await _act(client, world.member_account, approval, "resubmit", facts={"x": "1"})
    assert _ok(unknown, 422)["errors"][0]["field"] == "facts.x"
    again = _ok(
        await _act(
            client,
            world.member_account,
            approval,
            "resubmit",
            facts={"grade": "M2"},
            comment="Now M2",
        )
    )
    assert (again["status"], again["round"], again["current_step"]) == ("pending", 2, 0)
    assert again["facts"] == {"grade": "M2"}
    parts = [
        (a["round"], a["approver"]["name"], a["status"], a["comment"]) for a in again["assignments"]
    ]
    assert parts == [(1, "Lead", "returned", "Ask for M2"), (2, "Lead", "pending", None)]
    assert [(s["round"], s["step"]) for s in again["steps"]] == [(1, 0), (2, 0)]
    assert len(await _open_tasks(client, world.lead_account)) == 1
    assert (await _act(client, world.member_account, approval, "resubmit")).status_code == 409

    to_hr = _ok(await _act(client, world.lead_account, approval, "approve"))
    assert to_hr["current_step"] == 1, "the changed grade now needs HR"
    done = _ok(await _act(client, hr, approval, "approve"))
    assert done["status"] == "approved"
    assert [dict(a.facts) for a in ACTED] == [{"grade": "M2"}]

    actions = [
        (e["action"], (e["after"] or {}).get("round"))
        for e in await _audit(client, world, approval)
    ]
    assert actions == [
        ("approval.submitted", None),
        ("approval.step_opened", 1),
        ("approval.returned", None),
        ("approval.resubmitted", 2),
        ("approval.step_opened", 2),
        ("approval.approved", None),
        ("approval.step_opened", 2),
        ("approval.approved", None),
        ("approval.completed", 2),
    ]
    resubmitted = next(
        e for e in await _audit(client, world, approval) if e["action"] == "approval.resubmitted"
    )
    assert resubmitted["before"]["facts"] == {"grade": "M1"}
    assert resubmitted["after"]["comment"] == "Now M2"


async def test_a_resubmission_keeps_its_revision_and_only_stated_facts_change(
    client: AsyncClient, world: World
) -> None:
    chain = await _chain(client, world.hr, LEAD_THEN_HR_FOR_M2[:1])
    approval = await _submit(client, world.member_account, world.member, grade="M1")
    _ok(await _act(client, world.lead_account, approval, "return", comment="Fix the title"))
    edited = {k: chain[k] for k in ("name", "kind", "version")} | {"steps": MANAGER_HEAD_HR}
    _ok(await client.patch(f"{CHAINS}/{chain['id']}", json=edited, headers=world.hr.headers))
    with kinds.declared_for_test(dataclasses.replace(SPEC, requested_over_http=False)):
        refused = await _act(
            client, world.member_account, approval, "resubmit", facts={"grade": "M3"}
        )
        assert _ok(refused, 422)["errors"][0]["field"] == "facts"
        same = _ok(
            await _act(client, world.member_account, approval, "resubmit", title="Promote to lead")
        )
        assert (same["title"], same["facts"], same["round"]) == (
            "Promote to lead",
            {"grade": "M1"},
            2,
        )
        assert same["chain_revision"] == 1, "a resubmission keeps the revision it was submitted on"
        assert [s["name"] for s in same["steps"]] == ["Manager", "Manager"]


async def test_a_subjects_history_lists_its_approvals_with_their_decisions(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await _chain(client, world.hr, LEAD_THEN_HR_FOR_M2[:1])
    first = await _submit(client, world.member_account, world.member, grade="M1")
    _ok(await _act(client, world.lead_account, first, "reject", comment="Not this year"))
    object_id = str(uuid.uuid4())
    second = await _submit(client, world.member_account, world.member, subject_id=object_id)
    await _submit(client, world.lead_account, world.junior)

    history = _ok(
        await client.get(
            f"{APPROVALS}?subject_employee_id={world.member.id}", headers=world.hr.headers
        )
    )
    assert [a["id"] for a in history["items"]] == [first["id"], second["id"]]
    assert history["items"][0]["assignments"][0]["comment"] == "Not this year"
    by_object = _ok(
        await client.get(f"{APPROVALS}?subject_id={object_id}", headers=world.hr.headers)
    )
    assert [a["id"] for a in by_object["items"]] == [second["id"]]
    theirs = _ok(
        await client.get(
            f"{APPROVALS}?subject_employee_id={world.member.id}",
            headers=world.junior_account.headers,
        )
    )
    assert theirs["items"] == [], "the junior neither requested nor decides the member's"
    with count_statements(runtime) as few:
        _ok(await client.get(f"{APPROVALS}?subject_id={object_id}", headers=world.hr.headers))
    with count_statements(runtime) as many:
        _ok(
            await client.get(
                f"{APPROVALS}?subject_employee_id={world.member.id}", headers=world.hr.headers
            )
        )
    assert many.count == few.count


async def test_the_decision_task_refuses_completion_with_a_sentence_in_both_languages(
    client: AsyncClient, world: World
) -> None:
    await _chain(client, world.hr, LEAD_THEN_HR_FOR_M2[:1])
    await _submit(client, world.member_account, world.member, grade="M1")
    [task] = await _open_tasks(client, world.lead_account)
    path = f"{API}/tasks/{task['id']}/complete"
    english = _ok(await client.post(path, json={}, headers=world.lead_account.headers), 422)
    chinese = _ok(
        await client.post(
            path, json={}, headers={**world.lead_account.headers, "Accept-Language": "zh-CN"}
        ),
        422,
    )
    assert "/" not in english["detail"]
    assert "approval" in english["detail"]
    assert "/" not in chinese["detail"]
    assert "审批" in chinese["detail"]
