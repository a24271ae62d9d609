"""Channels name the department they serve beside its id, in the same number of statements
whatever the page."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.channels.conftest import Configure, FakeDingTalk
from tests.channels.test_channels import BASE, _robot
from tests.factories import make_department, make_org
from tests.people.conftest import count_statements


def _names(page: Any) -> dict[str, Any]:
    return {c["name"]: c["department"] for c in page["items"]}


async def test_channels_name_their_department_in_a_fixed_number_of_statements(
    api: AsyncClient, runtime: Runtime, configure: Configure, fake_dingtalk: FakeDingTalk
) -> None:
    hr = await make_org(runtime)
    sales = await make_department(runtime, hr.org_id, "Sales")
    created = await _robot(api, hr, fake_dingtalk, "r1", sales)
    assert created["department"] == {"id": str(sales.id), "name": "Sales"}
    await _robot(api, hr, fake_dingtalk, "r2")
    with count_statements(runtime) as few:
        listed = await api.get(BASE, headers=hr.headers)
    assert listed.status_code == 200, listed.text
    assert _names(listed.json()) == {
        "Group 1": {"id": str(sales.id), "name": "Sales"},
        "Group 2": None,
    }

    for index in range(3, 7):
        department = await make_department(runtime, hr.org_id, f"Branch {index}")
        await _robot(api, hr, fake_dingtalk, f"r{index}", department)
    with count_statements(runtime) as many:
        listed = await api.get(BASE, headers=hr.headers)
    assert len(listed.json()["items"]) == 6
    assert many.count == few.count
    assert _names(listed.json())["Group 6"] == {"name": "Branch 6", "id": str(department.id)}
    assert all(
        c["department_id"] == (c["department"] or {}).get("id") for c in listed.json()["items"]
    )
