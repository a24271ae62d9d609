"""Privacy requests over HTTP: a person asks, HR gets a confidential task due in 15 working
days (or the organization's own deadline), resolves it — a refusal needs its reason, a
deletion under a legal hold is not done — and the person is told in the inbox; the person
reads their own, HR all, anyone else 404."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient, Response

from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.privacy.requests import TASK_KIND
from tests.conftest import frozen_clock, recorded_statements
from tests.factories import Account, make_org, make_user
from tests.people.conftest import World, world
from tests.problems import assert_problem

__all__ = ["world"]
API = "/api/v1"
MONDAY = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)
"""10:00 in Shanghai, a working Monday; 15 working days later is Monday 22 March."""


class People:
    def __init__(self, member: Account, hr_boss: Account) -> None:
        self.member, self.hr_boss = member, hr_boss


@pytest.fixture
async def requests_people(runtime: Runtime, world: World) -> People:
    """The member's account, and the boss as an HR admin with an employee record (HR's
    tasks go to them)."""
    org_id = world.hr.org_id
    member = await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=world.member.id)
    hr_boss = await make_user(runtime, org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    return People(member, hr_boss)


@pytest.fixture
async def requests_clock(runtime: Runtime) -> AsyncIterator[FrozenClock]:
    async with frozen_clock(runtime, MONDAY) as clock:
        yield clock


def _ok(response: Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _file(client: AsyncClient, account: Account, kind: str = "delete") -> Any:
    body = {"kind": kind, "message": "请删除我的家庭住址"}
    return _ok(
        await client.post(f"{API}/privacy-requests", json=body, headers=account.headers), 201
    )


async def test_a_request_is_a_task_for_hr_due_in_working_days_and_answered(
    client: AsyncClient, world: World, requests_people: People, requests_clock: FrozenClock
) -> None:
    member, hr_boss = requests_people.member, requests_people.hr_boss
    filed = await _file(client, member)
    assert (filed["status"], filed["due_on"], filed["kind"]) == ("open", "2027-03-22", "delete")
    assert filed["employee"] == {"id": str(world.member.id), "name": "Member"}
    task = _ok(await client.get(f"{API}/tasks/{filed['task_id']}", headers=hr_boss.headers))
    assert (task["kind"], task["status"], task["assignee_employee_id"]) == (
        TASK_KIND,
        "open",
        str(world.boss.id),
    )
    assert task["due_at"].startswith("2027-03-22")
    early = await client.post(
        f"{API}/tasks/{filed['task_id']}/complete", json={}, headers=hr_boss.headers
    )
    assert_problem(early, 422, fields={"task"})
    inbox = _ok(await client.get(f"{API}/me/notifications", headers=world.hr.headers))["items"]
    assert [n["kind"] for n in inbox] == ["privacy.request_filed"]

    assert [
        r["id"]
        for r in _ok(await client.get(f"{API}/privacy-requests", headers=member.headers))["items"]
    ] == [filed["id"]]
    assert [
        r["id"]
        for r in _ok(await client.get(f"{API}/privacy-requests", headers=world.hr.headers))["items"]
    ] == [filed["id"]]
    lead = world.lead_account
    assert _ok(await client.get(f"{API}/privacy-requests", headers=lead.headers))["items"] == []
    assert_problem(
        await client.get(f"{API}/privacy-requests/{filed['id']}", headers=lead.headers), 404
    )
    resolve = f"{API}/privacy-requests/{filed['id']}/resolve"
    assert_problem(
        await client.post(resolve, json={"outcome": "done"}, headers=member.headers), 403
    )
    assert_problem(await client.post(resolve, json={"outcome": "done"}, headers=lead.headers), 404)
    no_reason = await client.post(resolve, json={"outcome": "refused"}, headers=world.hr.headers)
    assert_problem(no_reason, 422, fields={"reason"})
    blank = await client.post(
        resolve, json={"outcome": "refused", "reason": "  "}, headers=world.hr.headers
    )
    assert_problem(blank, 422, fields={"reason"})
    reason = "劳动合同法第五十条：解除劳动合同的文本须保存两年"
    refused = _ok(
        await client.post(
            resolve, json={"outcome": "refused", "reason": reason}, headers=world.hr.headers
        )
    )
    assert (refused["status"], refused["resolution"]) == ("refused", reason)
    again = await client.post(
        resolve, json={"outcome": "done", "reason": "done"}, headers=world.hr.headers
    )
    assert_problem(again, 409)
    task = _ok(await client.get(f"{API}/tasks/{filed['task_id']}", headers=hr_boss.headers))
    assert task["status"] == "completed"
    told = _ok(await client.get(f"{API}/me/notifications", headers=member.headers))["items"]
    assert [(n["kind"], n["body"]) for n in told] == [("privacy.request_refused", reason)]
    mine = _ok(await client.get(f"{API}/privacy-requests/{filed['id']}", headers=member.headers))
    assert mine["status"] == "refused"


async def test_the_organization_sets_its_deadline(
    client: AsyncClient, world: World, requests_people: People, requests_clock: FrozenClock
) -> None:
    defaults = _ok(await client.get(f"{API}/privacy-settings", headers=world.hr.headers))
    assert defaults == {"request_deadline_days": 15, "export_link_days": 7, "version": 0}
    too_long = {"request_deadline_days": 20, "export_link_days": 7}
    assert_problem(
        await client.put(f"{API}/privacy-settings", json=too_long, headers=world.hr.headers),
        422,
        fields={"body.request_deadline_days"},
    )
    member = requests_people.member
    assert_problem(
        await client.put(
            f"{API}/privacy-settings",
            json={"request_deadline_days": 10, "export_link_days": 3},
            headers=member.headers,
        ),
        403,
    )
    _ok(
        await client.put(
            f"{API}/privacy-settings",
            json={"request_deadline_days": 10, "export_link_days": 3},
            headers=world.hr.headers,
        )
    )
    filed = await _file(client, member, "correct")
    assert filed["due_on"] == "2027-03-15"


async def test_a_deletion_under_legal_hold_is_refused_with_its_reason(
    client: AsyncClient, world: World, requests_people: People, requests_clock: FrozenClock
) -> None:
    hold = await client.post(
        f"{API}/legal-holds",
        json={"employee_id": str(world.member.id), "reason": "Labour arbitration 2027-01"},
        headers=world.hr.headers,
    )
    assert hold.status_code == 201, hold.text
    filed = await _file(client, requests_people.member)
    resolve = f"{API}/privacy-requests/{filed['id']}/resolve"
    refused = await client.post(resolve, json={"outcome": "done"}, headers=world.hr.headers)
    assert_problem(refused, 409, detail="Labour arbitration 2027-01")
    released = await client.delete(
        f"{API}/legal-holds/{hold.json()['id']}", headers=world.hr.headers
    )
    assert released.status_code == 204, released.text
    done = _ok(await client.post(resolve, json={"outcome": "done"}, headers=world.hr.headers))
    assert (done["status"], done["resolution"]) == ("done", None)


async def test_keys_accounts_without_employee_and_other_organizations(
    client: AsyncClient, runtime: Runtime, world: World, requests_people: People
) -> None:
    no_employee = await client.post(
        f"{API}/privacy-requests", json={"kind": "copy", "message": "x"}, headers=world.hr.headers
    )
    assert_problem(no_employee, 404)
    bad = await client.post(
        f"{API}/privacy-requests",
        json={"kind": "erase", "message": ""},
        headers=requests_people.member.headers,
    )
    assert_problem(bad, 422, fields={"body.kind", "body.message"})
    filed = await _file(client, requests_people.member, "object")
    other = await make_org(runtime)
    foreign = await client.get(f"{API}/privacy-requests/{filed['id']}", headers=other.headers)
    assert_problem(foreign, 404)


async def test_the_lists_cost_the_same_statements_for_one_or_many(
    client: AsyncClient, runtime: Runtime, world: World, requests_people: People
) -> None:
    """HR's list of privacy requests and a person's consents: one page, a fixed number of
    statements however many people and texts it shows."""
    org_id = world.hr.org_id

    async def counted(path: str, account: Account) -> tuple[int, int]:
        with recorded_statements(runtime) as statements:
            response = await client.get(f"{API}{path}", headers=account.headers)
        items = _ok(response)["items"]
        return len(statements), len(items)

    await _file(client, requests_people.member)
    one = await counted("/privacy-requests", world.hr)
    for employee in (world.lead, world.junior, world.peer, world.engineer):
        account = await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=employee.id)
        await _file(client, account, "copy")
    many = await counted("/privacy-requests", world.hr)
    assert (one[1], many[1]) == (1, 5)
    assert many[0] == one[0]

    text = {"title_zh": "同意书", "title_en": "Consent", "body_zh": "正文", "body_en": "Body"}
    member = requests_people.member
    for purpose in ("sensitive_data", "cross_border_transfer"):
        published = _ok(
            await client.post(
                f"{API}/consent-texts", json=text | {"purpose": purpose}, headers=world.hr.headers
            ),
            201,
        )
        _ok(
            await client.post(
                f"{API}/me/consents", json={"text_id": published["id"]}, headers=member.headers
            ),
            201,
        )
        if purpose == "sensitive_data":
            first = await counted("/me/consents", member)
    both = await counted("/me/consents", member)
    assert (first[1], both[1]) == (1, 2)
    assert both[0] == first[0]
