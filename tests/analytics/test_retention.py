"""Retention over HTTP: turnover of program graduates, trained managers, new hires and
mentees against the rest and by exit reason, from exits recorded through the API and the
cohorts' rows as their domains leave them, read from rollups the worker refreshes, in the
caller's scope, drillable to the leavers with their reason in both languages."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.programs.models import ProgramParticipant, ProgramRun, ProgramTemplate
from hrcore.talent.models import TalentPool
from hrcore.worker import run_burst
from tests.analytics.conftest import API, World, refresh_all
from tests.mentoring.effectiveness_helpers import make_mentor, make_pairing, org_today
from tests.training.factory import make_course, make_enrolment

pytestmark = pytest.mark.commits
"""Exits wake several domains' jobs at once: the worker needs real commits."""

RETENTION = f"{API}/analytics/retention"
ZH = {"Accept-Language": "zh-CN"}


@dataclass(frozen=True)
class Story:
    today: date
    newbie: uuid.UUID
    fresh: uuid.UUID


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


async def hire(client: AsyncClient, world: World, name: str, department: Any, on: date) -> Any:
    body = {
        "employee_number": f"N-{uuid.uuid4().hex[:8]}",
        "full_name": name,
        "department_id": str(department.id),
        "hire_date": on.isoformat(),
    }
    made = await client.post(f"{API}/employees", json=body, headers=world.hr.headers)
    assert made.status_code == 201, made.text
    return uuid.UUID(made.json()["id"])


async def leave(
    client: AsyncClient, world: World, employee_id: Any, on: date, reason: str | None
) -> None:
    body: dict[str, Any] = {"kind": "exit", "effective_date": on.isoformat()}
    if reason is not None:
        body["exit_reason"] = reason
    made = await client.post(
        f"{API}/employees/{employee_id}/events", json=body, headers=world.hr.headers
    )
    assert made.status_code == 201, made.text


