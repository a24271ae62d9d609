"""Accounts name their employee and department scope, audit events who acted (a user or an
integration key), beside the ids, in the same number of statements whatever the page."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.factories import Account, make_department, make_employee, make_org, make_user
from tests.people.conftest import count_statements

API = "/api/v1"


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _link(row: Any, name: str) -> dict[str, str]:
    return {"id": str(row.id), "name": name}


async def _head(runtime: Runtime, admin: Account, name: str) -> tuple[Account, Any, Any]:
    """A department head linked to an employee of the department they head."""
    department = await make_department(runtime, admin.org_id, f"{name} dept")
    employee = await make_employee(runtime, admin.org_id, department, name)
    account = await make_user(
        runtime,
        admin.org_id,
        Role.DEPT_HEAD,
        employee_id=employee.id,
        department_scope_id=department.id,
    )
    return account, employee, department


async def test_accounts_name_their_employee_and_scope_in_a_fixed_number_of_statements(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await make_org(runtime)
    first, employee, department = await _head(runtime, admin, "Li Lei")
    with count_statements(runtime) as few:
        page = _ok(await client.get(f"{API}/users", headers=admin.headers))
    shown = {u["id"]: u for u in page["items"]}
    assert shown[str(first.user_id)]["employee"] == _link(employee, "Li Lei")
    assert shown[str(first.user_id)]["department_scope"] == _link(department, "Li Lei dept")
    assert shown[str(first.user_id)]["employee_id"] == str(employee.id), "ids kept"
    assert (
        shown[str(admin.user_id)]["employee"],
        shown[str(admin.user_id)]["department_scope"],
    ) == (
        None,
        None,
    )

    for name in ("Han Meimei", "Wang Fang", "Zhao Lei"):
        await _head(runtime, admin, name)
    with count_statements(runtime) as many:
        page = _ok(await client.get(f"{API}/users", headers=admin.headers))
    assert len(page["items"]) == 5
    assert many.count == few.count
    assert sorted(u["employee"]["name"] for u in page["items"] if u["employee"]) == [
        "Han Meimei",
        "Li Lei",
        "Wang Fang",
        "Zhao Lei",
    ]
    one = _ok(await client.get(f"{API}/users/{first.user_id}", headers=first.headers))
    assert (one["employee"], one["department_scope"]) == (
        _link(employee, "Li Lei"),
        _link(department, "Li Lei dept"),
    )


async def test_audit_events_name_the_user_or_the_key_that_acted(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await make_org(runtime)
    department = await make_department(runtime, admin.org_id, "Sales")
    key = _ok(
        await client.post(
            f"{API}/api-keys",
            json={"name": "HRIS sync", "scopes": ["employees:write"]},
            headers=admin.headers,
        ),
        201,
    )
    as_key = {"Authorization": f"Bearer {key['key']}"}

    async def hire(number: int) -> None:
        body = {
            "employee_number": f"E{number}",
            "full_name": f"Person {number}",
            "department_id": str(department.id),
            "hire_date": "2026-01-05",
        }
        _ok(await client.post(f"{API}/employees", json=body, headers=as_key), 201)

    await hire(1)
    with count_statements(runtime) as few:
        events = _ok(await client.get(f"{API}/audit-events", headers=admin.headers))["items"]
    me = _ok(await client.get(f"{API}/users/{admin.user_id}", headers=admin.headers))
    by_key = next(e for e in events if e["actor_kind"] == "api_key")
    by_admin = next(e for e in events if e["action"] == "api_key.created")
    assert by_key["actor"] == {"id": key["id"], "name": "HRIS sync"}
    assert by_admin["actor"] == {"id": str(admin.user_id), "name": me["display_name"]}
    assert by_admin["actor_id"] == str(admin.user_id), "ids kept"

    for number in range(2, 7):
        await hire(number)
        _ok(await client.post(f"{API}/api-keys", json=key_body(number), headers=admin.headers), 201)
    with count_statements(runtime) as many:
        events = _ok(await client.get(f"{API}/audit-events", headers=admin.headers))["items"]
    assert len(events) >= 12
    assert many.count == few.count
    assert all(e["actor"] is not None for e in events if e["actor_id"] is not None)


def key_body(number: int) -> dict[str, Any]:
    return {"name": f"Key {number}", "scopes": ["org:read"]}
