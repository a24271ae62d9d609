"""A department's dashboard trend from its period aggregates (`team_periods`) gives what the
members' stored explanations give: compared, over HTTP, with the exact computation over
`performance_scores` (the query the dashboard ran before the aggregates) after scoring, a
correction, a move not recomputed yet and then recomputed, an exit, and within a department
head's reach."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.runtime import Runtime
from hrcore.performance import dashboard_queries as queries
from hrcore.performance import jobs, team_settling
from hrcore.worker import run_burst
from tests.performance.conftest import API, World, api_key, observation, ok, post_scheme, scheme
from tests.problems import assert_problem

OCTOBER = datetime(2026, 10, 6, 9, tzinfo=UTC)
NOVEMBER = datetime(2026, 11, 4, 9, tzinfo=UTC)
DECEMBER = datetime(2026, 12, 3, 9, tzinfo=UTC)

EXACT = """
WITH roster AS (
    SELECT e.id FROM employees e
    JOIN departments d ON d.org_id = e.org_id AND d.id = e.department_id
    WHERE e.org_id = :org AND e.status = 'active'
      AND d.path LIKE (SELECT path FROM departments WHERE id = :department) || '%'
), scored AS (
    SELECT s.period, s.starts_on, s.overall, s.indicators FROM performance_scores s
    WHERE s.org_id = :org AND s.employee_id IN (SELECT id FROM roster)
)
SELECT period, starts_on, NULL::text AS key, NULL::text AS name, count(*) AS members,
       avg(overall) AS mean_score, NULL::float8 AS mean_value
FROM scored GROUP BY period, starts_on
UNION ALL
SELECT period, starts_on, f->>'key', max(f->>'name'), count(f->>'score'),
       avg((f->>'score')::float8), avg((f->>'value')::float8)
FROM scored, jsonb_array_elements(indicators) AS f
GROUP BY period, starts_on, f->>'key'
ORDER BY starts_on, period, key NULLS FIRST
"""
"""The trend computed from every scored member's explanation (the roster: the active
employees of the department's subtree now), as the dashboard computed it before."""

FIXES = f"WITH {queries.ROSTER_FIXES} SELECT count(*) FROM fixes"


async def _exact(owner: AsyncEngine, world: World, department: Any) -> dict[str, Any]:
    async with owner.connect() as connection:
        rows = (
            await connection.execute(
                text(EXACT), {"org": world.hr.org_id, "department": department.id}
            )
        ).all()
    overall = [(r.period, r.members, r.mean_score) for r in rows if r.key is None]
    indicators: dict[str, list[tuple[Any, ...]]] = {}
    for r in rows:
        if r.key is not None:
            indicators.setdefault(r.key, []).append(
                (r.period, r.members, r.mean_score, r.mean_value)
            )
    return {"trend": overall, "indicators": indicators}


def _shown(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "trend": [(p["period"], p["members"], p["mean"]) for p in body["trend"]],
        "indicators": {
            t["key"]: [
                (p["period"], p["members"], p["mean_score"], p["mean_value"]) for p in t["points"]
            ]
            for t in body["indicator_trends"]
        },
    }


def _rounded(found: Any) -> Any:
    """Floats to 9 significant digits: the aggregates sum exactly (`numeric`), the old query
    summed floats in scan order; they differ in the last bits only."""
    if isinstance(found, float):
        return float(f"{found:.9g}")
    if isinstance(found, dict):
        return {k: _rounded(v) for k, v in found.items()}
    if isinstance(found, list | tuple):
        return [_rounded(v) for v in found]
    return found


async def _fixes(owner: AsyncEngine, world: World, department: Any) -> int:
    """How many people the read corrects for: 0 when the aggregates alone are the answer."""
    async with owner.connect() as connection:
        roster = (
            await connection.execute(
                text(
                    "SELECT array_agg(e.id) FROM employees e JOIN departments d "
                    "ON d.org_id = e.org_id AND d.id = e.department_id "
                    "WHERE e.org_id = :org AND e.status = 'active' AND d.path LIKE "
                    "(SELECT path FROM departments WHERE id = :department) || '%'"
                ),
                {"org": world.hr.org_id, "department": department.id},
            )
        ).scalar_one()
        raw = await connection.get_raw_connection()
        return await raw.driver_connection.fetchval(  # type: ignore[union-attr,no-any-return]
            FIXES, world.hr.org_id, roster or [], department.id
        )