async def graduate(runtime: Runtime, world: World, employee: Any, on: date) -> None:
    """A participation that completed its program's stages on `on`, as programs leaves it."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        org_id = world.hr.org_id
        template = ProgramTemplate(org_id=org_id, name="Reserve", stages=[], department_variants=[])
        pool = TalentPool(org_id=org_id, name="Reserve chiefs")
        session.add_all([template, pool])
        await session.flush()
        run = ProgramRun(
            org_id=org_id,
            name="Reserve 2025",
            template_id=template.id,
            pool_id=pool.id,
            starts_on=on - timedelta(days=90),
            status="running",
        )
        session.add(run)
        await session.flush()
        session.add(
            ProgramParticipant(
                org_id=org_id,
                run_id=run.id,
                employee_id=employee.id,
                department_id=employee.department_id,
                status="completed",
                ended_at=_at(on),
            )
        )


async def story(client: AsyncClient, runtime: Runtime, world: World) -> Story:
    """Everyone in the world was hired in 2020. Within the window: Newbie (sales east) hired
    and gone for pay; Fresh (sales) hired and staying; Peer (sales), a program graduate,
    left for development; Engineer left with no reason recorded. Lead, a manager, finished
    a course long ago; Junior has been mentored since this window."""
    today = await org_today(runtime, world.hr.org_id)
    newbie = await hire(client, world, "Newbie", world.sales_east, today - timedelta(days=300))
    fresh = await hire(client, world, "Fresh", world.sales, today - timedelta(days=200))
    await leave(client, world, newbie, today - timedelta(days=100), "pay")
    await graduate(runtime, world, world.peer, today - timedelta(days=400))
    await leave(client, world, world.peer.id, today - timedelta(days=50), "development")
    await leave(client, world, world.engineer.id, today - timedelta(days=30), None)
    course = await make_course(runtime, world.hr.org_id)
    await make_enrolment(
        runtime,
        world.hr.org_id,
        course,
        world.lead.id,
        status="completed",
        completed_at=_at(today - timedelta(days=500)),
    )
    mentor = await make_mentor(runtime, world.hr.org_id, world.boss.id)
    await make_pairing(
        runtime,
        mentor,
        world.junior.id,
        starts_on=today - timedelta(days=200),
        ends_on=today + timedelta(days=165),
    )
    return Story(today, newbie, fresh)


def turnover(start: int, end: int, leavers: int) -> dict[str, Any]:
    average = (start + end) / 2
    rate = round(leavers / average, 4) if average else None
    return {
        "headcount_start": start,
        "headcount_end": end,
        "average_headcount": average,
        "leavers": leavers,
        "rate": rate,
        "annualized_rate": rate,
    }


async def test_hr_reads_turnover_by_cohort_and_by_reason(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await story(client, runtime, world)
    before = await client.get(RETENTION, headers=world.hr.headers)
    assert before.status_code == 200, before.text
    assert before.json()["refreshed_at"] is None

    await refresh_all(runtime)
    answer = await client.get(RETENTION, headers=world.hr.headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["refreshed_at"] is not None
    assert body["months"] == 12
    assert body["overall"] == turnover(6, 5, 3)
    cohorts = {cohort["cohort"]: cohort for cohort in body["cohorts"]}
    assert cohorts["program_graduates"]["label"] == "Program graduates"
    assert cohorts["program_graduates"]["members"] == turnover(1, 0, 1)
    assert cohorts["program_graduates"]["rest"] == turnover(5, 5, 2)
    assert cohorts["trained_managers"]["members"] == turnover(1, 1, 0)
    assert cohorts["new_hires"]["members"] == turnover(0, 1, 1)
    assert cohorts["new_hires"]["rest"] == turnover(6, 4, 2)
    assert cohorts["mentees"]["members"] == turnover(0, 1, 0)
    reasons = {reason["reason"]: reason for reason in body["by_reason"]}
    assert reasons["pay"] == {
        "reason": "pay",
        "label": "Pay",
        "leavers": 1,
        "rate": round(1 / 5.5, 4),
        "share": round(1 / 3, 4),
    }
    assert reasons["development"]["leavers"] == 1
    assert (reasons["not_recorded"]["leavers"], reasons["not_recorded"]["label"]) == (
        1,
        "Not recorded",
    )
    assert reasons["health"]["leavers"] == 0
    assert reasons["health"]["share"] == 0

    chinese = (await client.get(RETENTION, headers=world.hr.headers | ZH)).json()
    labels = {cohort["cohort"]: cohort["label"] for cohort in chinese["cohorts"]}
    assert labels["new_hires"] == "新员工"
    assert {r["reason"]: r["label"] for r in chinese["by_reason"]}["pay"] == "薪酬"


async def test_the_drill_down_lists_a_cohorts_leavers_with_their_reason(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    told = await story(client, runtime, world)
    await refresh_all(runtime)
    people = f"{RETENTION}/people"
    leavers = await client.get(
        people, params={"step": "left", "dimension": "new_hires"}, headers=world.hr.headers
    )
    assert leavers.status_code == 200, leavers.text
    [newbie] = leavers.json()["items"]
    assert newbie["employee"] == {"id": str(told.newbie), "name": "Newbie"}
    assert newbie["department"]["id"] == str(world.sales_east.id)
    assert newbie["reason"].endswith(": pay"), newbie["reason"]
    assert newbie["step_label"] == "Left the organization"

    chinese = await client.get(
        people, params={"step": "left", "dimension": "new_hires"}, headers=world.hr.headers | ZH
    )
    [newbie] = chinese.json()["items"]
    assert newbie["reason"].endswith("离职：薪酬"), newbie["reason"]
    assert newbie["step_label"] == "离职"

    unrecorded = await client.get(
        people, params={"step": "left_for", "dimension": "not_recorded"}, headers=world.hr.headers
    )
    [engineer] = unrecorded.json()["items"]
    assert engineer["employee"]["id"] == str(world.engineer.id)
    assert "reason not recorded" in engineer["reason"]

    graduates = await client.get(
        people, params={"step": "left", "dimension": "program_graduates"}, headers=world.hr.headers
    )
    [peer] = graduates.json()["items"]
    assert peer["employee"]["id"] == str(world.peer.id)
    assert "development" in peer["reason"]

    everyone = await client.get(
        people, params={"step": "left", "dimension": "everyone"}, headers=world.hr.headers
    )
    names = [item["employee"]["name"] for item in everyone.json()["items"]]
    assert names == ["Newbie", "Peer", "Engineer"]


async def test_a_department_head_reads_their_subtree_only(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await story(client, runtime, world)
    await refresh_all(runtime)
    own = await client.get(RETENTION, headers=world.sales_head.headers)
    assert own.status_code == 200, own.text
    body = own.json()
    assert body["department"]["id"] == str(world.sales.id)
    assert body["overall"] == turnover(4, 4, 2)
    reasons = {reason["reason"]: reason["leavers"] for reason in body["by_reason"]}
    assert (reasons["pay"], reasons["development"], reasons["not_recorded"]) == (1, 1, 0)

    other = {"department_id": str(world.engineering.id)}
    for path in (RETENTION, f"{RETENTION}/people"):
        hidden = await client.get(path, params=other, headers=world.sales_head.headers)
        assert hidden.status_code == 404, hidden.text
        assert hidden.headers["content-type"].startswith("application/problem+json")
    drill = await client.get(
        f"{RETENTION}/people", params={"step": "left"}, headers=world.sales_head.headers
    )
    names = {item["employee"]["name"] for item in drill.json()["items"]}
    assert names == {"Newbie", "Peer"}


async def test_employees_read_no_retention_and_bad_questions_are_4xx(
    client: AsyncClient, world: World
) -> None:
    denied = await client.get(RETENTION, headers=world.member_account.headers | ZH)
    assert denied.status_code == 403, denied.text
    assert denied.headers["content-type"].startswith("application/problem+json")
    backwards = await client.get(
        RETENTION,
        params={"start": "2026-06-01", "end": "2026-01-31"},
        headers=world.hr.headers | ZH,
    )
    assert backwards.status_code == 422, backwards.text
    ancient = await client.get(
        RETENTION, params={"start": "0001-01-01", "end": "0001-12-31"}, headers=world.hr.headers
    )
    assert ancient.status_code == 422, ancient.text
    unknown = await client.get(
        f"{RETENTION}/people", params={"step": "stayed"}, headers=world.hr.headers
    )
    assert unknown.status_code == 422, unknown.text
    assert "left_for" in unknown.text


async def test_an_exit_recorded_refreshes_the_leaver_through_the_worker(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    told = await story(client, runtime, world)
    await refresh_all(runtime)
    await leave(client, world, world.member.id, told.today - timedelta(days=1), "health")
    await run_burst(runtime)
    body = (await client.get(RETENTION, headers=world.hr.headers)).json()
    assert body["overall"] == turnover(6, 4, 4)
    reasons = {reason["reason"]: reason["leavers"] for reason in body["by_reason"]}
    assert reasons["health"] == 1
    drill = await client.get(
        f"{RETENTION}/people",
        params={"step": "left_for", "dimension": "health"},
        headers=world.hr.headers | ZH,
    )
    [member] = drill.json()["items"]
    assert member["employee"]["id"] == str(world.member.id)
    assert "健康原因" in member["reason"]
