"""Appointment overrides on the approval engine, over HTTP: with the organization's chain
for `talent.appointment_override`, appointing someone outside the rules waits (202, the
vacancy open) until the chain completes, and a rejection drops the request; without a chain
the override reason suffices, as before."""

from __future__ import annotations

from typing import Any

from httpx import AsyncClient

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from tests.factories import Account, make_user
from tests.people.conftest import World, world

__all__ = ["world"]
API = "/api/v1"
KIND = "talent.appointment_override"


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def _vacancy(client: AsyncClient, hr: Account, position: Any) -> Any:
    body = {"position_id": str(position.id)}
    return _ok(await client.post(f"{API}/vacancies", json=body, headers=hr.headers), 201)


def _appointment(employee: Any) -> dict[str, Any]:
    return {
        "employee_id": str(employee.id),
        "effective_date": "2026-12-01",
        "reason": "Runs the east team already",
        "override_reason": "No pool member speaks the region's dialect",
    }


async def _appoint(client: AsyncClient, hr: Account, vacancy: Any, employee: Any) -> Any:
    return await client.post(
        f"{API}/vacancies/{vacancy['id']}/appoint", json=_appointment(employee), headers=hr.headers
    )


async def _decide(client: AsyncClient, account: Account, approval_id: str, verb: str) -> Any:
    body = {"comment": "Not without a pool review"} if verb == "reject" else {}
    return _ok(
        await client.post(
            f"{API}/approvals/{approval_id}/{verb}", json=body, headers=account.headers
        )
    )


async def test_an_override_waits_for_the_chain_and_a_rejection_keeps_the_vacancy_open(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    hr = await make_user(runtime, world.hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    chain = {
        "name": "Overrides",
        "kind": KIND,
        "steps": [{"name": "Manager", "approver": {"rule": "manager"}}],
    }
    _ok(await client.post(f"{API}/approval-chains", json=chain, headers=world.hr.headers), 201)
    vacancy = await _vacancy(client, world.hr, world.chief)

    waiting = _ok(await _appoint(client, hr, vacancy, world.junior), 202)
    assert (waiting["status"], waiting["appointment"]) == ("open", None)
    approval_id = waiting["awaiting_approval"]
    assert _ok(await _appoint(client, hr, vacancy, world.junior), 409)
    shown = _ok(await client.get(f"{API}/approvals/{approval_id}", headers=hr.headers))
    assert (shown["kind"], shown["subject_id"], shown["subject_employee"]["name"]) == (
        KIND,
        vacancy["id"],
        "Junior",
    )
    assert shown["facts"]["eligibility"] == "not_a_candidate"
    assert shown["facts"]["position_id"] == str(world.chief.id)
    page = _ok(await client.get(f"{API}/me/approvals", headers=world.member_account.headers))
    assert [a["id"] for a in page["items"]] == [approval_id]

    await _decide(client, world.member_account, approval_id, "approve")
    filled = _ok(await client.get(f"{API}/vacancies/{vacancy['id']}", headers=hr.headers))
    assert (filled["status"], filled["awaiting_approval"]) == ("filled", None)
    assert filled["appointment"]["employee"]["name"] == "Junior"
    assert filled["appointment"]["override_reason"] == _appointment(world.junior)["override_reason"]

    clerks = await _vacancy(client, world.hr, world.clerk)
    asked = _ok(await _appoint(client, hr, clerks, world.junior), 202)
    await _decide(client, world.member_account, asked["awaiting_approval"], "reject")
    still = _ok(await client.get(f"{API}/vacancies/{clerks['id']}", headers=hr.headers))
    assert (still["status"], still["awaiting_approval"]) == ("open", None)
    again = _ok(await _appoint(client, hr, clerks, world.junior), 202)
    cancelled = _ok(
        await client.post(
            f"{API}/vacancies/{clerks['id']}/cancel",
            json={"reason": "Post abolished"},
            headers=hr.headers,
        )
    )
    assert (cancelled["status"], cancelled["awaiting_approval"]) == ("cancelled", None)
    withdrawn = _ok(
        await client.get(f"{API}/approvals/{again['awaiting_approval']}", headers=hr.headers)
    )
    assert withdrawn["status"] == "withdrawn"


async def test_an_hr_admin_without_an_employee_record_waits_for_the_chain_too(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    """The organization's chain binds every HR admin: one with only an account requests the
    approval by it, and the appointment is made as them when it completes."""
    chain = {"name": "Overrides", "kind": KIND, "steps": [{"approver": {"rule": "manager"}}]}
    _ok(await client.post(f"{API}/approval-chains", json=chain, headers=world.hr.headers), 201)
    vacancy = await _vacancy(client, world.hr, world.chief)
    waiting = _ok(await _appoint(client, world.hr, vacancy, world.junior), 202)
    shown = _ok(
        await client.get(
            f"{API}/approvals/{waiting['awaiting_approval']}", headers=world.hr.headers
        )
    )
    assert (shown["requester"], shown["requester_user"]["id"]) == (None, str(world.hr.user_id))
    await _decide(client, world.member_account, waiting["awaiting_approval"], "approve")
    filled = _ok(await client.get(f"{API}/vacancies/{vacancy['id']}", headers=world.hr.headers))
    assert filled["status"] == "filled"
    assert filled["appointment"]["employee"]["name"] == "Junior"


async def test_without_a_chain_the_override_reason_suffices_as_before(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    hr = await make_user(runtime, world.hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    vacancy = await _vacancy(client, world.hr, world.chief)
    filled = _ok(await _appoint(client, hr, vacancy, world.junior))
    assert (filled["status"], filled["awaiting_approval"]) == ("filled", None)
    page = _ok(await client.get(f"{API}/approvals", headers=hr.headers))
    assert [a for a in page["items"] if a["kind"] == KIND] == []
