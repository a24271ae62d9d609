"""Exports over HTTP: the drill-down streamed as CSV and XLSX (`?format=`) with headers in
the reader's language and formulas made inert, in the caller's scope; and `/exports`, built
by the worker, downloaded by its requester only until it expires, audited."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient, Response
from openpyxl import load_workbook
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.analytics.exports import expire
from hrcore.core.authz import Role
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.org.models import Department
from hrcore.people.models import Employee
from hrcore.worker import run_burst
from tests.analytics.conftest import API, World, refresh_all, task_done
from tests.conftest import frozen_clock
from tests.contracts.conftest import storage_dir, stored
from tests.factories import make_user
from tests.problems import assert_problem

__all__ = ["storage_dir"]

PEOPLE = f"{API}/analytics/on-time/people"
EXPORTS = f"{API}/exports"
ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}
TYPED = {"lead": '=HYPERLINK("http://x")', "member": "+1+1", "engineer": "@SUM(A1)"}


async def _counted(runtime: Runtime, world: World) -> None:
    """Lead (sales) rated on time, Member (sales east) did a program stage late, Engineer's
    1:1 is overdue; three names and a department typed as formulas."""
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        for who, typed in TYPED.items():
            person = getattr(world, who)
            await session.execute(
                update(Employee).where(Employee.id == person.id).values(full_name=typed)
            )
        await session.execute(
            update(Department).where(Department.id == world.sales_east.id).values(name="-2+3")
        )
    await task_done(runtime, world, world.lead, "review.rate", -10, -11)
    await task_done(runtime, world, world.member, "program.training", -5, -2)
    await task_done(runtime, world, world.engineer, "mentoring_one_on_one", -3, None)
    await refresh_all(runtime)


def _csv(response: Response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response: Response) -> list[tuple[Any, ...]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    for row in sheet.iter_rows():
        assert all(cell.data_type != "f" for cell in row)
    return list(sheet.iter_rows(values_only=True))


async def test_the_drill_down_streams_as_csv_in_the_readers_language(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _counted(runtime, world)
    rows = _csv(await client.get(PEOPLE, params={"format": "csv"}, headers=world.hr.headers | ZH))
    assert rows[0] == ["员工", "部门", "环节", "维度", "日期", "数值", "原因"]
    body = {row[0]: row for row in rows[1:]}
    assert set(body) == {f"'{typed}" for typed in TYPED.values()}
    member = body["'+1+1"]
    assert member[1] == "'-2+3"
    assert member[2] == "逾期完成"
    assert "截止" in member[6], member

    english = _csv(
        await client.get(
            PEOPLE, params={"format": "csv", "step": "late"}, headers=world.hr.headers | EN
        )
    )
    assert english[0] == ["Employee", "Department", "Step", "Breakdown", "Day", "Value", "Reason"]
    [late] = english[1:]
    assert late[0] == "'+1+1"
    assert "after its deadline" in late[6]


async def test_the_drill_down_streams_as_xlsx_with_formulas_as_text(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _counted(runtime, world)
    response = await client.get(PEOPLE, params={"format": "xlsx"}, headers=world.hr.headers | ZH)
    assert "on-time-people-" in response.headers["content-disposition"]
    rows = _xlsx(response)
    assert rows[0] == ("员工", "部门", "环节", "维度", "日期", "数值", "原因")
    assert {row[0] for row in rows[1:]} == {f"'{typed}" for typed in TYPED.values()}


async def test_a_download_keeps_to_the_callers_scope(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    await _counted(runtime, world)
    own = _csv(await client.get(PEOPLE, params={"format": "csv"}, headers=world.sales_head.headers))
    assert {row[0] for row in own[1:]} == {'\'=HYPERLINK("http://x")', "'+1+1"}
    other = await client.get(
        PEOPLE,
        params={"format": "xlsx", "department_id": str(world.engineering.id)},
        headers=world.sales_head.headers | ZH,
    )
    assert_problem(other, 404)
    assert other.json()["detail"] == "部门不存在"
    refused = await client.get(
        PEOPLE, params={"format": "csv"}, headers=world.junior_account.headers
    )
    assert_problem(refused, 403)
    unknown = await client.get(PEOPLE, params={"format": "pdf"}, headers=world.hr.headers)
    assert_problem(unknown, 422)


async def _audited(owner_engine: AsyncEngine, org_id: Any) -> list[str]:
    async with owner_engine.connect() as connection:
        rows = await connection.execute(
            text(
                "SELECT action FROM audit_events WHERE org_id = :org"
                " AND object_type = 'spreadsheet_export' ORDER BY created_at, id"
            ),
            {"org": org_id},
        )
        return list(rows.scalars())


@pytest.mark.commits
async def test_the_worker_builds_an_export_only_its_requester_downloads_until_it_expires(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    storage_dir: Path,
    owner_engine: AsyncEngine,
) -> None:
    await _counted(runtime, world)
    async with frozen_clock(runtime, datetime.now(UTC)) as clock:
        asked = await client.post(
            EXPORTS,
            json={"kind": "analytics_people", "format": "xlsx", "filters": {"figure": "on-time"}},
            headers=world.hr.headers | ZH,
        )
        assert asked.status_code == 202, asked.text
        export = asked.json()
        assert (export["status"], export["locale"]) == ("pending", "zh-CN")
        assert export["filters"]["start"] is not None
        assert export["filters"]["end"] is not None
        one = f"{EXPORTS}/{export['id']}"
        assert_problem(await client.get(f"{one}/download", headers=world.hr.headers), 409)

        await run_burst(runtime)
        ready = (await client.get(one, headers=world.hr.headers)).json()
        assert (ready["status"], ready["rows"]) == ("ready", 3), ready
        assert ready["expires_at"] is not None
        assert stored(storage_dir, "*.xlsx")
        rows = _xlsx(await client.get(f"{one}/download", headers=world.hr.headers))
        assert rows[0] == ("员工", "部门", "环节", "维度", "日期", "数值", "原因")
        assert {row[0] for row in rows[1:]} == {f"'{typed}" for typed in TYPED.values()}

        another_hr = await make_user(runtime, world.hr.org_id, Role.HR_ADMIN)
        assert_problem(await client.get(one, headers=another_hr.headers), 404)
        assert_problem(await client.get(f"{one}/download", headers=another_hr.headers), 404)
        assert (await client.get(EXPORTS, headers=another_hr.headers)).json()["items"] == []
        mine = (await client.get(EXPORTS, headers=world.hr.headers)).json()["items"]
        assert [item["id"] for item in mine] == [export["id"]]

        clock.advance(timedelta(days=7))
        gone = await client.get(f"{one}/download", headers=world.hr.headers | ZH)
        assert "失效" in assert_problem(gone, 410, kind="gone")["detail"]
        assert await expire(runtime.sessionmaker, clock, runtime.settings) == 1
        assert not stored(storage_dir, "*.xlsx")
        assert (await client.get(one, headers=world.hr.headers)).json()["status"] == "expired"
        assert_problem(await client.get(f"{one}/download", headers=world.hr.headers), 410)
    assert await _audited(owner_engine, world.hr.org_id) == [
        "spreadsheet_export.requested",
        "spreadsheet_export.built",
        "spreadsheet_export.downloaded",
        "spreadsheet_export.expired",
    ]


@pytest.mark.commits
async def test_a_department_heads_export_holds_their_subtree_only(
    client: AsyncClient, runtime: Runtime, world: World, storage_dir: Path
) -> None:
    await _counted(runtime, world)
    asked = await client.post(
        EXPORTS,
        json={"kind": "analytics_people", "format": "csv", "filters": {"figure": "on-time"}},
        headers=world.sales_head.headers | EN,
    )
    assert asked.status_code == 202, asked.text
    await run_burst(runtime)
    rows = _csv(
        await client.get(
            f"{EXPORTS}/{asked.json()['id']}/download", headers=world.sales_head.headers
        )
    )
    direct = _csv(
        await client.get(PEOPLE, params={"format": "csv"}, headers=world.sales_head.headers | EN)
    )
    assert rows[0] == direct[0]
    assert sorted(rows[1:]) == sorted(direct[1:])
    assert {row[0] for row in rows[1:]} == {'\'=HYPERLINK("http://x")', "'+1+1"}


async def test_an_export_beyond_the_callers_reach_is_refused_and_writes_nothing(
    client: AsyncClient, runtime: Runtime, world: World
) -> None:
    def body(**filters: Any) -> dict[str, Any]:
        return {
            "kind": "analytics_people",
            "format": "csv",
            "filters": {"figure": "on-time", **filters},
        }

    elsewhere = await client.post(
        EXPORTS,
        json=body(department_id=str(world.engineering.id)),
        headers=world.sales_head.headers | ZH,
    )
    assert_problem(elsewhere, 404)
    assert_problem(
        await client.post(EXPORTS, json=body(), headers=world.junior_account.headers), 403
    )
    assert_problem(
        await client.post(EXPORTS, json=body(step="never"), headers=world.hr.headers), 422
    )
    assert_problem(
        await client.post(
            EXPORTS, json=body(start="2026-10-01", end="2026-09-01"), headers=world.hr.headers
        ),
        422,
    )
    unknown = {"kind": "analytics_people", "format": "csv", "filters": {"figure": "nothing"}}
    assert_problem(await client.post(EXPORTS, json=unknown, headers=world.hr.headers), 404)
    assert_problem(
        await client.post(EXPORTS, json={**body(), "format": "pdf"}, headers=world.hr.headers), 422
    )
    assert_problem(
        await client.post(EXPORTS, json={**body(), "extra": 1}, headers=world.hr.headers), 422
    )
    for account in (world.hr, world.sales_head):
        listed = await client.get(EXPORTS, headers=account.headers)
        assert listed.json()["items"] == [], listed.text
