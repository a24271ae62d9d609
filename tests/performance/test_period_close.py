"""Period close over HTTP: the periods listed with their state and counts, a close that
freezes the scores and writes the period's performance ratings, observations in a closed
period refused, reopen with a reason, a second close replacing the ratings, and who may."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.runtime import Runtime
from hrcore.performance import closing_queries
from hrcore.worker import run_burst
from tests.factories import make_org
from tests.people.conftest import count_statements
from tests.performance.closing_helpers import (
    DECEMBER,
    NOVEMBER,
    OBSERVATIONS,
    PERIODS,
    close,
    ratings,
    scored_november,
    shares,
)
from tests.performance.conftest import API, ZH, World, observation, ok
from tests.problems import assert_problem


async def _score(client: AsyncClient, world: World, employee: Any) -> Any:
    url = f"{API}/employees/{employee.id}/performance"
    periods = ok(await client.get(url, headers=world.hr.headers))["periods"]
    return {p["period"]: p["overall"] for p in periods}


@pytest.mark.commits
async def test_a_close_freezes_the_scores_and_writes_the_ratings(
    client: AsyncClient, world: World, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    await scored_november(client, world, runtime)
    listed = ok(await client.get(PERIODS, headers=world.hr.headers))["items"]
    assert [(p["id"], p["kind"], p["state"], p["employees"]) for p in listed] == [
        ("2026-11", "month", "open", 4)
    ]
    assert (listed[0]["starts_on"], listed[0]["ends_on"]) == ("2026-11-01", "2026-12-01")
    live = ok(await client.get(f"{PERIODS}/2026-11", headers=world.hr.headers))
    assert shares(live) == {"A": (1, 1), "B": (1, 1), "C": (1, 1), "D": (1, 1)}
    assert [d["guideline"] for d in live["distribution"]] == [20, 70, 10, 0]

    closed = await close(client, world)
    assert (closed["state"], closed["closed_by"]) == ("closed", str(world.hr.user_id))
    assert await ratings(client, world, world.lead) == [("2026-11", "A", "4.80")]
    assert await ratings(client, world, world.peer) == [("2026-11", "D", "2.60")]
    assert_problem(
        await client.post(f"{PERIODS}/2026-11/close", headers=world.hr.headers | ZH),
        409,
        detail="已关闭",
    )

    late = [
        observation(world.lead.id, "output", 10, NOVEMBER, "late-nov"),
        observation(world.lead.id, "output", 70, DECEMBER, "dec-1"),
    ]
    answer = ok(await client.post(OBSERVATIONS, json={"items": late}, headers=world.hr.headers))
    assert [(i["outcome"], i["error"]) for i in answer["items"]] == [
        ("refused", "observed_at falls in the closed performance period 2026-11"),
        ("recorded", None),
    ]
    # A correction moving an observation of the closed period: the period keeps its score.
    moved = [
        observation(world.lead.id, "output", 50, NOVEMBER.replace(month=12), f"nov-{world.lead.id}")
    ]
    assert (
        ok(await client.post(OBSERVATIONS, json={"items": moved}, headers=world.hr.headers))[
            "corrected"
        ]
        == 1
    )
    await run_burst(runtime)
    assert await _score(client, world, world.lead) == {"2026-12": 100.0, "2026-11": 95.0}

    reopened = ok(
        await client.post(
            f"{PERIODS}/2026-11/reopen",
            json={"reason": "CRM export was late"},
            headers=world.hr.headers,
        )
    )
    assert (reopened["state"], reopened["reopen_reason"]) == ("open", "CRM export was late")
    assert await ratings(client, world, world.lead) == [("2026-11", "A", "4.80")], "kept"
    again = ok(await client.post(OBSERVATIONS, json={"items": late[:1]}, headers=world.hr.headers))
    assert again["recorded"] == 1
    await run_burst(runtime)
    assert (await _score(client, world, world.lead))["2026-11"] == 10.0, "the move and the late one"

    await close(client, world)
    assert await ratings(client, world, world.lead) == [("2026-11", "D", "1.40")], "replaced"
    async with owner_engine.connect() as connection:
        actions = (
            await connection.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.org_id == world.hr.org_id,
                    AuditEvent.object_type.in_(["performance_period", "performance_period_result"]),
                )
            )
        ).all()
    assert sorted(set(actions)) == [
        "performance_period.closed",
        "performance_period.reopened",
        "performance_period_result.written",
    ]
    assert actions.count("performance_period_result.written") == 8


@pytest.mark.commits
async def test_who_may_close_and_what_is_unknown(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await scored_november(client, world, runtime)
    for account in (world.member_account, world.sales_head):
        for method, path in (
            ("GET", ""),
            ("GET", "/2026-11"),
            ("GET", "/2026-11/results"),
            ("POST", "/2026-11/close"),
        ):
            response = await client.request(method, f"{PERIODS}{path}", headers=account.headers)
            assert_problem(response, 403)
    assert_problem(
        await client.post(f"{PERIODS}/2030-01/close", headers=world.hr.headers | ZH),
        404,
        detail="绩效周期",
    )
    other = await make_org(runtime)
    assert_problem(await client.post(f"{PERIODS}/2026-11/close", headers=other.headers), 404)
    assert ok(await client.get(PERIODS, headers=other.headers))["items"] == []
    assert_problem(await client.post(f"{PERIODS}/November/close", headers=world.hr.headers), 422)
    assert_problem(
        await client.post(
            f"{PERIODS}/2026-11/reopen", json={"reason": "x"}, headers=world.hr.headers
        ),
        409,
    )


@pytest.mark.commits
async def test_reads_are_a_fixed_number_of_statements(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await scored_november(client, world, runtime)
    await close(client, world)
    with count_statements(runtime) as listing:
        ok(await client.get(PERIODS, headers=world.hr.headers))
    assert [s for s in listing.statements if "performance_" in s] == [closing_queries.PERIODS]
    with count_statements(runtime) as reading:
        ok(await client.get(f"{PERIODS}/2026-11", headers=world.hr.headers))
    period_statements = [s for s in reading.statements if "performance_" in s]
    assert len(period_statements) == 3, period_statements
    with count_statements(runtime) as results:
        page = ok(
            await client.get(
                f"{PERIODS}/2026-11/results", params={"limit": 2}, headers=world.hr.headers
            )
        )
    assert len(page["items"]) == 2
    assert page["next_cursor"]
    assert [s for s in results.statements if "performance_" in s] == [
        closing_queries.PERIODS,
        closing_queries.RESULTS,
    ], "the period's existence, then the page with every name"
    rest = ok(
        await client.get(
            f"{PERIODS}/2026-11/results",
            params={"cursor": page["next_cursor"]},
            headers=world.hr.headers,
        )
    )
    assert len(rest["items"]) == 2


@pytest.mark.commits
async def test_two_closes_at_once_write_the_ratings_once(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await scored_november(client, world, runtime)
    url = f"{PERIODS}/2026-11/close"
    answers = await asyncio.gather(
        client.post(url, headers=world.hr.headers), client.post(url, headers=world.hr.headers)
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    assert await ratings(client, world, world.member) == [("2026-11", "B", "4.20")]
