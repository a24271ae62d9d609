"""Who sees whom: self, managers (direct and indirect), department heads, HR, integrations."""

from __future__ import annotations

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import Account, make_department, make_employee, make_org
from tests.people.conftest import World


async def _visible_names(client: AsyncClient, account: Account) -> set[str]:
    response = await client.get("/api/v1/employees", headers=account.headers)
    assert response.status_code == 200, response.text
    return {item["full_name"] for item in response.json()["items"]}


async def _api_key(client: AsyncClient, hr: Account, *scopes: str) -> dict[str, str]:
    response = await client.post(
        "/api/v1/api-keys", json={"name": "sync", "scopes": list(scopes)}, headers=hr.headers
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['key']}"}


async def test_hr_admin_sees_everyone(client: AsyncClient, world: World) -> None:
    assert await _visible_names(client, world.hr) == {
        "Boss",
        "Lead",
        "Member",
        "Junior",
        "Peer",
        "Engineer",
    }


async def test_manager_sees_self_and_direct_and_indirect_reports(
    client: AsyncClient, world: World
) -> None:
    assert await _visible_names(client, world.lead_account) == {"Lead", "Member", "Junior"}
    assert await _visible_names(client, world.member_account) == {"Member", "Junior"}


async def test_employee_sees_only_self(client: AsyncClient, world: World) -> None:
    assert await _visible_names(client, world.junior_account) == {"Junior"}
    own = await client.get(
        f"/api/v1/employees/{world.junior.id}", headers=world.junior_account.headers
    )
    assert own.status_code == 200
    peer = await client.get(
        f"/api/v1/employees/{world.peer.id}", headers=world.junior_account.headers
    )
    assert peer.status_code == 404


async def test_manager_cannot_see_upwards_or_sideways(client: AsyncClient, world: World) -> None:
    for other in (world.boss, world.peer, world.engineer):
        response = await client.get(
            f"/api/v1/employees/{other.id}", headers=world.lead_account.headers
        )
        assert response.status_code == 404


async def test_department_head_sees_the_subtree(client: AsyncClient, world: World) -> None:
    assert await _visible_names(client, world.sales_head) == {"Lead", "Member", "Junior", "Peer"}
    deep = await client.get(
        f"/api/v1/employees/{world.junior.id}", headers=world.sales_head.headers
    )
    assert deep.status_code == 200


async def test_department_head_gets_404_for_another_department(
    client: AsyncClient, world: World
) -> None:
    response = await client.get(
        f"/api/v1/employees/{world.engineer.id}", headers=world.sales_head.headers
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


async def test_contact_data_is_for_hr_and_the_person(client: AsyncClient, world: World) -> None:
    path = f"/api/v1/employees/{world.member.id}"
    for account in (world.hr, world.member_account):
        seen = (await client.get(path, headers=account.headers)).json()
        assert seen["email"] == "member@example.com"
        assert seen["phone"] == "+86 138 0000 0000"
    for account in (world.lead_account, world.sales_head):
        seen = (await client.get(path, headers=account.headers)).json()
        assert seen["email"] == "m***@example.com"
        assert seen["phone"] == "+86**********0000"
        assert seen["full_name"] == "Member"
    listed = await client.get("/api/v1/employees", headers=world.lead_account.headers)
    emails = {item["full_name"]: item["email"] for item in listed.json()["items"]}
    assert emails == {
        "Lead": "lead@example.com",
        "Member": "m***@example.com",
        "Junior": "j***@example.com",
    }


async def test_other_organizations_are_invisible(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    other = await make_org(runtime)
    department = await make_department(runtime, other.org_id, "Elsewhere")
    stranger = await make_employee(runtime, other.org_id, department, "Stranger")
    response = await client.get(f"/api/v1/employees/{stranger.id}", headers=world.hr.headers)
    assert response.status_code == 404
    assert "Stranger" not in await _visible_names(client, world.hr)


async def test_api_keys_read_with_org_read_and_write_with_employees_write(
    client: AsyncClient, world: World
) -> None:
    reader = await _api_key(client, world.hr, "org:read")
    writer = await _api_key(client, world.hr, "employees:write")
    listed = await client.get("/api/v1/employees", headers=reader)
    assert listed.status_code == 200
    assert len(listed.json()["items"]) == 6
    assert all(item["email"].endswith("***@example.com") for item in listed.json()["items"])
    assert (await client.get("/api/v1/employees", headers=writer)).status_code == 403
    body = {"full_name": "Renamed"}
    path = f"/api/v1/employees/{world.peer.id}"
    assert (await client.patch(path, json=body, headers=reader)).status_code == 403
    patched = await client.patch(path, json=body, headers=writer)
    assert patched.status_code == 200, patched.text
    assert patched.json()["full_name"] == "Renamed"