async def _same(
    client: AsyncClient,
    owner: AsyncEngine,
    world: World,
    headers: dict[str, str],
    *departments: Any,
) -> None:
    for department in departments:
        url = f"{API}/departments/{department.id}/dashboard"
        shown = _shown(ok(await client.get(url, headers=headers)))
        assert _rounded(shown) == _rounded(await _exact(owner, world, department)), department.name


async def _ingest(client: AsyncClient, key: dict[str, str], *items: dict[str, Any]) -> None:
    result = ok(
        await client.post(f"{API}/metric-observations", json={"items": list(items)}, headers=key)
    )
    assert result["refused"] == 0, result


EXIT = {"kind": "exit", "effective_date": "2026-12-01"}


def _transfer(department: Any) -> dict[str, Any]:
    return {"kind": "transfer", "effective_date": "2026-01-01", "department_id": str(department.id)}


def _figures(employee: uuid.UUID, moment: datetime, tag: str, output: float) -> list[Any]:
    """Output for everyone, a response time and a third figure for some: indicators scored by
    some members only, values without a score, sums that are not round."""
    return [
        observation(employee, "output", output, moment, f"{tag}-o"),
        observation(employee, "customer_feedback", output / 37, moment, f"{tag}-c"),
        observation(employee, "innovation_proposals", output % 3, moment, f"{tag}-i"),
    ]


async def _score_everyone(client: AsyncClient, world: World, runtime: Runtime) -> dict[str, str]:
    """The world's six people scored for one to three of October–December; the key."""
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.head_office.id)]))
    key = await api_key(client, world.hr, "metrics:write")
    people = [world.boss, world.lead, world.member, world.junior, world.peer, world.engineer]
    items = []
    for n, person in enumerate(people):
        for moment in (OCTOBER, NOVEMBER, DECEMBER)[: 1 + n % 3]:
            items += _figures(person.id, moment, f"{n}-{moment.month}", 41.3 + 7.7 * n)
    await _ingest(client, key, *items)
    await run_burst(runtime)
    return key


async def _event(client: AsyncClient, world: World, person: Any, body: dict[str, Any]) -> None:
    url = f"{API}/employees/{person.id}/events"
    response = await client.post(url, json=body, headers=world.hr.headers)
    assert response.status_code == 201, response.text


