"""Metric observations from CSV and XLSX through imports' flow: rows refused for the batch
endpoint's reasons (in the reader's language, nothing written), then written through the
batch endpoint's use case — repeats unchanged, corrections kept as revisions and audited,
live scores recomputed in the worker, large files in the worker."""

from __future__ import annotations

import io
from typing import Any

import pytest
from httpx import AsyncClient
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.audit import AuditEvent
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.factories import make_employee, make_org, make_tree
from tests.performance.conftest import API, ZH, World, ok, post_scheme, scheme
from tests.problems import assert_problem

URL = f"{API}/imports/metric-observations"
OBSERVATIONS = f"{API}/metric-observations"


def _upload(content: bytes, name: str = "metrics.csv") -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, content, "text/csv")}


def _csv(*rows: str) -> bytes:
    return "\n".join(
        ["employee_number,department,indicator,value,observed_at,external_id,source", *rows, ""]
    ).encode()


async def _stored(client: AsyncClient, world: World) -> list[tuple[Any, ...]]:
    items = ok(await client.get(OBSERVATIONS, headers=world.hr.headers))["items"]
    return [(o["external_id"], o["value"], o["revision"], o["source"]) for o in items]


@pytest.mark.commits
async def test_a_file_lands_through_the_batch_use_case(
    client: AsyncClient, world: World, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    number = world.member.employee_number
    good = _csv(
        f"{number},,output,40,2026-12-03,row-1,",
        f"{number},,output,60,2026-12-04T09:00:00+08:00,row-2,crm",
        ",Head office/Sales,output,7,2026-12-04,dept-1,",
    )
    body = ok(await client.post(URL, files=_upload(good), headers=world.hr.headers), 201)
    assert (body["status"], body["created_rows"]) == ("succeeded", 3)
    assert await _stored(client, world) == [
        ("row-1", 40, 1, "import"),
        ("row-2", 60, 1, "crm"),
        ("dept-1", 7, 1, "import"),
    ]
    listed = ok(await client.get(OBSERVATIONS, headers=world.hr.headers))["items"]
    assert listed[0]["observed_at"] == "2026-12-02T16:00:00Z", "a date is local midnight"

    again = _csv(
        f"{number},,output,40,2026-12-03,row-1,",
        f"{number},,output,65,2026-12-04T09:00:00+08:00,row-2,crm",
    )
    body = ok(await client.post(URL, files=_upload(again), headers=world.hr.headers), 201)
    assert (body["status"], body["created_rows"]) == ("succeeded", 1), "one repeat, one correction"
    assert sorted(await _stored(client, world)) == [
        ("dept-1", 7, 1, "import"),
        ("row-1", 40, 1, "import"),
        ("row-2", 60, 1, "crm"),
        ("row-2", 65, 2, "crm"),
    ]
    async with owner_engine.connect() as connection:
        batches = (
            await connection.scalars(
                select(AuditEvent.after)
                .where(AuditEvent.org_id == world.hr.org_id)
                .where(AuditEvent.object_type == "metric_observation_batch")
                .order_by(AuditEvent.id)
            )
        ).all()
    assert [(len(b["recorded"]), len(b["corrected"])) for b in batches] == [(3, 0), (0, 1)]

    await run_burst(runtime)
    mine = ok(await client.get(f"{API}/me/performance", headers=world.member_account.headers))
    (period,) = mine["periods"]
    output = next(f for f in period["indicators"] if f["key"] == "output")
    assert (period["period"], output["value"], output["observations"]) == ("2026-12", 105, 2)


@pytest.mark.commits
async def test_xlsx_and_the_worker_for_large_files(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Employee_Number", "Indicator", "Value", "Observed_At", "External_Id"])
    for day in range(1, 4):
        sheet.append(
            [world.member.employee_number, "quality", 90 + day, f"2026-12-0{day}", f"x{day}"]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    settings = runtime.settings
    runtime.settings = settings.model_copy(update={"import_inline_max_rows": 2})
    try:
        queued = await client.post(
            URL, files=_upload(buffer.getvalue(), "metrics.xlsx"), headers=world.hr.headers
        )
    finally:
        runtime.settings = settings
    assert ok(queued, 202)["status"] == "queued"
    await run_burst(runtime)
    done = ok(await client.get(queued.headers["location"], headers=world.hr.headers))
    assert (done["file_format"], done["status"], done["created_rows"]) == ("xlsx", "succeeded", 3)
    assert [value for _, value, _, _ in await _stored(client, world)] == [91, 92, 93]
    await run_burst(runtime)
    mine = ok(await client.get(f"{API}/me/performance", headers=world.member_account.headers))
    quality = next(f for f in mine["periods"][0]["indicators"] if f["key"] == "quality")
    assert quality["value"] == 92


async def test_every_bad_row_is_refused_for_the_batch_reasons_and_nothing_lands(
    client: AsyncClient, world: World, runtime: Runtime
) -> None:
    await post_scheme(client, world.hr, scheme(department_ids=[str(world.sales.id)]))
    other = await make_org(runtime, slug="elsewhere")
    stranger = await make_employee(
        runtime, other.org_id, (await make_tree(runtime, other.org_id)).sales, "Stranger"
    )
    number = world.member.employee_number
    bad = _csv(
        f"{number},,output,40,2026-12-03,ok-1,",
        f"{stranger.employee_number},,output,10,2026-12-03,far-1,",
        f"{number},,output,inf,2026-12-03,inf-1,",
        f"{number},,output,many,2026-12-03,word-1,",
        f"{number},,mood,3,2026-12-03,mood-1,",
        f"{number},,output,5,2026-12-03,ok-1,",
        f"{number},Sales,output,5,2026-12-03,both-1,",
        f"{number},,output,5,yesterday,when-1,",
        ",Nowhere,output,5,2026-12-03,dept-1,",
        f"{number},,output,5,2026-12-03,src-1,bad source!",
    )
    body = ok(await client.post(URL, files=_upload(bad), headers=world.hr.headers | ZH), 201)
    assert body["status"] == "failed"
    errors = {(e["row"], e["field"]): e["message"] for e in body["errors"]}
    assert errors == {
        (3, "employee_number"): "员工不存在",
        (4, "value"): "数值须为有限数字",
        (5, "value"): "数值须为有限数字",
        (6, "indicator"): "没有绩效方案考核指标 mood",
        (7, "external_id"): "本批次中已有条目使用相同的来源和外部编号",
        (8, "employee_number"): "employee_number 和 department 须且只能填写一项",
        (9, "observed_at"): "日期（YYYY-MM-DD）或 ISO 8601 时间",
        (10, "department"): "部门不存在",
        (11, "source"): "source 无效",
    }
    assert await _stored(client, world) == []
    english = ok(await client.post(URL, files=_upload(bad), headers=world.hr.headers), 201)
    assert {(e["row"], e["field"]): e["message"] for e in english["errors"]}[
        (6, "indicator")
    ] == "no performance scheme measures mood"

    header = await client.post(
        URL, files=_upload(b"indicator,value,colour\n"), headers=world.hr.headers
    )
    assert_problem(header, 422, fields={"observed_at", "external_id", "colour"})
    assert_problem(
        await client.post(URL, files=_upload(bad), headers=world.sales_head.headers), 403
    )
