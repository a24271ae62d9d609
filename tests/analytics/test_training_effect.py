"""The training figure over HTTP: enrolments made, completed, examined and passed and
action plans submitted per course category, and the people per band of the year's points,
read from rollups the worker refreshes, in the caller's scope, drillable to the people, and
refreshed by a completed enrolment's event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.training import events as training_events
from hrcore.training import ledger
from hrcore.training.ledger import Award
from hrcore.training.models import ActionPlan, Course, Enrolment
from hrcore.worker import run_burst
from tests.analytics.conftest import API, World, refresh_all
from tests.mentoring.effectiveness_helpers import org_today
from tests.training.factory import make_course, make_enrolment

pytestmark = pytest.mark.commits  # the worker runs a burst's jobs side by side
TRAINING = f"{API}/analytics/training"
PEOPLE = f"{API}/analytics/training-effect/people"


async def _history(runtime: Runtime, world: World) -> Course:
    """A sales course with an exam: Junior (sales east) completed and passed it and
    submitted an action plan, Member (sales east) completed it without passing, Engineer
    only enrolled; a course without category Peer (sales) completed. Points this year:
    Junior 30, Engineer 120. Answers the sales course."""
    org_id = world.hr.org_id
    now = datetime.now(UTC)
    done = now - timedelta(days=3)
    sales = await make_course(runtime, org_id, category="Sales", pass_mark=60)
    plain = await make_course(runtime, org_id)
    junior = await make_enrolment(
        runtime,
        org_id,
        sales,
        world.junior.id,
        status="completed",
        completed_at=done,
        passed_at=done,
    )
    await make_enrolment(
        runtime, org_id, sales, world.member.id, status="completed", completed_at=done
    )
    await make_enrolment(runtime, org_id, sales, world.engineer.id)
    await make_enrolment(
        runtime, org_id, plain, world.peer.id, status="completed", completed_at=done
    )
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        session.add(
            ActionPlan(
                org_id=org_id,
                enrolment_id=junior.id,
                course_id=sales.id,
                employee_id=world.junior.id,
                status="submitted",
                content="Apply the sales script",
                submitted_at=now - timedelta(days=1),
            )
        )
        for employee, points in ((world.junior, 30), (world.engineer, 120)):
            await ledger.award(
                session,
                org_id,
                Award(employee.id, "online_course", "enrolment", employee.id, done, points),
            )
    await refresh_all(runtime)
    return sales


async def _window(runtime: Runtime, world: World) -> dict[str, str]:
    today = await org_today(runtime, world.hr.org_id)
    return {"start": f"{today.year}-01-01", "end": today.isoformat()}


def _points(body: dict[str, Any], category: str) -> dict[str, Any]:
    [found] = [item for item in body["points"] if item["category"] == category]
    return found


async def test_hr_reads_the_effect_and_the_points_bands(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _history(runtime, world)
    window = await _window(runtime, world)
    read = await client.get(TRAINING, params=window, headers=world.hr.headers)
    assert read.status_code == 200, read.text
    body = read.json()
    assert body["refreshed_at"] is not None
    effect = {item["category"]: item for item in body["effect"]}
    sales = effect["Sales"]
    assert (sales["enrolled"], sales["completed"], sales["examined"]) == (3, 2, 2)
    assert (sales["exam_passed"], sales["action_plans"]) == (1, 1)
    assert (sales["completion_rate"], sales["pass_rate"]) == (round(2 / 3, 4), 0.5)
    assert effect[""]["completed"] == 1
    overall = body["overall"]
    assert (overall["category"], overall["enrolled"], overall["completed"]) == ("all", 4, 3)
    total = _points(body, "total")
    assert (total["people"], total["mean"]) == (2, 75.0)
    bands = {item["band"]: item["people"] for item in total["bands"]}
    assert (bands["20-49"], bands["100+"], bands["0"]) == (1, 1, 0)


async def test_a_department_head_reads_their_subtree_only(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _history(runtime, world)
    window = await _window(runtime, world)
    own = await client.get(TRAINING, params=window, headers=world.sales_head.headers)
    assert own.status_code == 200, own.text
    body = own.json()
    assert (body["overall"]["enrolled"], body["overall"]["completed"]) == (3, 3)
    assert _points(body, "total")["people"] == 1, "Engineer's points are not in sales"
    other = {"department_id": str(world.engineering.id)} | window
    refused = await client.get(TRAINING, params=other, headers=world.sales_head.headers)
    assert refused.status_code == 404, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    drill = await client.get(PEOPLE, params=other, headers=world.sales_head.headers)
    assert drill.status_code == 404, drill.text
    employee = await client.get(TRAINING, headers=world.junior_account.headers)
    assert employee.status_code == 403, employee.text


async def test_the_drill_down_says_why_in_the_readers_language(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _history(runtime, world)
    window = await _window(runtime, world)
    passed = await client.get(
        PEOPLE, params={"step": "exam_passed"} | window, headers=world.hr.headers
    )
    assert passed.status_code == 200, passed.text
    [item] = passed.json()["items"]
    assert item["employee"]["name"] == "Junior"
    assert item["dimension"] == "Sales"
    assert item["reason"].startswith("Passed the exam on ")
    chinese = await client.get(
        PEOPLE,
        params={"step": "total", "dimension": "100+"} | window,
        headers=world.hr.headers | {"Accept-Language": "zh-CN"},
    )
    [item] = chinese.json()["items"]
    assert item["employee"]["name"] == "Engineer"
    assert item["reason"].startswith("120 积分"), item["reason"]
    assert item["step_label"] == "总积分"


async def test_a_completed_enrolment_refreshes_the_figure(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    sales = await _history(runtime, world)
    window = await _window(runtime, world)
    enrolment = await make_enrolment(runtime, world.hr.org_id, sales, world.lead.id)
    async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as session:
        row = await session.get(Enrolment, enrolment.id)
        assert row is not None
        row.status = "completed"
        row.completed_at = datetime.now(UTC)
        training_events.emit_enrolment_completed(session, world.hr.org_id, enrolment.id)
    await run_burst(runtime)
    body = (await client.get(TRAINING, params=window, headers=world.hr.headers)).json()
    sales_effect = {item["category"]: item for item in body["effect"]}["Sales"]
    assert (sales_effect["enrolled"], sales_effect["completed"]) == (4, 3)
