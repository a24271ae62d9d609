"""Dashboards: one's own (current period by indicator, 12-period trend) and a department's
(distribution, means, trend, best and worst, its own observations), who reads them, the
statements they cost, and the `ETag` that makes a poll one small statement."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from hrcore.performance import dashboard_queries as queries
from hrcore.performance import goals_repository
from hrcore.worker import run_burst
from tests.factories import make_org
from tests.people.conftest import count_statements
from tests.performance.conftest import (
    API,
    ZH,
    World,
    api_key,
    observation,
    ok,
    post_scheme,
    scheme,
)
from tests.problems import assert_problem

NOVEMBER = datetime(2026, 11, 4, 9, tzinfo=UTC)
DECEMBER = datetime(2026, 12, 3, 9, tzinfo=UTC)
AUTH = 2
"""Statements of authentication (tenant, user) before any route's own."""
TEST_TRANSACTION = ("SAVEPOINT", "RELEASE SAVEPOINT", "SELECT set_config('app.org_id', '', true)")
"""What the rolled-back isolation adds around a request."""


async def _ingest(client: AsyncClient, key: dict[str, str], *items: dict[str, Any]) -> None:
    body = {"items": list(items)}
    result = ok(await client.post(f"{API}/metric-observations", json=body, headers=key))
    assert result["refused"] == 0, result


@pytest.mark.commits
async def test_my_dashboard_current_period_trend_and_etag(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    key = await api_key(client, world.hr, "metrics:write")
    member = world.member.id
    await _ingest(
        client,
        key,
        observation(member, "output", 50, NOVEMBER, "n-o"),
        observation(member, "output", 80, DECEMBER, "d-o"),
        observation(member, "customer_feedback", 2, DECEMBER, "d-c"),
    )
    url, me = f"{API}/me/dashboard", world.member_account.headers
    assert ok(await client.get(url, headers=me)) == {
        "current": None,
        "trend": [],
        "indicator_trends": [],
        "goals": [],
    }, "nothing scored before the worker ran"
    await run_burst(runtime)

    with count_statements(runtime) as counter:
        first = await client.get(url, headers=me)
    body = ok(first)
    assert counter.statements[AUTH:] == [
        queries.MY_MARKS,
        queries.MY_PERIODS,
        goals_repository.OWNED,
    ]
    current = body["current"]
    assert (current["period"], current["overall"]) == ("2026-12", 68)  # (30·80 + 20·50) / 50
    figures = {f["key"]: f for f in current["indicators"]}
    assert list(figures) == [
        "output",
        "quality",
        "customer_feedback",
        "innovation_proposals",
        "teamwork",
    ]
    assert figures["output"] == {
        "key": "output",
        "name": "Output",
        "unit": "count",
        "direction": "higher",
        "value": 80,
        "target": 100,
        "score": 80,
        "weight": 30,
    }
    assert (figures["quality"]["value"], figures["quality"]["score"]) == (None, None)
    assert [(p["period"], p["overall"]) for p in body["trend"]] == [
        ("2026-11", 50),
        ("2026-12", 68),
    ]
    series = {t["key"]: t["points"] for t in body["indicator_trends"]}
    assert [(p["period"], p["value"], p["score"]) for p in series["output"]] == [
        ("2026-11", 50, 50),
        ("2026-12", 80, 80),
    ]
    assert [(p["period"], p["score"]) for p in series["customer_feedback"]] == [
        ("2026-11", None),
        ("2026-12", 50),
    ]

    tag = first.headers["etag"]
    with count_statements(runtime) as counter:
        polled = await client.get(url, headers=me | {"If-None-Match": tag})
    assert (polled.status_code, polled.content, polled.headers["etag"]) == (304, b"", tag)
    assert counter.statements[AUTH:] == [queries.MY_MARKS], "a poll costs one statement"
    chinese = await client.get(url, headers=me | ZH | {"If-None-Match": tag})
    assert (chinese.status_code, chinese.headers["etag"] != tag) == (200, True), "per locale"
    other = await client.get(url, headers=world.junior_account.headers | {"If-None-Match": tag})
    assert (other.status_code, other.json()["current"]) == (200, None), "per caller"

    await _ingest(client, key, observation(member, "output", 100, DECEMBER, "d-o"))
    await run_burst(runtime)
    changed = await client.get(url, headers=me | {"If-None-Match": tag})
    assert (changed.status_code, changed.headers["etag"] != tag) == (200, True)
    assert changed.json()["current"]["overall"] == 80  # the correction: (30·100 + 20·50) / 50


async def test_my_dashboard_needs_an_employee(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    problem = assert_problem(
        await client.get(f"{API}/me/dashboard", headers=world.hr.headers | ZH), 404
    )
    assert problem["detail"] != "Your account is not linked to an employee", "in Chinese"
    reader = await api_key(client, world.hr, "ratings:read")
    assert_problem(await client.get(f"{API}/me/dashboard", headers=reader), 404)


def _team_day(world: World) -> list[dict[str, Any]]:
    """Output only (so the overall is the output score): member 50, junior 70, peer 90,
    lead 100 in December; the member 100 in November; the department's own quality."""
    return [
        observation(world.member.id, "output", 50, DECEMBER, "t-m"),
        observation(world.junior.id, "output", 70, DECEMBER, "t-j"),
        observation(world.peer.id, "output", 90, DECEMBER, "t-p"),
        observation(world.lead.id, "output", 100, DECEMBER, "t-l"),
        observation(world.member.id, "output", 100, NOVEMBER, "t-mn"),
        observation(None, "quality", 91, NOVEMBER, "q-1", department_id=str(world.sales.id)),
        observation(None, "quality", 93, DECEMBER, "q-2", department_id=str(world.sales.id)),
    ]


def _ref(employee: Any, department: Any) -> dict[str, Any]:
    return {
        "employee_id": str(employee.id),
        "employee": {"id": str(employee.id), "name": employee.full_name},
        "department_id": str(department.id),
        "department": {"id": str(department.id), "name": department.name},
    }


@pytest.mark.commits
async def test_department_dashboard_over_the_subtree(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.head_office.id)]))
    key = await api_key(client, world.hr, "metrics:write")
    await _ingest(client, key, *_team_day(world))
    await _ingest(client, key, observation(world.engineer.id, "output", 10, DECEMBER, "t-e"))
    await run_burst(runtime)
    url = f"{API}/departments/{world.sales.id}/dashboard?members=2"

    with count_statements(runtime) as counter:
        response = await client.get(url, headers=world.hr.headers)
    body = ok(response)
    assert counter.count == AUTH + 7  # subtree, members, marks, trend, current, observations, goals
    assert counter.statements[-5:] == [
        queries.TEAM_MARKS,
        queries.TEAM_TREND,
        queries.TEAM_CURRENT,
        queries.DEPARTMENT_OBSERVATIONS,
        goals_repository.OWNED,
    ]
    assert body["department"] == {"id": str(world.sales.id), "name": world.sales.name}
    assert (body["members"], body["period"], body["scored"], body["mean"]) == (
        4,
        "2026-12",
        4,
        77.5,
    ), "the engineer is not in sales"
    assert [(b["at_least"], b["below"], b["members"]) for b in body["distribution"]] == [
        (None, 60, 1),
        (60, 80, 1),
        (80, 100, 1),
        (100, None, 1),
    ]
    assert [(p["period"], p["members"], p["mean"]) for p in body["trend"]] == [
        ("2026-11", 1, 100),
        ("2026-12", 4, 77.5),
    ]
    output = next(t for t in body["indicator_trends"] if t["key"] == "output")
    assert [
        (p["period"], p["members"], p["mean_score"], p["mean_value"]) for p in output["points"]
    ] == [
        ("2026-11", 1, 100, 100),
        ("2026-12", 4, 77.5, 77.5),
    ]
    quality = next(t for t in body["indicator_trends"] if t["key"] == "quality")
    assert [(p["members"], p["mean_score"]) for p in quality["points"]] == [(0, None), (0, None)]
    assert [m | {"overall": None} for m in body["best"]] == [
        _ref(world.lead, world.sales) | {"overall": None},
        _ref(world.peer, world.sales) | {"overall": None},
    ]
    assert [m["overall"] for m in body["best"]] == [100, 90]
    assert [(m["employee"]["name"], m["overall"]) for m in body["worst"]] == [
        ("Member", 50),
        ("Junior", 70),
    ]
    assert [(o["indicator"], o["value"]) for o in body["observations"]] == [("quality", 93)]

    tag = response.headers["etag"]
    with count_statements(runtime) as counter:
        polled = await client.get(url, headers=world.hr.headers | {"If-None-Match": tag})
    assert (polled.status_code, counter.statements[-1]) == (304, queries.TEAM_MARKS)
    assert counter.count == AUTH + 3, "a poll: the reach (subtree, members) and the marks"
    wider = await client.get(
        url.replace("members=2", "members=3"), headers=world.hr.headers | {"If-None-Match": tag}
    )
    assert (wider.status_code, len(wider.json()["best"])) == (200, 3)
    sales = str(world.sales.id)
    await _ingest(
        client,
        key,
        observation(None, "quality", 95, DECEMBER.replace(day=5), "q-3", department_id=sales),
    )
    moved = await client.get(url, headers=world.hr.headers | {"If-None-Match": tag})
    assert moved.status_code == 200, "the department's own observation moves the tag"
    assert moved.json()["observations"][0]["value"] == 95
    east = ok(
        await client.get(
            f"{API}/departments/{world.sales_east.id}/dashboard", headers=world.sales_head.headers
        )
    )
    assert (east["members"], east["scored"], east["observations"]) == (2, 2, [])


