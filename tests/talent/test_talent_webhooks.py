"""Nomination decisions and a filled vacancy reach webhook subscribers of the organization
only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.contracts.conftest import storage_dir
from tests.people.conftest import World, world
from tests.webhooks.conftest import Configure, Receiver, configure, receiver
from tests.webhooks.talent_loop import delivered, nothing_for, subscribe, subscribe_another_org
from tests.workflow.conftest import clock

__all__ = ["clock", "configure", "receiver", "storage_dir", "world"]


async def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.mark.commits
async def test_nomination_decisions_and_a_filled_vacancy_are_published(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    clock: FrozenClock,
    storage_dir: Path,
    configure: Configure,
    receiver: Receiver,
) -> None:
    hr = world.hr
    other = await subscribe_another_org(client, runtime, receiver)
    await subscribe(client, hr, receiver)
    pool = await _ok(
        await client.post(
            "/api/v1/talent-pools",
            json={"name": "Reserve chiefs", "target_position_id": str(world.chief.id)},
            headers=hr.headers,
        ),
        201,
    )
    members = f"/api/v1/talent-pools/{pool['id']}/members"
    decided = {}
    for employee, decision in ((world.member, "active"), (world.engineer, "rejected")):
        nominated = await _ok(
            await client.post(
                members,
                json={"employee_id": str(employee.id), "reason": "Strong"},
                headers=hr.headers,
            ),
            201,
        )
        patch = {"status": decision, "reason": "Decided"}
        if decision == "active":
            patch["readiness"] = "ready_now"
        decided[employee.id] = await _ok(
            await client.patch(f"{members}/{nominated['id']}", json=patch, headers=hr.headers)
        )
    await _ok(
        await client.patch(
            f"{members}/{decided[world.member.id]['id']}",
            json={"readiness": "one_to_two_years", "reason": "Not a decision"},
            headers=hr.headers,
        )
    )
    vacancy = await _ok(
        await client.post(
            "/api/v1/vacancies", json={"position_id": str(world.chief.id)}, headers=hr.headers
        ),
        201,
    )
    await _ok(
        await client.post(
            f"/api/v1/vacancies/{vacancy['id']}/appoint",
            json={
                "employee_id": str(world.member.id),
                "effective_date": "2027-04-01",
                "reason": "Best candidate",
                "override_reason": "Readiness reassessed",
            },
            headers=hr.headers,
        )
    )
    await run_burst(runtime)

    def nomination(employee_id: Any, decision: str, readiness: str | None) -> Any:
        return (
            "nomination.decided",
            {
                "member_id": decided[employee_id]["id"],
                "pool_id": pool["id"],
                "employee_id": str(employee_id),
                "decision": decision,
                "readiness": readiness,
            },
        )

    expected = [
        nomination(world.member.id, "approved", "ready_now"),
        nomination(world.engineer.id, "rejected", None),
        (
            "vacancy.filled",
            {
                "vacancy_id": vacancy["id"],
                "position_id": str(world.chief.id),
                "department_id": vacancy["department_id"],
                "employee_id": str(world.member.id),
                "effective_date": "2027-04-01",
                "memberships_ended": 0,
                "programs_graduated": 0,
            },
        ),
    ]
    assert delivered(receiver) == sorted(expected, key=lambda e: json.dumps(e, sort_keys=True))
    await nothing_for(client, other)
