"""Periodic mentee surveys: the daily cron asks each running pairing's mentee once per
period of N months (a confidential survey task), never twice, never a pairing still in its
first period or one that ended; answering without a session completes the task."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.runtime import Runtime
from hrcore.mentoring import jobs_periodic_surveys
from hrcore.mentoring.periodic_surveys import period_of
from hrcore.workflow.models import Task
from tests.mentoring.effectiveness_helpers import (
    end_pairing,
    make_mentor,
    make_pairing,
    org_today,
)
from tests.people.conftest import World, world
from tests.problems import assert_problem

__all__ = ["world"]
ANSWER = {"on_time": 4, "relevant": 5, "solved": 3}


def test_a_period_counts_calendar_months_from_the_start() -> None:
    starts = date(2026, 1, 31)
    assert period_of(starts, date(2026, 4, 30), 3) == 0, "two whole months and some days"
    assert period_of(starts, date(2026, 5, 1), 3) == 1
    assert period_of(starts, date(2026, 7, 31), 3) == 2
    assert period_of(starts, date(2026, 2, 15), 1) == 0
    assert period_of(starts, date(2025, 12, 1), 3) == 0


async def _asked(owner_engine: AsyncEngine) -> list[Task]:
    async with owner_engine.connect() as connection:
        return list(
            (await connection.execute(select(Task).where(Task.kind == "mentoring_survey"))).all()
        )


@pytest.mark.commits
async def test_the_cron_asks_each_running_pairing_once_per_period(
    client: AsyncClient, runtime: Runtime, world: World, owner_engine: AsyncEngine
) -> None:
    org_id = world.hr.org_id
    today = await org_today(runtime, org_id)
    mentor = await make_mentor(runtime, org_id, world.member.id)
    pairing = await make_pairing(
        runtime,
        mentor,
        world.junior.id,
        starts_on=today - timedelta(days=100),
        ends_on=today + timedelta(days=265),
    )
    await make_pairing(
        runtime,
        mentor,
        world.peer.id,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=300),
    )
    other = await make_mentor(runtime, org_id, world.lead.id)
    ended = await make_pairing(
        runtime,
        other,
        world.engineer.id,
        starts_on=today - timedelta(days=200),
        ends_on=today + timedelta(days=100),
    )
    await end_pairing(runtime, ended)

    assert await jobs_periodic_surveys.ask_for_periodic_surveys({"runtime": runtime}) == 1
    assert await jobs_periodic_surveys.ask_for_periodic_surveys({"runtime": runtime}) == 0
    [task] = await _asked(owner_engine)
    assert (task.assignee_employee_id, task.subject_id, task.confidential, task.status) == (
        world.junior.id,
        pairing.id,
        True,
        "open",
    )
    url = f"/api/v1/mentorships/{pairing.id}/surveys"
    by_mentor = await client.post(url, json=ANSWER, headers=world.member_account.headers)
    assert_problem(by_mentor, 404)
    answered = await client.post(url, json=ANSWER, headers=world.junior_account.headers)
    assert answered.status_code == 201, answered.text
    assert answered.json()["session_id"] is None
    [task] = await _asked(owner_engine)
    assert task.status == "completed"
    assert await jobs_periodic_surveys.ask_for_periodic_surveys({"runtime": runtime}) == 0, (
        "answered, the period is not asked again"
    )


@pytest.mark.commits
async def test_every_month_asks_again_in_the_next_period(
    runtime: Runtime, world: World, owner_engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    org_id = world.hr.org_id
    today = await org_today(runtime, org_id)
    mentor = await make_mentor(runtime, org_id, world.member.id)
    await make_pairing(
        runtime,
        mentor,
        world.junior.id,
        starts_on=today - timedelta(days=100),
        ends_on=today + timedelta(days=265),
    )
    assert await jobs_periodic_surveys.ask_for_periodic_surveys({"runtime": runtime}) == 1
    monkeypatch.setattr(runtime.settings, "mentoring_survey_every_months", 1)
    assert await jobs_periodic_surveys.ask_for_periodic_surveys({"runtime": runtime}) == 1, (
        "period 3 of one month is not period 1 of three"
    )
    assert len(await _asked(owner_engine)) == 2
