"""Task policies in working days, and reminders held over non-working days to the next
working morning, through HTTP and the real sweep."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.workflow.schemas import EscalationPolicy, ReminderPolicy
from tests.problems import assert_problem
from tests.workflow.conftest import World, inbox, inbox_kinds, make_task, sweep

SHANGHAI = ZoneInfo("Asia/Shanghai")
MINUTE = timedelta(minutes=1)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of March 2027 in Shanghai (1 March is a Monday)."""
    return datetime(2027, 3, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.commits
async def test_a_policy_in_working_days_reminds_and_escalates_on_working_days(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    url, headers = "/api/v1/task-policy-defaults", world.hr.headers
    policy = {
        "reminder": {"before_due_days": [2], "repeat_every_days": None, "days_are": "working"},
        "escalation": {"manager_after_days": 2, "hr_after_days": None, "days_are": "working"},
    }
    saved = await client.put(url, json=policy, headers=headers)
    assert saved.status_code == 200, saved.text
    assert saved.json()["reminder"]["days_are"] == "working"
    wrong = {**policy, "reminder": {**policy["reminder"], "days_are": "lunar"}}
    assert_problem(
        await client.put(url, json=wrong, headers=headers), 422, fields={"body.reminder.days_are"}
    )

    # due Monday 8 March: two working days before is Thursday 4 (not Saturday 6), two
    # working days overdue is Wednesday 10 (not Wednesday minus the weekend)
    task = await make_task(runtime, world.hr.org_id, world.junior, date(2027, 3, 8))
    shown = await client.get(f"/api/v1/tasks/{task.id}", headers=world.junior_account.headers)
    assert shown.json()["policy"]["escalation"]["days_are"] == "working"
    assert task.next_action_at == at(4, 23, 59) + timedelta(seconds=59, microseconds=999999)

    clock._at = at(4, 23, 0)
    await sweep(runtime)
    assert await inbox_kinds(client, world.junior_account) == []
    clock._at = at(5, 0, 1)
    await sweep(runtime)
    assert await inbox_kinds(client, world.junior_account) == ["task.reminder"]

    clock._at = at(9, 12)  # overdue, but one working day only
    await sweep(runtime)
    assert await inbox_kinds(client, world.member_account) == []
    clock._at = at(11, 0, 1)
    await sweep(runtime)
    assert await inbox_kinds(client, world.member_account) == ["task.escalation"]


@pytest.mark.commits
async def test_a_reminder_on_a_weekend_waits_for_the_next_working_morning(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    # due Tuesday 9 March: three days before is Saturday 6, 23:59
    held = await make_task(
        runtime,
        world.hr.org_id,
        world.junior,
        date(2027, 3, 9),
        title="Held",
        reminder_policy=ReminderPolicy(before_due_days=[3], repeat_every_days=None),
    )
    await make_task(
        runtime,
        world.lead.org_id,
        world.member,
        date(2027, 3, 9),
        title="Not held",
        reminder_policy=ReminderPolicy(
            before_due_days=[3], repeat_every_days=None, hold_on_non_working_days=False
        ),
        escalation_policy=EscalationPolicy(hold_on_non_working_days=False),
    )
    assert held.next_action_at == at(8, 9)
    # the organization also rests on Monday 8 March: the reminder waits for Tuesday
    marked = await client.post(
        "/api/v1/working-calendar/days",
        json={"day": "2027-03-08", "working": False, "name": "公司活动日"},
        headers=world.hr.headers,
    )
    assert marked.status_code == 201, marked.text

    clock._at = at(7, 0, 1)  # Sunday, after Saturday's 23:59
    await sweep(runtime)
    assert await inbox_kinds(client, world.member_account) == ["task.reminder"]
    assert await inbox_kinds(client, world.junior_account) == []
    clock._at = at(8, 9, 1)  # Monday 09:00 is the organization's day off
    await sweep(runtime)
    assert await inbox_kinds(client, world.junior_account) == []
    clock._at = at(9, 8, 59)
    await sweep(runtime)
    assert await inbox_kinds(client, world.junior_account) == []
    clock._at = at(9, 9, 1)
    await sweep(runtime)
    assert await inbox_kinds(client, world.junior_account) == ["task.reminder"]
    assert len(await inbox_kinds(client, world.member_account)) == 1


@pytest.mark.commits
async def test_escalations_count_overdue_days_as_their_policy_counts_them(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    org_id, friday = world.hr.org_id, date(2027, 3, 5)
    silent = ReminderPolicy(before_due_days=[], repeat_every_days=None)
    working = EscalationPolicy(manager_after_days=2, hr_after_days=None, days_are="working")
    calendar = EscalationPolicy(
        manager_after_days=4, hr_after_days=None, hold_on_non_working_days=False
    )
    chosen = await client.put(
        "/api/v1/me/locale", json={"locale": "zh-CN"}, headers=world.member_account.headers
    )
    assert chosen.status_code == 200, chosen.text
    options = {"reminder_policy": silent, "escalation_policy": working}
    await make_task(runtime, org_id, world.junior, friday, title="Visit report", **options)
    await make_task(runtime, org_id, world.member, friday, title="Plan A", **options)
    await make_task(
        runtime, org_id, world.member, friday, title="Rate Lead Li", confidential=True, **options
    )
    await make_task(
        runtime,
        org_id,
        world.member,
        friday,
        title="Plan B",
        reminder_policy=silent,
        escalation_policy=calendar,
    )

    # Friday 23:59 + 2 working days and + 4 calendar days are both Tuesday 23:59
    clock._at = at(10, 0, 1)
    await sweep(runtime)

    [single] = await inbox(client, world.member_account)
    assert single["title"] == "已逾期 2 个工作日：Visit report"
    [digest] = await inbox(client, world.lead_account)
    assert digest["body"].splitlines() == [
        "These tasks of your reports are still open past their due time:",
        "Member: Plan A, due by 5 Mar 2027, 23:59, 2 working days overdue",
        "Member: Plan B, due by 5 Mar 2027, 23:59, 4 days overdue",
        "Member: a confidential task (only its assignee sees what it is), due by 5 Mar 2027,"
        " 23:59, 2 working days overdue",
    ]
