"""Every kind of deadline notification in each recipient's language, whoever runs the sweep."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from httpx import AsyncClient

from hrcore.core import i18n
from hrcore.core.clock import FrozenClock
from hrcore.core.i18n import _
from hrcore.core.runtime import Runtime
from tests.factories import Account
from tests.workflow.conftest import CALENDAR_DAYS, World, inbox, make_task, sweep

DUE = date(2027, 3, 4)


async def _texts(client: AsyncClient, account: Account) -> list[tuple[str, str, str]]:
    return [(n["kind"], n["title"], n["body"]) for n in reversed(await inbox(client, account))]


async def _reads(client: AsyncClient, account: Account, locale: str) -> None:
    chosen = await client.put("/api/v1/me/locale", json={"locale": locale}, headers=account.headers)
    assert chosen.status_code == 200, chosen.text


@pytest.mark.commits
async def test_reminders_and_escalations_read_in_each_recipients_language(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    junior, manager, hr = world.junior_account, world.member_account, world.hr
    await _reads(client, junior, "zh-CN")  # the organization reads English
    task = await make_task(
        runtime,
        hr.org_id,
        world.junior,
        DUE,
        title=_("Confirm your contract amendment"),
        **CALENDAR_DAYS,
    )
    assert task.title == "确认你的合同变更协议", "a system title in the assignee's language"

    for days in (-3, 0, 3, 7):  # reminder, overdue, the manager, HR
        clock._at = task.due_at + timedelta(days=days, minutes=1)
        with i18n.using("en"):  # the worker's own language never leaks
            await sweep(runtime)

    assert await _texts(client, junior) == [
        ("task.reminder", "即将到期：确认你的合同变更协议", "截止时间：2027年3月4日 23:59。"),
        (
            "task.overdue",
            "已逾期：确认你的合同变更协议",
            "该任务已于 2027年3月4日 23:59 到期，请尽快完成。",
        ),
        (
            "task.overdue",
            "已逾期：确认你的合同变更协议",
            "该任务已于 2027年3月4日 23:59 到期，请尽快完成。",
        ),
        (
            "task.overdue",
            "已逾期：确认你的合同变更协议",
            "该任务已于 2027年3月4日 23:59 到期，请尽快完成。",
        ),
    ]
    assert await _texts(client, manager) == [
        (
            "task.escalation",
            "Overdue 3 days: 确认你的合同变更协议",
            "Your report Junior has not completed this task, due by 4 Mar 2027, 23:59.",
        )
    ]
    assert await _texts(client, hr) == [
        (
            "task.escalation",
            "Overdue 7 days: 确认你的合同变更协议",
            "Junior has not completed this task, due by 4 Mar 2027, 23:59.",
        )
    ]
