"""A pairing's schedule as workflow tasks, through the real worker: an approved plan becomes
its 1:1s, skill tests and progress reports (the mentor's, about the mentee, reminded 5 days
before); an overdue 1:1 reaches the mentor's manager through the deadline sweep; approving
again re-plans (one open task per due item) and running twice creates nothing twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.mentoring.mentorship_models import SessionKind
from hrcore.mentoring.schedule import DueItem, Replanned, due_items, plan_schedule
from hrcore.worker import run_burst
from tests.conftest import frozen_clock
from tests.factories import Account
from tests.mentoring.schedule_helpers import (
    SCHEDULE,
    START,
    Pairing,
    approve_again,
    end_pairing,
    make_pairing,
    replay_plan_approved,
)
from tests.people.conftest import World, world
from tests.workflow.conftest import inbox, sweep

__all__ = ["world"]
SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_ON_ONE, SKILL_TEST, REPORT = (
    "mentoring_one_on_one",
    "mentoring_skill_test",
    "mentoring_progress_report",
)


async def _tasks(client: AsyncClient, hr: Account, pairing: Pairing) -> list[dict[str, Any]]:
    response = await client.get(
        "/api/v1/tasks",
        params={
            "subject_type": "mentorship",
            "subject_id": str(pairing.mentorship_id),
            "limit": 200,
        },
        headers=hr.headers,
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _due(task: dict[str, Any]) -> tuple[str, date]:
    moment = datetime.fromisoformat(task["due_at"]).astimezone(SHANGHAI)
    return task["kind"], moment.date()


def _open(tasks: list[dict[str, Any]]) -> list[tuple[str, date]]:
    return sorted(_due(task) for task in tasks if task["status"] == "open")


MONTHLY = [(ONE_ON_ONE, date(2027, month, 15)) for month in range(4, 10)]
PLANNED = sorted(
    [
        *MONTHLY,
        (SKILL_TEST, date(2027, 6, 15)),
        (SKILL_TEST, date(2027, 9, 15)),
        (REPORT, date(2027, 9, 15)),
    ]
)


def test_each_interval_is_due_on_its_last_day_and_a_short_last_one_on_the_pairing_s() -> None:
    items = due_items(
        [{"kind": "skill_test", "every_months": 4}, {"kind": "one_on_one", "every_months": 1}],
        date(2027, 1, 31),
        date(2027, 7, 31),
    )
    assert [item for item in items if item.kind == SessionKind.SKILL_TEST] == [
        DueItem(date(2027, 5, 30), SessionKind.SKILL_TEST),
        DueItem(date(2027, 7, 30), SessionKind.SKILL_TEST),
    ]
    monthly = [item.due_on for item in items if item.kind == SessionKind.ONE_ON_ONE]
    assert monthly == [
        date(2027, 2, 27),  # 31 January + 1 month is 28 February: due the day before
        date(2027, 3, 30),
        date(2027, 4, 29),
        date(2027, 5, 30),
        date(2027, 6, 29),
        date(2027, 7, 30),
    ]
    assert (
        due_items([{"kind": "lunch", "every_months": 1}], date(2027, 1, 1), date(2027, 2, 1)) == []
    )


async def _about_tasks(client: AsyncClient, account: Account) -> list[dict[str, Any]]:
    """The account's notifications about tasks (HR's inbox also holds the plan's approval)."""
    return [note for note in await inbox(client, account) if note["kind"].startswith("task.")]


