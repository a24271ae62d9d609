"""The fixed lengths contracts gives its tasks — 7 days to confirm an amendment, 14 for HR to
settle a program conflict — count working days when the organization's task policy does."""

from __future__ import annotations

from pathlib import Path

import pytest
from httpx import AsyncClient

from hrcore.contracts.confirmation import CONFIRM_TASK_KIND
from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.contracts.conftest import World, make_contract
from tests.contracts.test_program_conflicts import TODAY, _conflict_tasks, _start_program
from tests.factories import Account, make_user

WORKING = {"reminder": {"days_are": "working"}, "escalation": {"days_are": "working"}}


async def _count_working_days(client: AsyncClient, hr: Account) -> None:
    saved = await client.put("/api/v1/task-policy-defaults", json=WORKING, headers=hr.headers)
    assert saved.status_code == 200, saved.text


async def _confirmation_due(
    client: AsyncClient, runtime: Runtime, world: World, employee: str
) -> str:
    contract = await make_contract(client, world.hr, getattr(world, employee).id)
    created = await client.post(
        f"/api/v1/contracts/{contract['id']}/amendments",
        json={"effective_date": "2027-04-01", "department_id": str(world.engineering.id)},
        headers=world.hr.headers,
    )
    assert created.status_code == 201, created.text
    await run_burst(runtime)  # the document is ready: the employee is asked to confirm
    tasks = await client.get(
        "/api/v1/tasks",
        params={
            "kind": CONFIRM_TASK_KIND,
            "assignee_employee_id": str(getattr(world, employee).id),
        },
        headers=world.hr.headers,
    )
    [task] = tasks.json()["items"]
    due: str = task["due_at"]
    return due


@pytest.mark.commits
@pytest.mark.usefixtures("storage_dir")
async def test_an_amendment_is_confirmed_within_seven_working_days_when_the_org_counts_them(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock, storage_dir: Path
) -> None:
    # ready Monday 1 March 2027: seven calendar days is Monday 8
    assert (await _confirmation_due(client, runtime, world, "peer")).startswith("2027-03-08")
    await _count_working_days(client, world.hr)
    # seven working days: 2, 3, 4, 5, 8, 9 and 10 March
    assert (await _confirmation_due(client, runtime, world, "junior")).startswith("2027-03-10")


@pytest.mark.commits
async def test_hr_settles_a_program_conflict_within_fourteen_working_days(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    hr = world.hr
    second_hr = await make_user(runtime, hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    await _count_working_days(client, hr)
    await _start_program(client, hr, [world.member.id], second_hr)
    await run_burst(runtime)
    await make_contract(client, hr, world.member.id, end=TODAY.replace(day=31))
    [task] = await _conflict_tasks(client, hr)
    # fourteen working days from Monday 1 March is Friday 19 (calendar days: Monday 15)
    assert task["due_at"].startswith("2027-03-19")
