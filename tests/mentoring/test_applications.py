"""Mentor applications over HTTP: each rule checked in SQL when filed, HR approves (an
ineligible applicant only with an override reason) or rejects with a reason, approval makes a
mentor; reach, another organization, statement counts."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.runtime import Runtime
from tests.factories import Account, make_employee, make_org
from tests.mentoring.test_programs import make_program
from tests.people.conftest import World, count_statements, world
from tests.problems import assert_problem

__all__ = ["world"]
APPLICATIONS = "/api/v1/mentor-applications"
MENTORS = "/api/v1/mentors"
RULES = [
    {"kind": "top_performance", "letter": "A", "periods": 2},
    {"kind": "tenure", "min_months": 24},
]
ZH = {"Accept-Language": "zh-CN"}


async def _rate(client: AsyncClient, hr: Account, employee_id: Any, letters: str) -> None:
    for period, letter in zip(("2024", "2025"), letters, strict=True):
        response = await client.post(
            f"/api/v1/employees/{employee_id}/performance-ratings",
            json={"period": period, "letter": letter},
            headers=hr.headers,
        )
        assert response.status_code == 201, response.text


async def _apply(client: AsyncClient, account: Account, **body: Any) -> Any:
    response = await client.post(APPLICATIONS, json=body, headers=account.headers)
    assert response.status_code == 201, response.text
    return response.json()


async def _setup(client: AsyncClient, world: World) -> Any:
    """Lead rated A, A (qualifies); Member B, A (one A in a row: fails top performance)."""
    await _rate(client, world.hr, world.lead.id, "AA")
    await _rate(client, world.hr, world.member.id, "BA")
    return await make_program(client, world.hr, rules=RULES)


async def test_an_employee_applies_and_each_rule_is_checked_then_hr_approves(
    client: AsyncClient, world: World, owner_engine: AsyncEngine
) -> None:
    program = await _setup(client, world)
    application = await _apply(client, world.lead_account, program_id=program["id"])
    assert (application["source"], application["status"], application["eligible"]) == (
        "self",
        "pending",
        True,
    )
    [performance, tenure] = application["checks"]
    assert performance == {"kind": "top_performance", "value": 2.0, "passed": True}
    assert tenure["kind"] == "tenure"
    assert tenure["passed"]
    assert tenure["value"] >= 6.9
    again = await client.post(
        APPLICATIONS, json={"program_id": program["id"]}, headers=world.lead_account.headers
    )
    assert_problem(again, 409)
    approved = await client.post(
        f"{APPLICATIONS}/{application['id']}/approve", headers=world.hr.headers
    )
    assert approved.status_code == 200, approved.text
    assert (approved.json()["status"], approved.json()["overridden"]) == ("approved", False)
    [mentor] = (await client.get(MENTORS, headers=world.hr.headers)).json()["items"]
    assert (mentor["employee"]["id"], mentor["program"]["id"]) == (
        str(world.lead.id),
        program["id"],
    )
    assert (mentor["capacity"], mentor["load"], mentor["available"]) == (3, 0, True)
    own = await client.get(f"{MENTORS}/{mentor['id']}", headers=world.lead_account.headers)
    assert own.json() == mentor
    mentor_again = await client.post(
        APPLICATIONS, json={"program_id": program["id"]}, headers=world.lead_account.headers
    )
    assert_problem(mentor_again, 409)
    twice = await client.post(
        f"{APPLICATIONS}/{application['id']}/approve", headers=world.hr.headers
    )
    assert_problem(twice, 409)
    async with owner_engine.connect() as connection:
        actions = (
            await connection.execute(
                select(AuditEvent.action).where(AuditEvent.object_id == application["id"])
            )
        ).scalars()
        assert sorted(actions) == ["mentor_application.approved", "mentor_application.created"]


async def test_an_ineligible_nominee_needs_an_override_reason_audited(
    client: AsyncClient, world: World, owner_engine: AsyncEngine
) -> None:
    program = await _setup(client, world)
    nominated = await _apply(
        client, world.hr, program_id=program["id"], employee_id=str(world.member.id)
    )
    assert (nominated["source"], nominated["eligible"]) == ("hr", False)
    assert nominated["checks"][0] == {"kind": "top_performance", "value": 1.0, "passed": False}
    refused = await client.post(
        f"{APPLICATIONS}/{nominated['id']}/approve", json={}, headers=world.hr.headers | ZH
    )
    body = assert_problem(refused, 422, fields={"checks[0]"})
    assert "破格理由" in body["detail"]
    assert "top_performance" in body["errors"][0]["message"]
    approved = await client.post(
        f"{APPLICATIONS}/{nominated['id']}/approve",
        json={"override_reason": "Coaches the whole east team"},
        headers=world.hr.headers,
    )
    assert approved.status_code == 200, approved.text
    assert (approved.json()["overridden"], approved.json()["decision_reason"]) == (
        True,
        "Coaches the whole east team",
    )
    async with owner_engine.connect() as connection:
        [after] = (
            await connection.execute(
                select(AuditEvent.after).where(
                    AuditEvent.action == "mentor_application.approved",
                    AuditEvent.object_id == nominated["id"],
                )
            )
        ).scalars()
    assert (after["overridden"], after["override_reason"]) == (True, "Coaches the whole east team")


async def test_reject_needs_a_reason_and_only_hr_decides(client: AsyncClient, world: World) -> None:
    program = await _setup(client, world)
    application = await _apply(client, world.member_account, program_id=program["id"])
    decide = f"{APPLICATIONS}/{application['id']}"
    assert_problem(
        await client.post(f"{decide}/reject", json={}, headers=world.hr.headers),
        422,
        fields={"body.reason"},
    )
    assert_problem(
        await client.post(
            f"{decide}/reject", json={"reason": "No"}, headers=world.sales_head.headers
        ),
        403,
    )
    rejected = await client.post(
        f"{decide}/reject", json={"reason": "Not this year"}, headers=world.hr.headers
    )
    assert (rejected.json()["status"], rejected.json()["decision_reason"]) == (
        "rejected",
        "Not this year",
    )
    assert_problem(
        await client.post(f"{decide}/approve", json={}, headers=world.hr.headers | ZH),
        409,
        detail="该申请已审批完毕",
    )
    again = await _apply(client, world.member_account, program_id=program["id"])
    assert again["status"] == "pending"
    assert (await client.get(MENTORS, headers=world.hr.headers)).json()["items"] == []


async def test_who_may_apply_for_whom_and_where(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    program = await _setup(client, world)
    assert_problem(
        await client.post(
            APPLICATIONS,
            json={"program_id": program["id"], "employee_id": str(world.lead.id)},
            headers=world.member_account.headers | ZH,
        ),
        403,
        detail="只有 HR 管理员可以提名他人担任导师",
    )
    engineering = await make_program(
        client, world.hr, "Engineering", department_id=str(world.engineering.id), rules=RULES
    )
    outside = await client.post(
        APPLICATIONS,
        json={"program_id": engineering["id"], "employee_id": str(world.lead.id)},
        headers=world.hr.headers,
    )
    assert_problem(outside, 422, fields={"employee_id"})
    hidden = await client.post(
        APPLICATIONS, json={"program_id": engineering["id"]}, headers=world.lead_account.headers
    )
    assert_problem(hidden, 404)
    closed = await make_program(client, world.hr, "Closed", active=False)
    assert_problem(
        await client.post(
            APPLICATIONS, json={"program_id": closed["id"]}, headers=world.lead_account.headers
        ),
        409,
    )
    unknown = await client.post(
        APPLICATIONS, json={"program_id": program["id"]}, headers=world.hr.headers
    )
    assert_problem(unknown, 422, fields={"employee_id"})


async def test_applications_and_mentors_are_seen_within_reach(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    program = await _setup(client, world)
    lead = await _apply(client, world.lead_account, program_id=program["id"])
    engineer = await _apply(
        client, world.hr, program_id=program["id"], employee_id=str(world.engineer.id)
    )

    async def seen(account: Account) -> set[str]:
        response = await client.get(APPLICATIONS, headers=account.headers)
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    assert await seen(world.hr) == {lead["id"], engineer["id"]}
    assert await seen(world.sales_head) == {lead["id"]}
    assert await seen(world.member_account) == set()
    assert await seen(world.lead_account) == {lead["id"]}
    for application in (lead, engineer):
        await client.post(
            f"{APPLICATIONS}/{application['id']}/approve",
            json={"override_reason": "Needed"},
            headers=world.hr.headers,
        )
    mentors = (await client.get(MENTORS, headers=world.hr.headers)).json()["items"]
    by_employee = {item["employee"]["id"]: item["id"] for item in mentors}
    assert_problem(
        await client.get(
            f"{MENTORS}/{by_employee[str(world.engineer.id)]}", headers=world.sales_head.headers
        ),
        404,
    )
    other = await make_org(runtime)
    assert_problem(
        await client.get(f"{MENTORS}/{by_employee[str(world.lead.id)]}", headers=other.headers),
        404,
    )
    assert_problem(
        await client.post(
            f"{APPLICATIONS}/{engineer['id']}/reject", json={"reason": "x"}, headers=other.headers
        ),
        404,
    )
    assert (await client.get(APPLICATIONS, headers=other.headers)).json()["items"] == []


async def test_the_lists_cost_the_same_statements_for_more_rows(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    program = await make_program(client, world.hr, rules=[])
    first = await _apply(client, world.hr, program_id=program["id"], employee_id=str(world.lead.id))
    await client.post(f"{APPLICATIONS}/{first['id']}/approve", headers=world.hr.headers)
    counts = {}
    for path in (APPLICATIONS, MENTORS):
        with count_statements(runtime) as few:
            await client.get(path, headers=world.sales_head.headers)
        counts[path] = few.count
    for index in range(4):
        extra = await make_employee(runtime, world.hr.org_id, world.sales, f"Extra {index}")
        made = await _apply(client, world.hr, program_id=program["id"], employee_id=str(extra.id))
        await client.post(f"{APPLICATIONS}/{made['id']}/approve", headers=world.hr.headers)
    for path in (APPLICATIONS, MENTORS):
        with count_statements(runtime) as many:
            response = await client.get(path, headers=world.sales_head.headers)
        assert len(response.json()["items"]) == 5
        assert many.count == counts[path], path
