"""The profile's sections other domains own: program participation (everyone who sees the
profile) and contracts (as the contracts routes: HR and the employee), one statement each.
Training's sections: tests/training/test_reports_profile.py."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.contracts.conftest import make_contract
from tests.factories import Account, make_department, make_employee, make_org
from tests.people.conftest import World

API = "/api/v1"
ABSENT = ("projects", "peer_feedback")


async def _post(client: AsyncClient, account: Account, path: str, body: Any = None) -> Any:
    response = await client.post(f"{API}{path}", json=body, headers=account.headers)
    assert response.status_code in (200, 201), response.text
    return response.json()


async def _profile(client: AsyncClient, account: Account, employee_id: uuid.UUID) -> Any:
    response = await client.get(f"{API}/employees/{employee_id}/profile", headers=account.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _started_run(client: AsyncClient, hr: Account, employee_id: uuid.UUID) -> Any:
    """A started one-stage program run with the employee as its only participant."""
    stage = {"key": "training", "name": "Training", "kind": "training", "duration_days": 30}
    template = await _post(client, hr, "/program-templates", {"name": "Chiefs", "stages": [stage]})
    pool = await _post(client, hr, "/talent-pools", {"name": "Reserve", "rules": []})
    body = {"employee_id": str(employee_id), "reason": "strong results"}
    member = await _post(client, hr, f"/talent-pools/{pool['id']}/members", body)
    approved = await client.patch(
        f"{API}/talent-pools/{pool['id']}/members/{member['id']}",
        json={"status": "active", "reason": "approved"},
        headers=hr.headers,
    )
    assert approved.status_code == 200, approved.text
    run = await _post(
        client,
        hr,
        "/programs",
        {
            "name": "2027 reserve chiefs",
            "template_id": template["id"],
            "pool_id": pool["id"],
            "starts_on": date.today().isoformat(),
        },
    )
    await _post(
        client, hr, f"/programs/{run['id']}/participants", {"employee_ids": [str(employee_id)]}
    )
    await _post(client, hr, f"/programs/{run['id']}/start")
    return run


async def test_programs_and_contracts_fill_the_profile(client: AsyncClient, world: World) -> None:
    run = await _started_run(client, world.hr, world.member.id)
    contract = await make_contract(client, world.hr, world.member.id, allowance="800")
    profile = await _profile(client, world.hr, world.member.id)
    [participation] = profile["program_participation"]
    assert participation["program"] == {"id": run["id"], "name": "2027 reserve chiefs"}
    assert participation["status"] == "active"
    assert participation["current_stage"] == "Training"
    assert participation["started_on"] == date.today().isoformat()
    assert participation["ended_at"] is None
    assert profile["contracts"] == [
        {
            "id": contract["id"],
            "type": "fixed_term",
            "status": "active",
            "starts_on": "2026-01-01",
            "ends_on": "2028-12-31",
            "grade": None,
            "allowance": "800.00",
            "work_location": "上海",
            "pay_terms_ref": "BAND-5",
        }
    ]
    for section in ABSENT:
        assert section not in profile


async def test_contracts_only_for_hr_and_the_employee(client: AsyncClient, world: World) -> None:
    """Managers up the chain and the department head see the participation, not the
    contracts (`null`, as the contracts routes answer them 404)."""
    await _started_run(client, world.hr, world.member.id)
    await make_contract(client, world.hr, world.member.id)
    own = await _profile(client, world.member_account, world.member.id)
    assert [contract["type"] for contract in own["contracts"]] == ["fixed_term"]
    for account in (world.lead_account, world.sales_head):
        profile = await _profile(client, account, world.member.id)
        assert profile["contracts"] is None
        assert [p["status"] for p in profile["program_participation"]] == ["active"]
    lead_own = await _profile(client, world.lead_account, world.lead.id)
    assert lead_own["contracts"] == []
    assert lead_own["program_participation"] == []


async def test_another_organizations_data_never_appears(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    other_hr = await make_org(runtime)
    department = await make_department(runtime, other_hr.org_id, "Sales")
    stranger = await make_employee(runtime, other_hr.org_id, department, "Stranger")
    await _started_run(client, other_hr, stranger.id)
    await make_contract(client, other_hr, stranger.id)
    profile = await _profile(client, world.hr, world.member.id)
    assert profile["program_participation"] == []
    assert profile["contracts"] == []
    outside = await client.get(
        f"{API}/employees/{world.member.id}/profile", headers=other_hr.headers
    )
    assert outside.status_code == 404
    theirs = await client.get(f"{API}/employees/{stranger.id}/profile", headers=world.hr.headers)
    assert theirs.status_code == 404
