"""An appeal window counted in working days on the organization's calendar."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient

from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from tests.problems import assert_problem
from tests.reviews.conftest import API, START, Setup, post_ok
from tests.reviews.test_appeals import published

__all__ = ["published"]

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.commits
async def test_the_window_counts_working_days_and_the_organizations_days_off(
    client: AsyncClient,
    runtime: Runtime,
    setup: Setup,
    published: dict[str, Any],
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(runtime.settings, "review_appeal_window_days_are", "working")
    world = setup.world
    assert START.astimezone(SHANGHAI).isoformat() == "2026-12-10T10:00:00+08:00"  # Thursday
    # Seven working days from Thursday 10 December: 11, 14, 15, 16, 17, 18 and 21; the
    # company's day off on Friday 18 December moves the close to Tuesday 22, 10:00.
    await post_ok(
        client,
        world.hr,
        "/working-calendar/days",
        {"day": "2026-12-18", "working": False, "name": "公司活动日"},
    )
    url = f"{API}/review-results/{published['id']}/appeals"
    clock.advance(timedelta(days=7, minutes=1))  # past seven calendar days
    filed = await client.post(
        url,
        json={"indicator_key": "sales", "reason": "Orders booked late"},
        headers=world.lead_account.headers,
    )
    assert filed.status_code == 201, filed.text

    clock._at = datetime(2026, 12, 22, 9, 59, tzinfo=SHANGHAI)
    teamwork = await client.post(
        url,
        json={"indicator_key": "teamwork", "reason": "Led the team offsite"},
        headers=world.lead_account.headers,
    )
    assert teamwork.status_code == 201, teamwork.text

    clock._at = datetime(2026, 12, 22, 10, 1, tzinfo=SHANGHAI)
    late = await client.post(
        url,
        json={"indicator_key": "sales", "reason": "Again"},
        headers=world.lead_account.headers | {"Accept-Language": "zh-CN"},
    )
    body = assert_problem(late, 422, fields={"result"}, detail="2026-12-22")
    assert "工作日" in body["errors"][0]["message"]


@pytest.mark.commits
async def test_the_reply_is_due_in_working_days_when_the_organization_counts_them(
    client: AsyncClient, setup: Setup, published: dict[str, Any], clock: FrozenClock
) -> None:
    world, boss = setup.world, setup.accounts["boss"]
    url = f"/review-results/{published['id']}/appeals"

    async def reply_due(indicator: str) -> str:
        await post_ok(client, world.lead_account, url, {"indicator_key": indicator, "reason": "x"})
        tasks = (await client.get(f"{API}/me/tasks", headers=boss.headers)).json()["items"]
        replies = [t for t in tasks if t["kind"] == "review.appeal_reply"]
        due: str = replies[-1]["due_at"]
        return datetime.fromisoformat(due).astimezone(SHANGHAI).isoformat()

    # filed Thursday 10 December 2026, 10:00: five calendar days is Tuesday 15
    assert await reply_due("sales") == "2026-12-15T10:00:00+08:00"

    working = {"days_are": "working"}
    defaults = {"reminder": working, "escalation": working}
    saved = await client.put(
        "/api/v1/task-policy-defaults", json=defaults, headers=world.hr.headers
    )
    assert saved.status_code == 200, saved.text
    await post_ok(
        client,
        world.hr,
        "/working-calendar/days",
        {"day": "2026-12-16", "working": False, "name": "公司活动日"},
    )
    # five working days: 11, 14, 15, 17 and 18 (the company rests on the 16th)
    assert await reply_due("teamwork") == "2026-12-18T10:00:00+08:00"
