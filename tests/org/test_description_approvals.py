"""Position descriptions on the approval engine (kind `org.position_description`): a draft
starts its approval, on the default chain the other side decides it through `…/approve`
as before (or at `/approvals/{id}/approve`), the draft applies when the chain completes
and the position's other drafts' approvals are withdrawn; an organization's own chain adds
a step, and only the approvers it awaits decide it."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.org.models import Position
from tests.factories import Account, make_employee, make_position, make_user
from tests.org.conftest import World

KIND = "org.position_description"
API = "/api/v1"
PROPOSAL = {"summary": "Runs the eastern sales section.", "responsibilities": ["Open accounts"]}


@pytest.fixture
async def chief(runtime: Runtime, world: World) -> Position:
    return await make_position(runtime, world.hr.org_id, world.sales_east, "East chief")


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _propose(client: AsyncClient, position: Position, account: Account, summary: str) -> Any:
    return _ok(
        await client.post(
            f"{API}/positions/{position.id}/description-drafts",
            json=PROPOSAL | {"summary": summary},
            headers=account.headers,
        ),
        201,
    )


async def _approval_of(client: AsyncClient, world: World, draft: Any) -> Any:
    page = _ok(
        await client.get(f"{API}/approvals?subject_id={draft['id']}", headers=world.hr.headers)
    )
    [approval] = page["items"]
    return approval


async def _draft(client: AsyncClient, world: World, draft: Any) -> Any:
    return _ok(
        await client.get(f"{API}/description-drafts/{draft['id']}", headers=world.hr.headers)
    )


async def test_a_department_draft_runs_its_approval_and_hr_decides_it_as_before(
    client: AsyncClient, world: World, chief: Position
) -> None:
    draft = await _propose(client, chief, world.sales_head, "first")
    other = await _propose(client, chief, world.sales_head, "second")
    approval = await _approval_of(client, world, draft)
    assert (approval["kind"], approval["status"], approval["subject_employee"]) == (
        KIND,
        "pending",
        None,
    )
    assert approval["requester_user"]["id"] == str(world.sales_head.user_id)
    assert approval["title"] == "Description of the position East chief"
    assert approval["facts"] == {
        "department_id": str(world.sales_east.id),
        "author_side": "department",
        "position_id": str(chief.id),
    }
    assert [(s["name"], s["skipped"]) for s in approval["steps"]] == [("HR", False)]
    assert [r["name"] for r in approval["steps"][0]["approver_users"]] == ["hr"]
    mine = _ok(await client.get(f"{API}/me/approvals", headers=world.hr.headers))
    assert {a["id"] for a in mine["items"]} == {
        approval["id"],
        (await _approval_of(client, world, other))["id"],
    }

    own_side = await client.post(
        f"{API}/description-drafts/{draft['id']}/approve",
        headers=world.sales_head.headers | {"Accept-Language": "zh-CN"},
    )
    assert own_side.status_code == 403, own_side.text
    assert own_side.headers["content-type"] == "application/problem+json"
    approved = _ok(
        await client.post(
            f"{API}/description-drafts/{draft['id']}/approve", headers=world.hr.headers
        )
    )
    assert (approved["status"], approved["approved_by"]) == ("approved", str(world.hr.user_id))
    decided = await _approval_of(client, world, draft)
    assert decided["status"] == "approved"
    assert [(a["approver_user"]["name"], a["status"]) for a in decided["assignments"]] == [
        ("hr", "approved")
    ]
    assert (await _draft(client, world, other))["status"] == "superseded"
    assert (await _approval_of(client, world, other))["status"] == "withdrawn", (
        "nothing is left to decide on the superseded draft"
    )
    position = _ok(await client.get(f"{API}/positions/{chief.id}", headers=world.hr.headers))
    assert (position["description"]["summary"], position["description_revision"]) == ("first", 1)


async def test_approving_at_the_approval_applies_the_draft(
    client: AsyncClient, world: World, chief: Position
) -> None:
    draft = await _propose(client, chief, world.sales_head, "via the approval")
    approval = await _approval_of(client, world, draft)
    _ok(await client.post(f"{API}/approvals/{approval['id']}/approve", headers=world.hr.headers))
    assert (await _draft(client, world, draft))["status"] == "approved"
    position = _ok(await client.get(f"{API}/positions/{chief.id}", headers=world.hr.headers))
    assert position["description"]["summary"] == "via the approval"


async def test_an_hr_draft_is_decided_by_the_head_over_the_position_by_account(
    client: AsyncClient, runtime: Runtime, world: World, chief: Position
) -> None:
    """The sales head has no employee record: the chain asks their account. A position no
    head's department holds finds nobody on the other side, and no approval starts (the HR
    fallback would have HR decide HR's own draft)."""
    draft = await _propose(client, chief, world.hr, "by HR")
    approval = await _approval_of(client, world, draft)
    assert [(s["name"], s["skipped"]) for s in approval["steps"]] == [
        ("HR", True),
        ("Department", False),
    ]
    assert approval["assignments"][0]["approver_user"]["id"] == str(world.sales_head.user_id)
    approved = _ok(
        await client.post(
            f"{API}/description-drafts/{draft['id']}/approve", headers=world.sales_head.headers
        )
    )
    assert approved["status"] == "approved"

    registry = await make_position(runtime, world.hr.org_id, world.head_office, "Registrar")
    unheaded = await _propose(client, registry, world.hr, "nobody over it")
    listed = _ok(
        await client.get(f"{API}/approvals?subject_id={unheaded['id']}", headers=world.hr.headers)
    )
    assert listed["items"] == []


async def test_an_organizations_own_chain_adds_a_step_only_its_approvers_decide(
    client: AsyncClient, runtime: Runtime, world: World, chief: Position
) -> None:
    org_id = world.hr.org_id
    editor = await make_employee(runtime, org_id, world.head_office, "Editor")
    editor_account = await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=editor.id)
    other_hr = await make_user(runtime, org_id, Role.HR_ADMIN)
    chain = {
        "name": "Descriptions",
        "kind": KIND,
        "steps": [
            {"name": "HR", "approver": {"rule": "hr_admins"}},
            {"name": "Editor", "approver": {"rule": "person", "employee_id": str(editor.id)}},
        ],
    }
    _ok(await client.post(f"{API}/approval-chains", json=chain, headers=world.hr.headers), 201)
    draft = await _propose(client, chief, world.sales_head, "edited")
    url = f"{API}/description-drafts/{draft['id']}/approve"

    first = _ok(await client.post(url, headers=world.hr.headers))
    assert first["status"] == "open", "the chain has a further step"
    approval = await _approval_of(client, world, draft)
    assert (approval["status"], approval["current_step"]) == ("pending", 1)
    for language, detail in (
        ("en", "The draft awaits the decision of its approval's other approvers"),
        ("zh-CN", "该草稿正在等待审批流中其他审批人的决定"),
    ):
        waiting = await client.post(url, headers=other_hr.headers | {"Accept-Language": language})
        assert waiting.status_code == 409, waiting.text
        assert waiting.headers["content-type"] == "application/problem+json"
        assert waiting.json()["detail"] == detail
    assert (await _draft(client, world, draft))["status"] == "open", "nothing applied"

    _ok(
        await client.post(
            f"{API}/approvals/{approval['id']}/approve", headers=editor_account.headers
        )
    )
    done = await _draft(client, world, draft)
    assert (done["status"], done["approved_by"]) == ("approved", str(editor_account.user_id))
    position = _ok(await client.get(f"{API}/positions/{chief.id}", headers=world.hr.headers))
    assert position["description"]["summary"] == "edited"
