"""On-time rates over HTTP: counted from the tasks the domains make, read from rollups the
worker refreshes, in the caller's scope, drillable to the people."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import cast

import pytest
from httpx import AsyncClient

from hrcore.analytics import refresh
from hrcore.core import read_log
from hrcore.core.authz import Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.analytics.conftest import API, World, refresh_all, task_done
from tests.factories import make_user

ON_TIME = f"{API}/analytics/on-time"


async def _three_tasks(runtime: Runtime, world: World) -> None:
    """Lead (sales) rated on time, Member (sales east) did a program stage late, Engineer
    has a mentoring 1:1 overdue; Junior's task is not yet due (not counted)."""
    await task_done(runtime, world, world.lead, "review.rate", -10, -11)
    await task_done(runtime, world, world.member, "program.training", -5, -2)
    await task_done(runtime, world, world.engineer, "mentoring_one_on_one", -3, None)
    await task_done(runtime, world, world.junior, "program.training", 5, None)


async def test_hr_reads_the_rates_of_every_area(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _three_tasks(runtime, world)
    before = await client.get(ON_TIME, headers=world.hr.headers)
    assert before.status_code == 200, before.text
    assert before.json()["refreshed_at"] is None
    assert before.json()["overall"]["on_time"] == 0

    await refresh_all(runtime)
    body = (await client.get(ON_TIME, headers=world.hr.headers)).json()
    assert body["refreshed_at"] is not None
    assert body["department"] is None
    areas = {area["area"]: area for area in body["areas"]}
    assert (areas["review"]["on_time"], areas["review"]["rate"]) == (1, 1.0)
    assert (areas["program_stage"]["late"], areas["program_stage"]["rate"]) == (1, 0.0)
    assert areas["mentoring_session"]["overdue"] == 1
    overall = body["overall"]
    assert (overall["on_time"], overall["late"], overall["overdue"]) == (1, 1, 1)
    assert overall["rate"] == round(1 / 3, 4)


async def test_a_department_head_reads_their_subtree_only(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _three_tasks(runtime, world)
    await refresh_all(runtime)
    own = await client.get(ON_TIME, headers=world.sales_head.headers)
    assert own.status_code == 200, own.text
    body = own.json()
    assert body["department"]["id"] == str(world.sales.id)
    overall = body["overall"]
    assert (overall["on_time"], overall["late"], overall["overdue"]) == (1, 1, 0)

    other = await client.get(
        ON_TIME,
        params={"department_id": str(world.engineering.id)},
        headers=world.sales_head.headers,
    )
    assert other.status_code == 404, other.text
    assert other.headers["content-type"].startswith("application/problem+json")
    drill = await client.get(
        f"{ON_TIME}/people",
        params={"department_id": str(world.engineering.id)},
        headers=world.sales_head.headers,
    )
    assert drill.status_code == 404, drill.text
    people = await client.get(f"{ON_TIME}/people", headers=world.sales_head.headers)
    names = {item["employee"]["name"] for item in people.json()["items"]}
    assert names == {"Lead", "Member"}


async def test_employees_and_keys_read_no_analytics(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    refused = await client.get(ON_TIME, headers=world.junior_account.headers)
    assert refused.status_code == 403, refused.text
    refused = await client.get(f"{ON_TIME}/people", headers=world.junior_account.headers)
    assert refused.status_code == 403, refused.text


async def test_the_drill_down_says_why_each_person_counts(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _three_tasks(runtime, world)
    await refresh_all(runtime)
    late = await client.get(f"{ON_TIME}/people", params={"step": "late"}, headers=world.hr.headers)
    assert late.status_code == 200, late.text
    [item] = late.json()["items"]
    assert item["employee"]["id"] == str(world.member.id)
    assert item["department"]["id"] == str(world.sales_east.id)
    assert item["dimension"] == "program_stage"
    assert "after its deadline" in item["reason"]

    chinese = await client.get(
        f"{ON_TIME}/people",
        params={"step": "late"},
        headers=world.hr.headers | {"Accept-Language": "zh-CN"},
    )
    [item] = chinese.json()["items"]
    assert "截止" in item["reason"], item["reason"]
    assert item["step_label"] == "逾期完成"

    first = await client.get(f"{ON_TIME}/people", params={"limit": 2}, headers=world.hr.headers)
    page = first.json()
    assert len(page["items"]) == 2
    assert page["next_cursor"]
    rest = await client.get(
        f"{ON_TIME}/people",
        params={"limit": 2, "cursor": page["next_cursor"]},
        headers=world.hr.headers,
    )
    ids = {i["id"] for i in page["items"]} | {i["id"] for i in rest.json()["items"]}
    assert len(ids) == 3


async def test_a_mark_refreshes_only_its_person(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _three_tasks(runtime, world)
    await refresh_all(runtime)
    await task_done(runtime, world, world.peer, "review.rate", -1, -2)
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        await refresh.mark(session, world.hr.org_id, ["on_time"], [world.peer.id])
    await run_burst(runtime)
    body = (await client.get(ON_TIME, headers=world.hr.headers)).json()
    assert body["overall"]["on_time"] == 2


async def test_bad_questions_are_4xx(client: AsyncClient, runtime: Runtime, world: World) -> None:
    backwards = await client.get(
        ON_TIME, params={"start": "2026-10-01", "end": "2026-09-01"}, headers=world.hr.headers
    )
    assert backwards.status_code == 422, backwards.text
    too_long = await client.get(
        ON_TIME, params={"start": "2016-01-01", "end": "2026-09-01"}, headers=world.hr.headers
    )
    assert too_long.status_code == 422, too_long.text
    for edge in ({"end": "9999-12-31"}, {"start": "0001-01-01"}):
        outside = await client.get(ON_TIME, params=edge, headers=world.hr.headers)
        assert outside.status_code == 422, outside.text
    unknown = await client.get(f"{API}/analytics/nothing/people", headers=world.hr.headers)
    assert unknown.status_code == 404, unknown.text
    step = await client.get(f"{ON_TIME}/people", params={"step": "never"}, headers=world.hr.headers)
    assert step.status_code == 422, step.text
    hr_ = await make_user(runtime, world.hr.org_id, Role.HR_ADMIN)
    elsewhere = await client.get(
        ON_TIME,
        params={"department_id": "00000000-0000-7000-8000-000000000000"},
        headers=hr_.headers,
    )
    assert elsewhere.status_code == 404, elsewhere.text


@pytest.mark.commits
async def test_a_drill_down_is_noted_in_the_read_access_log(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _three_tasks(runtime, world)
    await refresh_all(runtime)
    key = read_log.buffer_key(runtime.settings.queue_name)
    await cast(Awaitable[int], runtime.redis.delete(key))
    late = await client.get(f"{ON_TIME}/people", params={"step": "late"}, headers=world.hr.headers)
    assert late.status_code == 200, late.text
    buffered = await cast(Awaitable[list[bytes]], runtime.redis.lrange(key, 0, -1))
    noted = [entry for entry in buffered if b"analytics_fact" in entry]
    assert len(noted) == 1
    assert str(world.member.id).encode() in noted[0]
