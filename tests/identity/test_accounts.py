"""Accounts, integration keys and the audit log."""

from __future__ import annotations

import uuid

from httpx import AsyncClient
from sqlalchemy import select

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.identity.models import ApiKey
from tests.factories import make_department, make_employee, make_org, make_user


async def test_hr_creates_a_user_with_a_one_time_password(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await make_org(runtime, "acme")
    department = await make_department(runtime, admin.org_id, "Sales")
    employee = await make_employee(runtime, admin.org_id, department, "Li Lei")
    created = await client.post(
        "/api/v1/users",
        json={
            "email": "Head@Acme.example",
            "display_name": "Head",
            "roles": ["dept_head", "employee"],
            "employee_id": str(employee.id),
            "department_scope_id": str(department.id),
        },
        headers=admin.headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["email"] == "head@acme.example"
    assert body["must_change_password"] is True
    assert len(body["one_time_password"]) >= 12
    login = await client.post(
        "/api/v1/auth/token",
        json={"org": "acme", "email": "head@acme.example", "password": body["one_time_password"]},
    )
    token = login.json()["access_token"]
    me = (await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})).json()
    assert me["employee"] == {"id": str(employee.id), "name": "Li Lei", "full_name": "Li Lei"}
    own = await client.get(f"/api/v1/employees/{employee.id}", headers=admin.headers)
    assert own.json()["full_name"] == me["employee"]["full_name"], "one name for one person"
    assert me["department_scope"] == {"id": str(department.id), "name": "Sales"}
    fetched = (await client.get(f"/api/v1/users/{body['id']}", headers=admin.headers)).json()
    assert "one_time_password" not in fetched


async def test_user_input_is_validated(client: AsyncClient, runtime: Runtime) -> None:
    admin = await make_org(runtime)
    other = await make_org(runtime)
    foreign = await make_department(runtime, other.org_id, "Elsewhere")
    await client.post(
        "/api/v1/users", json={"email": "a@x.example", "display_name": "A"}, headers=admin.headers
    )
    cases = [
        ({"email": "a@x.example", "display_name": "A"}, 409),
        ({"email": "not-an-email", "display_name": "B"}, 422),
        ({"email": "b@x.example", "display_name": "B", "roles": ["dept_head"]}, 422),
        ({"email": "b@x.example", "display_name": "B", "roles": ["god"]}, 422),
        (
            {
                "email": "b@x.example",
                "display_name": "B",
                "roles": ["dept_head"],
                "department_scope_id": str(foreign.id),
            },
            422,
        ),
        ({"email": "b@x.example", "display_name": "B", "employee_id": str(uuid.uuid4())}, 422),
    ]
    for body, status in cases:
        response = await client.post("/api/v1/users", json=body, headers=admin.headers)
        assert response.status_code == status, (body, response.text)


async def test_only_hr_manages_accounts(client: AsyncClient, runtime: Runtime) -> None:
    admin = await make_org(runtime)
    employee = await make_user(runtime, admin.org_id, Role.EMPLOYEE)
    peer = await make_user(runtime, admin.org_id, Role.EMPLOYEE)
    assert (await client.get("/api/v1/users", headers=employee.headers)).status_code == 403
    create = await client.post(
        "/api/v1/users",
        json={"email": "x@x.example", "display_name": "X"},
        headers=employee.headers,
    )
    assert create.status_code == 403
    assert (
        await client.get(f"/api/v1/users/{peer.user_id}", headers=employee.headers)
    ).status_code == 404
    assert (
        await client.get(f"/api/v1/users/{employee.user_id}", headers=employee.headers)
    ).status_code == 200
    promote = await client.patch(
        f"/api/v1/users/{employee.user_id}", json={"roles": ["hr_admin"]}, headers=employee.headers
    )
    assert promote.status_code == 403


async def test_other_organizations_are_invisible(client: AsyncClient, runtime: Runtime) -> None:
    admin = await make_org(runtime)
    other = await make_org(runtime)
    stranger = await make_user(runtime, other.org_id)
    assert (
        await client.get(f"/api/v1/users/{stranger.user_id}", headers=admin.headers)
    ).status_code == 404
    patched = await client.patch(
        f"/api/v1/users/{stranger.user_id}", json={"is_active": False}, headers=admin.headers
    )
    assert patched.status_code == 404
    listed = (
        await client.get("/api/v1/users", params={"limit": 200}, headers=admin.headers)
    ).json()
    assert {item["id"] for item in listed["items"]} == {str(admin.user_id)}


