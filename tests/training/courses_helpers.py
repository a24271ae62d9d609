"""An organization to test courses, sessions and enrolments in: HR, a reporting line
(lead → member → junior, and a peer elsewhere), accounts for each, and another
organization."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.org.models import Department
from hrcore.people.models import Employee
from tests.factories import Account, make_employee, make_org, make_tree, make_user

COURSES = "/api/v1/courses"
SESSIONS = "/api/v1/course-sessions"
ME_ENROLMENTS = "/api/v1/me/enrolments"


@dataclass(frozen=True)
class World:
    hr: Account
    sales: Department
    sales_east: Department
    engineering: Department
    lead: Employee
    member: Employee
    junior: Employee
    peer: Employee
    lead_account: Account
    member_account: Account
    junior_account: Account
    peer_account: Account
    other: Account


@pytest.fixture
async def world(runtime: Runtime, cheap_passwords: None) -> World:
    hr = await make_org(runtime)
    org_id = hr.org_id
    tree = await make_tree(runtime, org_id)
    lead = await make_employee(runtime, org_id, tree.sales, "Lead")
    member = await make_employee(runtime, org_id, tree.sales_east, "Member", manager=lead)
    junior = await make_employee(runtime, org_id, tree.sales_east, "Junior", manager=member)
    peer = await make_employee(runtime, org_id, tree.engineering, "Peer")
    return World(
        hr=hr,
        sales=tree.sales,
        sales_east=tree.sales_east,
        engineering=tree.engineering,
        lead=lead,
        member=member,
        junior=junior,
        peer=peer,
        lead_account=await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=lead.id),
        member_account=await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=member.id),
        junior_account=await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=junior.id),
        peer_account=await make_user(runtime, org_id, Role.EMPLOYEE, employee_id=peer.id),
        other=await make_org(runtime),
    )


async def create_course(client: AsyncClient, hr: Account, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": f"Course {uuid.uuid4().hex[:6]}",
        "mode": "offline",
        "hours": "3.0",
    }
    body.update(fields)
    answer = await client.post(COURSES, json=body, headers=hr.headers)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


async def create_session(
    client: AsyncClient, hr: Account, course_id: str, **fields: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "course_id": course_id,
        "starts_at": "2027-03-10T01:00:00Z",
        "ends_at": "2027-03-10T04:00:00Z",
        "place": "Room 301",
        "capacity": 2,
    }
    body.update(fields)
    answer = await client.post(SESSIONS, json=body, headers=hr.headers)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


async def enrol(
    client: AsyncClient, account: Account, session_id: str, body: dict[str, Any] | None = None
) -> Any:
    return await client.post(
        f"{SESSIONS}/{session_id}/enrolments", json=body, headers=account.headers
    )
