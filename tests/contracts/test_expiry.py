"""The expiry watch: a renew-or-extend task for HR, once per contract and end date."""

from __future__ import annotations

from datetime import date

from httpx import AsyncClient

from hrcore.contracts import expiry, jobs
from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from tests.contracts.conftest import World, count_statements, make_contract
from tests.factories import make_user

EXPIRING = "/api/v1/contracts/expiring"


async def _expiry_tasks(client: AsyncClient, world: World) -> list[dict[str, object]]:
    response = await client.get(
        "/api/v1/tasks", params={"kind": expiry.EXPIRY_TASK_KIND}, headers=world.hr.headers
    )
    items: list[dict[str, object]] = response.json()["items"]
    return items


async def test_hr_is_asked_once_and_extending_closes_the_task(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    hr = world.hr
    hr_employee = await make_user(runtime, hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    ending = await make_contract(client, hr, world.member.id, end=date(2027, 5, 15))
    await make_contract(client, hr, world.junior.id, end=date(2027, 12, 31))
    await make_contract(client, hr, world.peer.id, end=None, kind="open_ended")
    await make_contract(client, hr, world.lead.id, end=date(2027, 2, 1))

    listed = await client.get(EXPIRING, headers=hr.headers)
    assert [(i["contract"]["id"], i["alert_task_id"]) for i in listed.json()["items"]] == [
        (ending["id"], None)
    ]
    assert listed.json()["items"][0]["days_left"] == 75

    assert await jobs.watch_expiry({"runtime": runtime}) == 1
    assert await jobs.watch_expiry({"runtime": runtime}) == 0, "once per contract and end date"
    [task] = await _expiry_tasks(client, world)
    assert task["assignee_employee_id"] == str(world.boss.id)
    assert task["subject"] == {"type": "contract", "id": ending["id"]}
    assert task["due_at"].startswith("2027-04-15")
    listed = await client.get(EXPIRING, headers=hr_employee.headers)
    assert listed.json()["items"][0]["alert_task_id"] == task["id"]

    extended = await client.post(
        f"/api/v1/contracts/{ending['id']}/extend",
        json={"end_date": "2028-05-15"},
        headers=hr.headers,
    )
    assert extended.status_code == 200, extended.text
    [task] = await _expiry_tasks(client, world)
    assert task["status"] == "completed"
    assert (await client.get(EXPIRING, headers=hr.headers)).json()["items"] == []
    shorter = await client.post(
        f"/api/v1/contracts/{ending['id']}/extend",
        json={"end_date": "2028-01-01"},
        headers=hr.headers,
    )
    assert shorter.status_code == 422


async def test_renewal_starts_the_day_after_and_closes_the_task(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    hr = world.hr
    await make_user(runtime, hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    ending = await make_contract(client, hr, world.member.id, end=date(2027, 4, 30))
    await jobs.watch_expiry({"runtime": runtime})
    renewed = await client.post(
        f"/api/v1/contracts/{ending['id']}/renew",
        json={"kind": "open_ended"},
        headers=hr.headers,
    )
    assert renewed.status_code == 201, renewed.text
    body = renewed.json()
    assert (body["start_date"], body["end_date"], body["renewed_from_id"]) == (
        "2027-05-01",
        None,
        ending["id"],
    )
    assert body["work_location"] == ending["work_location"]
    [task] = await _expiry_tasks(client, world)
    assert task["status"] == "completed"
    again = await client.post(
        f"/api/v1/contracts/{ending['id']}/renew", json={"kind": "open_ended"}, headers=hr.headers
    )
    assert again.status_code == 409, "the renewal already covers those dates"
    employee = await client.get(EXPIRING, headers=world.member_account.headers)
    assert employee.status_code == 403


async def test_without_an_hr_employee_hr_hears_of_it_in_the_inbox(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    await make_contract(client, world.hr, world.member.id, end=date(2027, 5, 15))
    assert await jobs.watch_expiry({"runtime": runtime}) == 1
    assert await _expiry_tasks(client, world) == []
    inbox = await client.get("/api/v1/me/notifications", headers=world.hr.headers)
    assert [n["kind"] for n in inbox.json()["items"]] == ["contract.expiring"]


async def test_expiring_list_is_n_plus_one_free(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    await make_user(runtime, world.hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    for employee in (world.lead, world.member, world.junior):
        await make_contract(client, world.hr, employee.id, end=date(2027, 5, 1))
    await jobs.watch_expiry({"runtime": runtime})
    counts = []
    for limit in (1, 3):
        with count_statements(runtime) as counter:
            response = await client.get(EXPIRING, params={"limit": limit}, headers=world.hr.headers)
        assert len(response.json()["items"]) == limit
        counts.append(counter.count)
    assert counts[0] == counts[1]


async def test_the_watch_raises_any_number_of_alerts_in_fixed_statements(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    await make_user(runtime, world.hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    counts = []
    for employees in ([world.lead], [world.member, world.junior, world.peer]):
        for employee in employees:
            await make_contract(client, world.hr, employee.id, end=date(2027, 5, 1))
        with count_statements(runtime) as counter:
            assert await jobs.watch_expiry({"runtime": runtime}) == len(employees)
        counts.append(counter.count)

    assert counts[0] == counts[1]
    listed = await client.get(EXPIRING, headers=world.hr.headers)
    tasks = {task["id"] for task in await _expiry_tasks(client, world)}
    assert {item["alert_task_id"] for item in listed.json()["items"]} == tasks
    assert len(tasks) == 4, "each alert keeps its own task"


def test_months_are_added_on_the_calendar() -> None:
    assert expiry.add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert expiry.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)
    assert expiry.add_months(date(2027, 3, 1), 3) == date(2027, 6, 1)


async def test_the_notice_task_is_due_the_last_working_day_before_the_legal_thirty_days(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    """30 calendar days before Monday 10 May 2027 is Saturday 10 April: HR must act by
    Friday 9 April, or Thursday 8 when the organization rests on the Friday."""
    hr = world.hr
    await make_user(runtime, hr.org_id, Role.HR_ADMIN, employee_id=world.boss.id)
    day_off = await client.post(
        "/api/v1/working-calendar/days",
        json={"day": "2027-04-09", "working": False, "name": "公司活动日"},
        headers=hr.headers,
    )
    assert day_off.status_code == 201, day_off.text
    await make_contract(client, hr, world.member.id, end=date(2027, 5, 10))
    assert await jobs.watch_expiry({"runtime": runtime}) == 1
    [task] = await _expiry_tasks(client, world)
    assert task["due_at"].startswith("2027-04-08")
