"""A program's reminder policy: days before the due date and the escalation steps, set by HR
on the program (the defaults until set; bad policies 422), and used by the schedule job for
the tasks it plans — the real worker, then workflow's sweep telling the mentor's manager on
the program's day, not the default one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.conftest import frozen_clock
from tests.factories import Account
from tests.mentoring.schedule_helpers import START, Pairing, make_pairing
from tests.mentoring.test_programs import make_program
from tests.people.conftest import World, world
from tests.problems import assert_problem
from tests.workflow.conftest import inbox, sweep

__all__ = ["world"]
PROGRAMS = "/api/v1/mentoring-programs"
DEFAULTS = {
    "before_due_days": [5],
    "repeat_every_days": 2,
    "manager_after_days": 1,
    "hr_after_days": 7,
}
POLICY = {
    "before_due_days": [10, 3],
    "repeat_every_days": None,
    "manager_after_days": 4,
    "hr_after_days": 10,
}


async def test_hr_sets_the_policy_on_the_program_and_bad_ones_are_refused(
    client: AsyncClient, world: World
) -> None:
    plain = await make_program(client, world.hr, rules=[])
    assert plain["reminder_policy"] == DEFAULTS
    made = await make_program(client, world.hr, "Sales mentors", rules=[], reminder_policy=POLICY)
    assert made["reminder_policy"] == POLICY
    for bad, field in (
        ({"manager_after_days": 5, "hr_after_days": 2}, "body.reminder_policy"),
        ({"before_due_days": [0]}, "body.reminder_policy.before_due_days.0"),
        ({"before_due_days": [3, 3]}, "body.reminder_policy"),
        ({"sms": True}, "body.reminder_policy.sms"),
    ):
        refused = await client.post(
            PROGRAMS,
            json={"name": "Bad", "rules": [], "reminder_policy": bad},
            headers=world.hr.headers,
        )
        assert_problem(refused, 422, fields={field})
    refused = await client.post(
        PROGRAMS,
        json={"name": "Bad", "rules": [], "reminder_policy": {"hr_after_days": 0}},
        headers={**world.hr.headers, "Accept-Language": "zh-CN"},
    )
    assert "HR" in assert_problem(refused, 422)["errors"][0]["message"]
    patched = await client.patch(
        f"{PROGRAMS}/{plain['id']}",
        json={"reminder_policy": {"before_due_days": [7]}, "version": plain["version"]},
        headers=world.hr.headers,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["reminder_policy"] == DEFAULTS | {"before_due_days": [7]}
    forbidden = await client.patch(
        f"{PROGRAMS}/{plain['id']}",
        json={"reminder_policy": POLICY},
        headers=world.lead_account.headers,
    )
    assert forbidden.status_code in (403, 404)


async def _program_of(client: AsyncClient, hr: Account, pairing: Pairing) -> Any:
    read = await client.get(f"/api/v1/mentorships/{pairing.mentorship_id}", headers=hr.headers)
    assert read.status_code == 200, read.text
    program = await client.get(f"{PROGRAMS}/{read.json()['program']['id']}", headers=hr.headers)
    return program.json()


@pytest.mark.commits
async def test_the_schedule_job_plans_tasks_on_the_program_s_policy(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    async with frozen_clock(runtime, START) as clock:
        pairing = await make_pairing(client, world.hr, world.member, world.junior)
        program = await _program_of(client, world.hr, pairing)
        patched = await client.patch(
            f"{PROGRAMS}/{program['id']}",
            json={"reminder_policy": POLICY, "version": program["version"]},
            headers=world.hr.headers,
        )
        assert patched.status_code == 200, patched.text
        await run_burst(runtime)
        tasks = await client.get(
            "/api/v1/tasks",
            params={"subject_type": "mentorship", "subject_id": str(pairing.mentorship_id)},
            headers=world.hr.headers,
        )
        items = tasks.json()["items"]
        assert items
        for task in items:
            assert task["policy"]["reminder"]["before_due_days"] == [10, 3]
            assert task["policy"]["reminder"]["repeat_every_days"] is None
            assert task["policy"]["escalation"]["manager_after_days"] == 4
            assert task["policy"]["escalation"]["hr_after_days"] == 10

        # The first 1:1 is due on Thursday 15 April: a day after, the default would have told
        # the manager; this program waits four days.
        clock.advance(datetime(2027, 4, 16, 2, 0, tzinfo=UTC) - clock.now())
        await sweep(runtime)
        assert await inbox(client, world.lead_account) == []
        clock.advance(datetime(2027, 4, 20, 2, 0, tzinfo=UTC) - clock.now())
        await sweep(runtime)
        [escalation] = await inbox(client, world.lead_account)
        assert escalation["kind"] == "task.escalation"
