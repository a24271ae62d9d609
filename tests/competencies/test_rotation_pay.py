"""A rotation leg's allowance is pay (core.masking `hr_clear`): the rotated employee and HR
read it clear, their manager and the leg's host supervisor `null`."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.competencies.conftest import API, World, ok
from tests.factories import make_user


async def test_a_legs_allowance_is_masked_for_the_manager_and_the_host(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    start = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=7)
    leg = {
        "department_id": str(world.engineering.id),
        "post_title": "Assistant to the chief",
        "host_supervisor_id": str(world.engineer.id),
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=60)).isoformat(),
        "allowance": "800.00",
    }
    body = {"employee_id": str(world.member.id), "title": "Engineering", "legs": [leg]}
    plan = ok(await client.post(f"{API}/rotation-plans", json=body, headers=world.hr.headers), 201)
    assert plan["legs"][0]["allowance"] == "800.00"
    assert plan["legs"][0]["employee_id"] == str(world.member.id)
    host = await make_user(runtime, world.hr.org_id, Role.EMPLOYEE, employee_id=world.engineer.id)
    url = f"{API}/rotation-plans/{plan['id']}"
    seen = {}
    for name, headers in (
        ("employee", world.member_account.headers),
        ("hr", world.hr.headers),
        ("manager", world.lead_account.headers),
        ("host", host.headers),
    ):
        [read] = ok(await client.get(url, headers=headers))["legs"]
        [listed] = [
            item
            for item in ok(await client.get(f"{API}/rotation-plans", headers=headers))["items"]
            if item["id"] == plan["id"]
        ]
        seen[name] = (read["allowance"], listed["legs"][0]["allowance"])
    assert seen == {
        "employee": ("800.00", "800.00"),
        "hr": ("800.00", "800.00"),
        "manager": (None, None),
        "host": (None, None),
    }
