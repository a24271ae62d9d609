"""Importing the competency library (CSV, XLSX) through imports' flow: one row per level,
names the library has revised as `PATCH` does, every error listed per row and column, and
nothing written unless every row passes; large files in the worker."""

from __future__ import annotations

import io
from typing import Any

import pytest
from httpx import AsyncClient
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.competencies.conftest import API, World, create, ok
from tests.factories import make_org
from tests.problems import assert_problem

URL = f"{API}/imports/competencies"
ZH = {"Accept-Language": "zh-CN"}
HEADER = "name,category,description,level,level_name,indicators"
LIBRARY = "\n".join(
    [
        HEADER,
        "Team management,management,Leads a team to results,1,Starter,"
        '"Runs a stand-up; Shares goals"',
        'Team management,management,,2,Practised,"Coaches one to one\nDelegates whole tasks"',
        "Team management,,,3,Expert,Builds leaders",
        "客户资源整合,professional,Wins and keeps key accounts,2,熟练,独立维护重点客户",
        "客户资源整合,professional,,1,入门,了解客户分级",
        "",
    ]
)


def _upload(content: bytes, name: str = "library.csv") -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, content, "text/csv")}


async def _library(client: AsyncClient, world: World) -> dict[str, dict[str, Any]]:
    items = ok(await client.get(f"{API}/competencies", headers=world.hr.headers))["items"]
    return {item["name"]: item for item in items}


@pytest.mark.commits
async def test_a_csv_creates_and_revises_competencies_level_by_level(
    client: AsyncClient, world: World, owner_engine: AsyncEngine
) -> None:
    existing = await create(client, world.hr, "Team management", levels=2)
    response = await client.post(URL, files=_upload(LIBRARY.encode()), headers=world.hr.headers)
    body = ok(response, 201)
    assert (body["kind"], body["status"], body["total_rows"], body["created_rows"]) == (
        "competencies",
        "succeeded",
        5,
        2,
    )
    assert response.headers["location"] == f"/api/v1/imports/{body['id']}"
    library = await _library(client, world)
    team = library["Team management"]
    assert (team["id"], team["revision"], team["category"]) == (existing["id"], 2, "management")
    assert team["description"] == "Leads a team to results"
    assert [(level["level"], level["name"], level["indicators"]) for level in team["levels"]] == [
        (1, "Starter", ["Runs a stand-up", "Shares goals"]),
        (2, "Practised", ["Coaches one to one", "Delegates whole tasks"]),
        (3, "Expert", ["Builds leaders"]),
    ]
    customers = library["客户资源整合"]
    assert (customers["revision"], [level["name"] for level in customers["levels"]]) == (
        1,
        ["入门", "熟练"],
    )
    revisions = ok(
        await client.get(f"{API}/competencies/{team['id']}/revisions", headers=world.hr.headers)
    )
    assert [revision["revision"] for revision in revisions["items"]] == [1, 2]

    again = ok(
        await client.post(URL, files=_upload(LIBRARY.encode()), headers=world.hr.headers), 201
    )
    assert (again["status"], again["created_rows"]) == ("succeeded", 0), "unchanged: no revision"
    assert (await _library(client, world))["Team management"]["revision"] == 2
    async with owner_engine.connect() as connection:
        actions = (
            await connection.execute(
                select(AuditEvent.action, func.count())
                .where(AuditEvent.action.like("competency.%"))
                .group_by(AuditEvent.action)
            )
        ).all()
    assert dict(actions) == {"competency.created": 2, "competency.updated": 1}


@pytest.mark.commits
async def test_xlsx_and_the_worker_for_large_files(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Name", "Category", "Level", "Level_Name", "Indicators"])
    for number in range(1, 4):
        sheet.append(["沟通协调", "general", number, f"L{number}", f"做到第 {number} 级"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = ok(
        await client.post(
            URL, files=_upload(buffer.getvalue(), "library.xlsx"), headers=world.hr.headers
        ),
        201,
    )
    assert (xlsx["file_format"], xlsx["status"], xlsx["created_rows"]) == ("xlsx", "succeeded", 1)

    settings = runtime.settings
    runtime.settings = settings.model_copy(update={"import_inline_max_rows": 2})
    try:
        queued = await client.post(URL, files=_upload(LIBRARY.encode()), headers=world.hr.headers)
    finally:
        runtime.settings = settings
    assert ok(queued, 202)["status"] == "queued"
    await run_burst(runtime)
    done = ok(await client.get(queued.headers["location"], headers=world.hr.headers))
    assert (done["status"], done["processed_rows"], done["created_rows"]) == ("succeeded", 5, 2)
    assert set(await _library(client, world)) == {"沟通协调", "Team management", "客户资源整合"}


async def test_every_bad_row_is_reported_and_nothing_is_written(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    bad = "\n".join(
        [
            HEADER,
            "Team management,management,,1,Starter,",
            "Team management,professional,,²,Practised,",
            "Team management,management,,1,Again,",
            "Gapped,general,,1,Starter,",
            "Gapped,general,,3,Expert,",
            ",general,,1,Nameless,",
            "Odd,colourful,First,1,,",
            "Odd,colourful,Second,2,Next,",
        ]
    )
    body = ok(await client.post(URL, files=_upload(bad.encode()), headers=world.hr.headers), 201)
    assert body["status"] == "failed"
    assert {(error["row"], error["field"]) for error in body["errors"]} == {
        (3, "category"),
        (3, "level"),
        (4, "level"),
        (5, "level"),
        (7, "name"),
        (8, "category"),
        (8, "level_name"),
        (9, "description"),
    }
    messages = {(e["row"], e["field"]): e["message"] for e in body["errors"]}
    assert messages[(3, "category")] == "differs from row 2"
    assert messages[(4, "level")] == "level 1 is on row 2 already"
    assert messages[(5, "level")] == "levels run from 1 without gaps: 2 is missing"
    assert await _library(client, world) == {}

    chinese = ok(
        await client.post(URL, files=_upload(bad.encode()), headers=world.hr.headers | ZH), 201
    )
    messages = {(e["row"], e["field"]): e["message"] for e in chinese["errors"]}
    assert messages[(3, "category")] == "与第 2 行不一致"
    assert messages[(7, "name")] == "缺少能力名称"

    header = await client.post(
        URL, files=_upload(b"name,level,colour\nA,1,red\n"), headers=world.hr.headers | ZH
    )
    problem = assert_problem(header, 422, fields={"category", "level_name", "colour"})
    assert problem["detail"] == "表头与导入格式不符"
    english = await client.post(URL, files=_upload(b"name\n"), headers=world.hr.headers)
    assert_problem(english, 422, detail="The header row does not match the import format")
    assert_problem(
        await client.post(URL, files=_upload(LIBRARY.encode()), headers=world.sales_head.headers),
        403,
    )
    other = await make_org(runtime)
    assert_problem(
        await client.get(f"{API}/imports/{body['id']}", headers=other.headers),
        404,
        detail="No such import",
    )
