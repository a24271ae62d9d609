"""Mentoring effectiveness over HTTP: pairings, sessions held against planned and the
outcomes mentoring's effectiveness stored, read from rollups the worker refreshes, in the
caller's scope, drillable to the people, and refreshed by a logged session's event."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.analytics import mentoring_effect, refresh
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.mentoring.mentorship_models import Mentorship
from hrcore.mentoring.models import Mentor
from hrcore.worker import run_burst
from tests.analytics.conftest import API, World
from tests.mentoring.effectiveness_helpers import (
    end_pairing,
    log_session,
    make_mentor,
    make_pairing,
    org_today,
    rate,
)

pytestmark = pytest.mark.commits  # the worker runs a burst's jobs side by side
MENTORING = f"{API}/analytics/mentoring"
PEOPLE = f"{API}/analytics/mentoring-effect/people"
STARTS, ENDS = date(2025, 1, 10), date(2025, 12, 20)


async def _history(
    client: AsyncClient, runtime: Runtime, world: World
) -> tuple[Mentor, Mentorship]:
    """Member (sales east) mentored Junior (3.5 → 4.2, skill tests 70 → 85, one goal of two)
    and Peer (4.0 → 4.0, no goal reached), both completed; Engineer mentors Boss (head
    office), still running, one 1:1 held. Answers Member and Engineer's pairing."""
    org_id = world.hr.org_id
    await rate(client, world.hr, world.junior.id, y2024=3.5, y2025=4.2)
    await rate(client, world.hr, world.peer.id, y2024=4.0, y2025=4.0)
    member: Mentor = await make_mentor(runtime, org_id, world.member.id)
    junior = await make_pairing(runtime, member, world.junior.id, starts_on=STARTS, ends_on=ENDS)
    peer = await make_pairing(runtime, member, world.peer.id, starts_on=STARTS, ends_on=ENDS)
    await log_session(runtime, junior, date(2025, 3, 1), score=70)
    await log_session(runtime, junior, date(2025, 6, 1))
    await log_session(runtime, junior, date(2025, 9, 1), score=85)
    await end_pairing(runtime, junior)
    await end_pairing(runtime, peer)
    engineer = await make_mentor(runtime, org_id, world.engineer.id)
    running = await make_pairing(
        runtime, engineer, world.boss.id, starts_on=date(2025, 2, 1), ends_on=ENDS, goals=[]
    )
    await log_session(runtime, running, date(2025, 4, 1))
    await run_burst(runtime)
    await _recollect(runtime, world)
    return member, running


async def _recollect(runtime: Runtime, world: World) -> None:
    """The hourly pass: effectiveness the worker recomputed meanwhile is taken in."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        await refresh.mark(session, world.hr.org_id, [mentoring_effect.NAME], None)
    await run_burst(runtime)


async def _window(runtime: Runtime, world: World) -> dict[str, str]:
    today = await org_today(runtime, world.hr.org_id)
    return {"start": "2025-01-01", "end": today.isoformat()}


def _steps(items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return {item["step"]: item[key] for item in items}


async def test_hr_reads_pairings_sessions_and_outcomes(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    member, _running = await _history(client, runtime, world)
    window = await _window(runtime, world)
    stored = await client.get(f"{API}/mentors/{member.id}/effectiveness", headers=world.hr.headers)
    read = await client.get(MENTORING, params=window, headers=world.hr.headers)
    assert read.status_code == 200, read.text
    body = read.json()
    assert body["refreshed_at"] is not None
    assert _steps(body["pairings"], "count") == {"active": 1, "completed": 2, "cancelled": 0}
    assert _steps(body["sessions"], "count")["session_held"] == 4
    outcomes = {item["step"]: (item["counted"], item["mean"]) for item in body["outcomes"]}
    assert outcomes["performance_gain"] == (2, 10.0), "20 % and 0 %"
    assert outcomes["skill_gain"] == (1, 21.43)
    assert outcomes["goals_reached"] == (2, 25.0), "one of two, none of two"
    assert outcomes["mentor_score"] == (1, stored.json()["score"]), "as mentoring stored it"


async def test_a_department_head_reads_their_subtree_only(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _history(client, runtime, world)
    window = await _window(runtime, world)
    own = await client.get(MENTORING, params=window, headers=world.sales_head.headers)
    assert own.status_code == 200, own.text
    body = own.json()
    assert _steps(body["pairings"], "count") == {"active": 0, "completed": 2, "cancelled": 0}
    assert _steps(body["sessions"], "count")["session_held"] == 3
    other = {"department_id": str(world.engineering.id)} | window
    refused = await client.get(MENTORING, params=other, headers=world.sales_head.headers)
    assert refused.status_code == 404, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    drill = await client.get(PEOPLE, params=other, headers=world.sales_head.headers)
    assert drill.status_code == 404, drill.text
    people = await client.get(PEOPLE, params=window, headers=world.sales_head.headers)
    names = {item["employee"]["name"] for item in people.json()["items"]}
    assert names == {"Junior", "Peer", "Member"}
    employee = await client.get(MENTORING, headers=world.junior_account.headers)
    assert employee.status_code == 403, employee.text


async def test_the_drill_down_says_why_in_the_readers_language(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _history(client, runtime, world)
    window = await _window(runtime, world)
    gains = await client.get(
        PEOPLE, params={"step": "performance_gain"} | window, headers=world.hr.headers
    )
    assert gains.status_code == 200, gains.text
    reasons = {i["employee"]["name"]: i["reason"] for i in gains.json()["items"]}
    assert reasons["Junior"] == "Rated 3.5 before the pairing, 4.2 since"
    chinese = await client.get(
        PEOPLE,
        params={"step": "completed"} | window,
        headers=world.hr.headers | {"Accept-Language": "zh-CN"},
    )
    items = chinese.json()["items"]
    assert len(items) == 2
    assert all("结束带教" in item["reason"] for item in items), items
    assert items[0]["step_label"] == "已完成的带教"


async def test_a_logged_session_refreshes_the_figure(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    _member, running = await _history(client, runtime, world)
    window = await _window(runtime, world)
    await log_session(runtime, running, date(2025, 5, 1))
    await run_burst(runtime)
    body = (await client.get(MENTORING, params=window, headers=world.hr.headers)).json()
    assert _steps(body["sessions"], "count")["session_held"] == 5