@pytest.mark.commits
async def test_aggregates_answer_as_the_members_scores_do(
    client: AsyncClient, world: World, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    key = await _score_everyone(client, world, runtime)
    hr = world.hr.headers
    departments = (world.head_office, world.sales, world.sales_east, world.engineering)
    await _same(client, owner_engine, world, hr, *departments)
    assert [await _fixes(owner_engine, world, d) for d in departments] == [0, 0, 0, 0], (
        "after the recompute the aggregates alone are the answer"
    )
    sales = ok(await client.get(f"{API}/departments/{world.sales.id}/dashboard", headers=hr))
    assert [p["members"] for p in sales["trend"]] == [4, 3, 1], "lead, member, junior, peer"

    await _ingest(client, key, observation(world.member.id, "output", 12.25, DECEMBER, "2-12-o"))
    await run_burst(runtime)
    await _same(client, owner_engine, world, hr, *departments)  # a correction, recomputed

    url = f"{API}/departments/{world.sales.id}/dashboard"
    tag = (await client.get(url, headers=hr)).headers["etag"]
    await _event(client, world, world.member, _transfer(world.engineering))
    polled = await client.get(url, headers=hr | {"If-None-Match": tag})
    assert polled.status_code == 200, "the roster changed: so did the tag"
    await _same(client, owner_engine, world, hr, *departments)
    assert [await _fixes(owner_engine, world, d) for d in departments] == [0, 1, 1, 1], (
        "the move is corrected at read time until the member's scores are recomputed"
    )
    tag = polled.headers["etag"]
    await _ingest(client, key, observation(world.member.id, "output", 60, NOVEMBER, "moved"))
    await run_burst(runtime)
    assert (await client.get(url, headers=hr | {"If-None-Match": tag})).status_code == 200
    await _same(client, owner_engine, world, hr, *departments)
    assert [await _fixes(owner_engine, world, d) for d in departments] == [0, 0, 0, 0], (
        "the recompute moved every period of the member's, not only the one it saved"
    )

    await _event(client, world, world.junior, EXIT)
    await _same(client, owner_engine, world, hr, *departments)
    assert await _fixes(owner_engine, world, world.sales_east) == 1, "counted, no member now"

    head = world.sales_head.headers
    await _same(client, owner_engine, world, head, world.sales, world.sales_east)
    for outside in (world.head_office, world.engineering):
        assert_problem(
            await client.get(f"{API}/departments/{outside.id}/dashboard", headers=head), 404
        )


@pytest.mark.commits
async def test_the_daily_settling_counts_people_where_they_are(
    client: AsyncClient,
    world: World,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(team_settling, "CHUNK", 1)
    await _score_everyone(client, world, runtime)
    hr = world.hr.headers
    departments = (world.head_office, world.sales, world.sales_east, world.engineering)
    await _event(client, world, world.junior, EXIT)
    await _event(client, world, world.peer, _transfer(world.engineering))
    await _event(client, world, world.boss, _transfer(world.sales))
    await _same(client, owner_engine, world, hr, *departments)
    assert [await _fixes(owner_engine, world, d) for d in departments] == [1, 3, 1, 1]

    settle = {"runtime": runtime}
    assert await jobs.settle_team_periods(settle) == 3, "the junior out, the peer, the boss"
    await _same(client, owner_engine, world, hr, *departments)
    assert [await _fixes(owner_engine, world, d) for d in departments] == [0, 0, 0, 0]
    assert await jobs.settle_team_periods(settle) == 0, "nothing drifted since"
    assert await _counted(owner_engine, world) == 5, "the departed junior is counted nowhere"

    await _event(client, world, world.junior, {"kind": "hire", "effective_date": "2026-12-05"})
    await _same(client, owner_engine, world, hr, *departments)
    assert [await _fixes(owner_engine, world, d) for d in departments] == [1, 1, 1, 0]
    assert await jobs.settle_team_periods(settle) == 1, "the rehired junior, counted again"
    await _same(client, owner_engine, world, hr, *departments)
    assert [await _fixes(owner_engine, world, d) for d in departments] == [0, 0, 0, 0]
    assert await _counted(owner_engine, world) == 6


async def _counted(owner: AsyncEngine, world: World) -> int:
    async with owner.connect() as connection:
        return await connection.scalar(  # type: ignore[no-any-return]
            text("SELECT count(*) FROM performance_team_members WHERE org_id = :org"),
            {"org": world.hr.org_id},
        )


@pytest.mark.commits
async def test_a_rename_in_the_team_moves_the_tag(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    """The reach carries ids only: names come with the best and worst members, and the tag
    carries a digest of the members' and their departments' names."""
    await _score_everyone(client, world, runtime)
    hr, url = world.hr.headers, f"{API}/departments/{world.sales.id}/dashboard?members=4"
    first = await client.get(url, headers=hr)
    best = [(m["employee"]["name"], m["department"]["name"]) for m in ok(first)["best"]]
    assert best == [("Member", "Sales East")], "December: the member alone scored in sales"
    tag = first.headers["etag"]
    renamed = await client.patch(
        f"{API}/employees/{world.member.id}", json={"full_name": "Member Renamed"}, headers=hr
    )
    assert renamed.status_code == 200, renamed.text
    again = await client.get(url, headers=hr | {"If-None-Match": tag})
    assert again.status_code == 200, "a member's new name"
    assert ok(again)["best"][0]["employee"]["name"] == "Member Renamed"
    tag = again.headers["etag"]
    department = await client.patch(
        f"{API}/departments/{world.sales_east.id}", json={"name": "East"}, headers=hr
    )
    assert department.status_code == 200, department.text
    third = await client.get(url, headers=hr | {"If-None-Match": tag})
    assert third.status_code == 200, "a member's department's new name"
    assert ok(third)["best"][0]["department"]["name"] == "East"
    tag = third.headers["etag"]
    assert (await client.get(url, headers=hr | {"If-None-Match": tag})).status_code == 304