async def test_role_changes_are_versioned_and_audited(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await make_org(runtime)
    user = await make_user(runtime, admin.org_id)
    url = f"/api/v1/users/{user.user_id}"
    etag = (await client.get(url, headers=admin.headers)).headers["etag"]
    ok = await client.patch(
        url, json={"roles": ["employee", "hr_admin"]}, headers={**admin.headers, "If-Match": etag}
    )
    assert ok.status_code == 200
    assert ok.json()["roles"] == ["employee", "hr_admin"]
    stale = await client.patch(
        url, json={"roles": ["employee"]}, headers={**admin.headers, "If-Match": etag}
    )
    assert stale.status_code == 412
    events = (
        await client.get(
            "/api/v1/audit-events",
            params={"object_type": "user", "object_id": str(user.user_id)},
            headers=admin.headers,
        )
    ).json()["items"]
    assert [event["action"] for event in events] == ["user.updated"]
    assert events[0]["before"] == {"roles": ["employee"]}
    assert events[0]["after"] == {"roles": ["employee", "hr_admin"]}
    assert events[0]["actor_id"] == str(admin.user_id)
    assert events[0]["request_id"]


async def test_admin_cannot_lock_themself_out(client: AsyncClient, runtime: Runtime) -> None:
    admin = await make_org(runtime)
    response = await client.patch(
        f"/api/v1/users/{admin.user_id}", json={"roles": ["employee"]}, headers=admin.headers
    )
    assert response.status_code == 422


async def test_audit_log_is_hr_only(client: AsyncClient, runtime: Runtime) -> None:
    admin = await make_org(runtime)
    employee = await make_user(runtime, admin.org_id)
    assert (await client.get("/api/v1/audit-events", headers=employee.headers)).status_code == 403
    listed = (await client.get("/api/v1/audit-events", headers=admin.headers)).json()["items"]
    assert {event["action"] for event in listed} == {"organization.created", "user.created"}


async def test_api_keys_are_shown_once_stored_hashed_and_revocable(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await make_org(runtime)
    created = await client.post(
        "/api/v1/api-keys", json={"name": "CRM", "scopes": ["org:read"]}, headers=admin.headers
    )
    assert created.status_code == 201
    key = created.json()["key"]
    key_headers = {"Authorization": f"Bearer {key}"}
    listed = (await client.get("/api/v1/api-keys", headers=admin.headers)).json()["items"]
    assert "key" not in listed[0]
    async with runtime.sessionmaker() as session:
        stored = (await session.execute(select(ApiKey.token_hash))).scalars().all()
    assert all(key.split("_")[-1] not in value for value in stored)

    hr_only = await client.get("/api/v1/users", headers=key_headers)
    assert hr_only.status_code == 403, "a key authenticates but is no HR admin"
    assert (await client.get("/api/v1/me", headers=key_headers)).status_code == 403

    revoked = await client.delete(f"/api/v1/api-keys/{created.json()['id']}", headers=admin.headers)
    assert revoked.status_code == 204
    assert (await client.get("/api/v1/users", headers=key_headers)).status_code == 401
    tampered = {"Authorization": f"Bearer {key[:-2]}xx"}
    assert (await client.get("/api/v1/users", headers=tampered)).status_code == 401


async def test_api_key_scopes_are_validated(client: AsyncClient, runtime: Runtime) -> None:
    admin = await make_org(runtime)
    bad = await client.post(
        "/api/v1/api-keys", json={"name": "x", "scopes": ["root"]}, headers=admin.headers
    )
    assert bad.status_code == 422
    employee = await make_user(runtime, admin.org_id)
    denied = await client.post(
        "/api/v1/api-keys", json={"name": "x", "scopes": ["org:read"]}, headers=employee.headers
    )
    assert denied.status_code == 403


async def test_users_can_be_filtered_by_role_and_status(
    client: AsyncClient, runtime: Runtime
) -> None:
    admin = await make_org(runtime)
    head = await make_user(runtime, admin.org_id, Role.EMPLOYEE)
    listed = await client.get("/api/v1/users", params={"role": "hr_admin"}, headers=admin.headers)
    assert [item["id"] for item in listed.json()["items"]] == [str(admin.user_id)]
    employees = await client.get(
        "/api/v1/users", params={"role": "employee", "active": "true"}, headers=admin.headers
    )
    assert [item["id"] for item in employees.json()["items"]] == [str(head.user_id)]
