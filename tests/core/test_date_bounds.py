"""Dates a client sends are bounded (core/schemas.py): outside 1900..2199, or a window wider
than ten years, is a 422 naming the field, never a 500 from the arithmetic downstream."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from httpx import AsyncClient

from hrcore.core.calendar import WorkCalendar
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.core.schemas import LATEST_DATE
from hrcore.workflow import api as workflow
from hrcore.workflow.models import Task
from hrcore.workflow.schemas import EscalationPolicy, ReminderPolicy, TaskPolicy
from tests.contracts.conftest import make_contract
from tests.people.conftest import World, world
from tests.reviews.conftest import API, FORM, post_ok

__all__ = ["world"]


def _fields(response: Any) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [error["field"] for error in response.json()["errors"]]


async def _cycle(client: AsyncClient, world: World, starts_on: str, due_on: str) -> Any:
    template = await post_ok(client, world.hr, "/review-templates", FORM | {"name": due_on})
    body = {
        "name": "Far",
        "kind": "year_end",
        "template_id": template["id"],
        "starts_on": starts_on,
        "due_on": due_on,
    }
    return await client.post(f"{API}/review-cycles", json=body, headers=world.hr.headers)


async def test_review_cycles_are_bounded(client: AsyncClient, world: World) -> None:
    far = await _cycle(client, world, "9999-12-30", "9999-12-31")
    assert _fields(far) == ["body.starts_on", "body.due_on"]
    wide = await _cycle(client, world, "2026-01-01", "2036-06-01")
    assert _fields(wide) == ["body.due_on"]
    backwards = await _cycle(client, world, "2026-02-01", "2026-01-01")
    assert _fields(backwards) == ["body.due_on"]


async def test_a_cycle_at_the_last_accepted_day_opens_and_is_swept(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    """The task engine's arithmetic (due times, reminders, escalations) has room after it."""
    last = LATEST_DATE.isoformat()
    created = await _cycle(client, world, (LATEST_DATE - timedelta(days=1)).isoformat(), last)
    assert created.status_code == 201, created.text
    cycle = created.json()
    body = {"employee_ids": [str(world.lead.id), str(world.member.id)]}
    await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/participants", body)
    opened = await post_ok(client, world.hr, f"/review-cycles/{cycle['id']}/open")
    assert opened["status"] == "open"
    after = datetime.combine(LATEST_DATE + timedelta(days=400), time(), UTC)
    await workflow.sweep(runtime.sessionmaker, FrozenClock(after))
    tasks = await client.get(f"{API}/tasks", headers=world.hr.headers)
    assert tasks.status_code == 200
    assert {task["due_at"][:10] for task in tasks.json()["items"]} >= {last}


def test_the_engine_has_room_after_the_last_day_with_the_longest_policy() -> None:
    policy = TaskPolicy(
        reminder=ReminderPolicy(before_due_days=[365], repeat_every_days=365),
        escalation=EscalationPolicy(manager_after_days=365, hr_after_days=365),
    )
    due = datetime.combine(LATEST_DATE, time.max, UTC)
    later = due + timedelta(days=3 * 365)
    line = workflow.Timeline(WorkCalendar(), ZoneInfo("Asia/Shanghai"))
    assert workflow.due_windows(policy, line, due, after=None, now=later)
    assert workflow.next_action_at(policy, line, due, after=later) is not None
    working = policy.model_copy(
        update={
            "reminder": policy.reminder.model_copy(update={"days_are": "working"}),
            "escalation": policy.escalation.model_copy(update={"days_are": "working"}),
        }
    )
    assert workflow.due_windows(working, line, due, after=None, now=later)
    assert workflow.next_action_at(working, line, due, after=later) is not None
    assert Task.due_at.type.python_type is datetime


async def test_measures_periods_are_bounded(client: AsyncClient, world: World) -> None:
    measures = f"{API}/talent-pools/measures"
    for params, field in [
        ({"to": "9999-12-31"}, "query.to"),
        ({"from": "1800-01-01", "to": "2026-01-01"}, "query.from"),
        ({"from": "2000-01-01", "to": "2026-01-01"}, "query.to"),
        ({"from": "2026-01-02", "to": "2026-01-01"}, "query.to"),
    ]:
        response = await client.get(measures, params=params, headers=world.hr.headers)
        assert _fields(response) == [field], params
    ok = await client.get(measures, params={"to": "2199-12-31"}, headers=world.hr.headers)
    assert ok.status_code == 200, ok.text


async def test_contracts_and_other_dates_are_bounded(client: AsyncClient, world: World) -> None:
    contract = await make_contract(client, world.hr, world.lead.id, end=date(2027, 6, 30))
    extended = await client.post(
        f"{API}/contracts/{contract['id']}/extend",
        json={"end_date": "9999-12-31"},
        headers=world.hr.headers,
    )
    assert _fields(extended) == ["body.end_date"]
    created = await client.post(
        f"{API}/contracts",
        json={
            "employee_id": str(world.member.id),
            "kind": "fixed_term",
            "start_date": "1899-12-31",
            "end_date": "2200-01-01",
        },
        headers=world.hr.headers,
    )
    assert _fields(created)[:2] == ["body.start_date", "body.end_date"]
    hired = await client.patch(
        f"{API}/employees/{world.lead.id}",
        json={"hire_date": "0001-01-01"},
        headers=world.hr.headers,
    )
    assert _fields(hired) == ["body.hire_date"]
    tasks = await client.get(
        f"{API}/tasks",
        params={"due_before": "9999-12-31T23:59:59-14:00"},
        headers=world.hr.headers,
    )
    assert _fields(tasks) == ["query.due_before"]
    run = await client.post(
        f"{API}/programs",
        json={
            "name": "x",
            "template_id": str(world.lead.id),
            "pool_id": str(world.lead.id),
            "starts_on": "9999-01-01",
        },
        headers=world.hr.headers,
    )
    assert "body.starts_on" in _fields(run)