async def test_who_reads_a_department_dashboard(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    def url(department: Any) -> str:
        return f"{API}/departments/{department}/dashboard"

    head = world.sales_head.headers
    assert ok(await client.get(url(world.sales.id), headers=head))["period"] is None
    for department in (world.head_office.id, world.engineering.id, uuid.uuid4()):
        assert_problem(await client.get(url(department), headers=head | ZH), 404, kind="not-found")
    (
        assert_problem(
            await client.get(url(world.sales.id), headers=world.lead_account.headers), 404
        ),
        "a manager who is no head",
    )
    assert_problem(await client.get(url(uuid.uuid4()), headers=world.hr.headers), 404)
    other = await make_org(runtime, slug="far-away")
    assert_problem(await client.get(url(world.sales.id), headers=other.headers), 404)
    reader = await api_key(client, world.hr, "ratings:read")
    assert_problem(await client.get(url(world.sales.id), headers=reader), 403)
    assert_problem(
        await client.get(f"{url(world.sales.id)}?members=0", headers=world.hr.headers), 422
    )
    with count_statements(runtime) as counter:
        ok(await client.get(url(world.sales_east.id), headers=head))
    sent = [s for s in counter.statements if not s.startswith(TEST_TRANSACTION)]
    assert len(sent) == AUTH + 7, "paths, subtree, members, marks, trend, observations, goals"
