"""The HR fallback (no step of the chain has anyone) never asks the requester nor the
subject, as no step does: submitted by an HR admin, previewed about one, and refused (422)
when only they could approve."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.approvals.conftest import KIND
from tests.approvals.test_approvals import MANAGER_HEAD_HR, _act, _chain, _submit
from tests.factories import make_user
from tests.people.conftest import World, world

__all__ = ["world"]
API = "/api/v1"
NOBODY = [{"approver": {"rule": "manager", "level": 5}}]


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def test_the_fallback_asks_hr_admins_other_than_the_requester_and_the_subject(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    org_id = world.hr.org_id
    chain = {"name": "Promotions", "kind": KIND, "steps": NOBODY}
    _ok(await client.post(f"{API}/approval-chains", json=chain, headers=world.hr.headers), 201)
    body = {"kind": KIND, "title": "Promote", "subject_employee_id": str(world.member.id)}

    for language, detail in (
        ("zh-CN", "无人可审批：除申请人和当事人外，没有其他 HR 管理员"),
        ("en", "Nobody can approve this: no HR admin but the requester or the subject"),
    ):
        alone = await client.post(
            f"{API}/approvals",
            json=body | {"facts": {}},
            headers=world.hr.headers | {"Accept-Language": language},
        )
        assert alone.status_code == 422, "the requesting account is the only HR admin"
        assert alone.headers["content-type"] == "application/problem+json"
        assert alone.json()["detail"] == detail

    boss_hr = await make_user(runtime, org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    by_account = _ok(
        await client.post(f"{API}/approvals", json=body, headers=world.hr.headers), 201
    )
    assert (by_account["requester"], by_account["requester_user"]["name"]) == (None, "hr")
    assert [a["approver"]["name"] for a in by_account["assignments"]] == ["Boss"]

    await make_user(runtime, org_id, Role.HR_ADMIN, employee_id=world.engineer.id)
    approval = _ok(await client.post(f"{API}/approvals", json=body, headers=boss_hr.headers), 201)
    assert approval["fallback"] is True
    assert [(a["approver"] or a["approver_user"])["name"] for a in approval["assignments"]] == [
        "Engineer",
        "hr",
    ]

    about_boss = {"kind": KIND, "subject_employee_id": str(world.boss.id), "facts": {}}
    preview = _ok(
        await client.post(
            f"{API}/approval-chains/preview", json=about_boss, headers=world.hr.headers
        )
    )
    assert preview["fallback"] is True
    assert [a["name"] for a in preview["steps"][-1]["approvers"]] == ["Engineer"]
    assert preview["steps"][-1]["approver_users"] == [], "the previewing account requests it"


async def test_a_resubmission_no_step_applies_to_any_more_falls_back_to_hr_admins(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await make_user(runtime, world.hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    below_m2 = {"fact": "grade", "op": "lt", "value": "M2"}
    await _chain(client, world.hr, [{**MANAGER_HEAD_HR[0], "condition": below_m2}])
    approval = await _submit(client, world.member_account, world.member, grade="M1")
    assert approval["fallback"] is False
    _ok(await _act(client, world.lead_account, approval, "return", comment="Ask for M2"))
    again = _ok(
        await _act(client, world.member_account, approval, "resubmit", facts={"grade": "M2"})
    )
    assert (again["status"], again["round"], again["fallback"]) == ("pending", 2, True)
    assert [a["name"] for a in again["steps"][-1]["approvers"]] == ["Boss"]
