"""Work results 「工作成果」 over HTTP: an employee submits one with evidence, their manager
accepts it — an observation through the ingestion use case, the live score follows in the
worker — or rejects it with a reason; decided once; who may decide, who may see, and the
refusals in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.runtime import Runtime
from hrcore.performance import work_results_repository
from hrcore.worker import run_burst
from tests.factories import make_org
from tests.files.conftest import status_of, storage_dir, uploaded
from tests.people.conftest import count_statements
from tests.performance.conftest import API, ZH, World, api_key, ok, post_scheme, scheme
from tests.problems import assert_problem

__all__ = ["storage_dir"]
URL = f"{API}/work-results"
AT = datetime(2026, 12, 3, 9, tzinfo=UTC)


def _result(**more: Any) -> dict[str, Any]:
    return {
        "title": "Delivered the East region CRM rollout",
        "description": "Report attached",
        "indicator": "innovation_proposals",
        "value": 2,
        "achieved_at": AT.isoformat(),
    } | more


@pytest.mark.commits
async def test_an_accepted_result_becomes_an_observation_and_a_score(
    client: AsyncClient,
    world: World,
    runtime: Runtime,
    storage_dir: Path,
    owner_engine: AsyncEngine,
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    evidence = await uploaded(client, world.member_account)
    member, lead = world.member_account.headers, world.lead_account.headers
    submitted = ok(await client.post(URL, json=_result(file_ids=[evidence]), headers=member), 201)
    assert (submitted["status"], submitted["file_ids"], submitted["employee"]["name"]) == (
        "submitted",
        [evidence],
        "Member",
    )
    waiting = ok(await client.get(URL, params={"status": "submitted"}, headers=lead))["items"]
    assert [w["id"] for w in waiting] == [submitted["id"]]
    assert await status_of(client, world.lead_account, evidence) == (200, 200)
    assert await status_of(client, world.junior_account, evidence) == (404, 404)

    accepted = ok(await client.post(f"{URL}/{submitted['id']}/accept", headers=lead))
    assert (accepted["status"], accepted["decided_by_user"]["id"]) == (
        "accepted",
        str(world.lead_account.user_id),
    )
    (stored,) = ok(await client.get(f"{API}/metric-observations", headers=world.hr.headers))[
        "items"
    ]
    assert (stored["id"], stored["source"], stored["external_id"], stored["value"]) == (
        accepted["observation_id"],
        "work_result",
        submitted["id"],
        2,
    )
    again = await client.post(f"{URL}/{submitted['id']}/accept", headers=lead | ZH)
    assert_problem(again, 409, detail="该工作成果已处理，不能再次决定")
    rejected_late = await client.post(
        f"{URL}/{submitted['id']}/reject", json={"reason": "late"}, headers=world.hr.headers
    )
    assert_problem(rejected_late, 409)

    await run_burst(runtime)
    mine = ok(await client.get(f"{API}/me/performance", headers=member))
    (period,) = mine["periods"]
    innovation = next(f for f in period["indicators"] if f["key"] == "innovation_proposals")
    assert (innovation["value"], innovation["score"]) == (2, 100)
    own = ok(await client.get(f"{API}/me/work-results", headers=member))["items"]
    assert [(o["status"], o["observation_id"]) for o in own] == [
        ("accepted", accepted["observation_id"])
    ]
    async with owner_engine.connect() as connection:
        actions = (
            await connection.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.org_id == world.hr.org_id)
                .where(AuditEvent.action.like("work_result.%"))
                .order_by(AuditEvent.created_at)
            )
        ).all()
    assert actions == ["work_result.submitted", "work_result.accepted"]


async def test_a_rejection_says_why_and_records_nothing(client: AsyncClient, world: World) -> None:
    created = await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    member, lead = world.member_account.headers, world.lead_account.headers
    submitted = ok(await client.post(URL, json=_result(), headers=member), 201)
    url = f"{URL}/{submitted['id']}/reject"
    assert_problem(await client.post(url, json={"reason": "  "}, headers=lead), 422)
    rejected = ok(await client.post(url, json={"reason": "No report attached"}, headers=lead))
    assert (rejected["status"], rejected["reason"], rejected["observation_id"]) == (
        "rejected",
        "No report attached",
        None,
    )
    assert (
        ok(await client.get(f"{API}/metric-observations", headers=world.hr.headers))["items"] == []
    )
    assert_problem(await client.post(f"{URL}/{submitted['id']}/accept", headers=lead), 409)
    read = ok(await client.get(f"{URL}/{submitted['id']}", headers=member))
    assert read["reason"] == "No report attached"

    late = ok(await client.post(URL, json=_result(), headers=member), 201)
    revised = scheme(department_ids=[str(world.sales.id)])
    revised["indicators"] = [i for i in revised["indicators"] if i["key"] != "innovation_proposals"]
    revised["indicators"][0]["weight"] = 45
    ok(
        await client.patch(
            f"{API}/performance-schemes/{created['id']}", json=revised, headers=world.hr.headers
        )
    )
    unmeasured = await client.post(f"{URL}/{late['id']}/accept", headers=lead | ZH)
    assert_problem(
        unmeasured, 422, detail="工作成果无法记录：没有绩效方案考核指标 innovation_proposals"
    )
    assert ok(await client.get(f"{URL}/{late['id']}", headers=member))["status"] == "submitted"


async def test_only_the_manager_decides_and_only_the_reach_sees(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    submitted = ok(
        await client.post(URL, json=_result(), headers=world.member_account.headers), 201
    )
    accept = f"{URL}/{submitted['id']}/accept"
    for account in (world.member_account, world.sales_head):
        problem = assert_problem(await client.post(accept, headers=account.headers | ZH), 403)
        assert problem["detail"] == "只有员工的直属上级可以接受或退回工作成果"
    assert_problem(
        await client.post(accept, headers=world.junior_account.headers),
        404,
        detail="No such work result",
    )
    other = await make_org(runtime, slug="elsewhere")
    assert_problem(await client.post(accept, headers=other.headers), 404)
    assert_problem(await client.get(f"{URL}/{submitted['id']}", headers=other.headers), 404)
    assert ok(await client.get(URL, headers=other.headers))["items"] == []
    assert ok(await client.get(URL, headers=world.junior_account.headers))["items"] == []
    assert [
        r["id"] for r in ok(await client.get(URL, headers=world.sales_head.headers))["items"]
    ] == [submitted["id"]]
    key = await api_key(client, world.hr, "metrics:write")
    assert_problem(await client.post(URL, json=_result(), headers=key), 403)
    assert_problem(await client.get(URL, headers=key), 403)
    accepted = ok(await client.post(accept, headers=world.hr.headers))
    assert accepted["status"] == "accepted", "HR admins decide too"


async def test_bad_submissions_are_refused_in_the_reader_s_language(
    client: AsyncClient, world: World, runtime: Runtime, storage_dir: Path
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    member = world.member_account.headers | ZH
    unknown = await client.post(URL, json=_result(indicator="mood"), headers=member)
    problem = assert_problem(unknown, 422, fields={"indicator"})
    assert problem["errors"][0]["message"] == "没有绩效方案考核指标 mood"
    someone_else_s = await uploaded(client, world.lead_account)
    foreign = await client.post(URL, json=_result(file_ids=[someone_else_s]), headers=member)
    assert_problem(foreign, 422, fields={"file_ids.0"})
    infinite = await client.post(
        URL,
        content=b'{"title": "x", "indicator": "output", "value": Infinity,'
        b' "achieved_at": "2026-12-03T09:00:00Z"}',
        headers=member | {"Content-Type": "application/json"},
    )
    assert_problem(infinite, 422)
    assert_problem(await client.post(URL, json=_result(), headers=world.hr.headers), 404)
    assert ok(await client.get(f"{API}/me/work-results", headers=member))["items"] == []


async def test_the_list_is_a_fixed_number_of_statements(
    client: AsyncClient, world: World, runtime: Runtime, storage_dir: Path
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    for number in range(3):
        evidence = await uploaded(client, world.member_account)
        body = _result(title=f"Result {number}", file_ids=[evidence])
        ok(await client.post(URL, json=body, headers=world.member_account.headers), 201)
    first = ok(await client.get(URL, headers=world.lead_account.headers))["items"][-1]
    ok(await client.post(f"{URL}/{first['id']}/accept", headers=world.lead_account.headers))
    with count_statements(runtime) as read:
        page = ok(await client.get(URL, params={"limit": 2}, headers=world.lead_account.headers))
    assert [item["title"] for item in page["items"]] == ["Result 2", "Result 1"]
    assert all(len(item["file_ids"]) == 1 for item in page["items"])
    assert [s for s in read.statements if "work_results" in s] == [work_results_repository.PAGE]
    with count_statements(runtime) as whole:
        rest = ok(
            await client.get(
                URL,
                params={"limit": 2, "cursor": page["next_cursor"]},
                headers=world.lead_account.headers,
            )
        )
    assert rest["items"][0]["decided_by_user"]["id"] == str(world.lead_account.user_id)
    assert whole.count == read.count, whole.statements