@pytest.mark.commits
async def test_an_approved_plan_is_scheduled_and_an_overdue_one_on_one_reaches_the_manager(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    async with frozen_clock(runtime, START) as clock:
        pairing = await make_pairing(client, world.hr, world.member, world.junior)
        assert await _tasks(client, world.hr, pairing) == [], "planned in the worker"
        await run_burst(runtime)
        tasks = await _tasks(client, world.hr, pairing)
        assert _open(tasks) == PLANNED
        first = min(
            (task for task in tasks if task["kind"] == ONE_ON_ONE), key=lambda t: t["due_at"]
        )
        assert first["assignee"] == {"id": str(world.member.id), "name": "Member"}
        assert first["subject_employee"] == {"id": str(world.junior.id), "name": "Junior"}
        assert first["title"] == "Mentoring 1:1 with Junior"
        assert first["submission_rule"] is None
        assert (
            first["completed_by"]["path"] == f"/api/v1/mentorships/{pairing.mentorship_id}/sessions"
        )
        assert first["policy"]["reminder"]["before_due_days"] == [5]
        assert first["policy"]["escalation"]["manager_after_days"] == 1
        mine = await client.get("/api/v1/me/tasks", headers=world.member_account.headers)
        assert len(mine.json()["items"]) == len(PLANNED)

        # The event again (a retried job): nothing new.
        await replay_plan_approved(runtime, pairing)
        await run_burst(runtime)
        assert _open(await _tasks(client, world.hr, pairing)) == PLANNED

        # 5 days before the first 1:1 is Saturday: the reminder waits for Monday morning.
        clock.advance(datetime(2027, 4, 12, 2, 0, tzinfo=UTC) - clock.now())
        await sweep(runtime)
        [reminder] = await inbox(client, world.member_account)
        assert (reminder["kind"], reminder["subject"]["id"]) == ("task.reminder", first["id"])
        assert await inbox(client, world.lead_account) == []

        # Due on Thursday; the manager hears a day after, HR a week after.
        clock.advance(datetime(2027, 4, 19, 2, 0, tzinfo=UTC) - clock.now())
        await sweep(runtime)
        [escalation] = await inbox(client, world.lead_account)
        assert escalation["kind"] == "task.escalation"
        assert "Member" in escalation["body"]
        assert await _about_tasks(client, world.hr) == [], "HR hears a week after the due date"

        clock.advance(datetime(2027, 4, 23, 2, 0, tzinfo=UTC) - clock.now())
        await sweep(runtime)
        [to_hr] = await _about_tasks(client, world.hr)
        assert (to_hr["kind"], to_hr["subject"]["id"]) == ("task.escalation", first["id"])
        assert len(await inbox(client, world.lead_account)) == 1


@pytest.mark.commits
async def test_approving_again_replans_one_open_task_per_due_item(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    async with frozen_clock(runtime, START):
        pairing = await make_pairing(client, world.hr, world.member, world.junior)
        await run_burst(runtime)
        logged = await client.post(
            pairing.sessions,
            json={"kind": "one_on_one", "held_on": "2027-03-16"},
            headers=world.member_account.headers,
        )
        assert logged.status_code == 201, logged.text
        before = {task["id"]: task for task in await _tasks(client, world.hr, pairing)}

        await approve_again(
            client,
            world.hr,
            pairing,
            [
                {"kind": "one_on_one", "every_months": 2},
                {"kind": "skill_test", "every_months": 4},
                {"kind": "progress_report", "every_months": 3},
            ],
        )
        await run_burst(runtime)
        after = await _tasks(client, world.hr, pairing)
        assert _open(after) == sorted(
            [
                (ONE_ON_ONE, date(2027, 7, 15)),
                (ONE_ON_ONE, date(2027, 9, 15)),
                (ONE_ON_ONE, date(2027, 5, 15)),
                (SKILL_TEST, date(2027, 7, 15)),
                (SKILL_TEST, date(2027, 9, 15)),
                (REPORT, date(2027, 6, 15)),
                (REPORT, date(2027, 9, 15)),
            ]
        )
        by_id = {task["id"]: task for task in after}
        assert by_id[logged.json()["task_id"]]["status"] == "completed", "done stays done"
        moved = [t for t in after if t["id"] in before and _due(t) != _due(before[t["id"]])]
        assert [(_due(before[t["id"]]), _due(t)) for t in moved] == [
            ((SKILL_TEST, date(2027, 6, 15)), (SKILL_TEST, date(2027, 7, 15)))
        ]
        cancelled = sorted(_due(t) for t in after if t["status"] == "cancelled")
        assert cancelled == [(ONE_ON_ONE, date(2027, 6, 15)), (ONE_ON_ONE, date(2027, 8, 15))]
        assert len(after) == len(before) + 1, "one progress report created, nothing else"

        await approve_again(client, world.hr, pairing, SCHEDULE)
        await run_burst(runtime)
        again = await _tasks(client, world.hr, pairing)
        assert _open(again) == [item for item in PLANNED if item != (ONE_ON_ONE, date(2027, 4, 15))]


@pytest.mark.commits
async def test_an_ended_pairing_plans_nothing(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    async with frozen_clock(runtime, START + timedelta(days=1)):
        pairing = await make_pairing(client, world.hr, world.member, world.junior)
        await end_pairing(client, world.hr, pairing)
        await run_burst(runtime)
        assert await _tasks(client, world.hr, pairing) == []


@pytest.mark.commits
async def test_two_runs_at_once_plan_each_task_once(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    """The pairing's row is locked first: the second run waits, then finds the first's tasks."""
    async with frozen_clock(runtime, START) as clock:
        pairing = await make_pairing(client, world.hr, world.member, world.junior)

        async def run() -> Replanned | None:
            async with unit_of_work(runtime.sessionmaker) as session:
                await set_tenant(session, pairing.org_id)
                return await plan_schedule(session, pairing.org_id, pairing.mentorship_id, clock)

        results = await asyncio.gather(run(), run())
        assert sorted(result.created for result in results if result) == [0, len(PLANNED)]
        assert _open(await _tasks(client, world.hr, pairing)) == PLANNED
