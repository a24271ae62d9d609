"""Importing employees: every row checked, all or nothing, large files in the worker."""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from openpyxl import Workbook
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.runtime import Runtime
from hrcore.imports import employees as employee_import
from hrcore.imports import jobs as import_jobs
from hrcore.imports import service as imports_service
from hrcore.worker import run_burst
from tests.factories import (
    Account,
    make_department,
    make_employee,
    make_org,
    make_position,
    make_user,
)

URL = "/api/v1/imports/employees"
HEADER = (
    "employee_number,full_name,department,position_code,manager_number,hire_date,email,"
    "rating:2024,rating:2025"
)


async def _world(runtime: Runtime) -> tuple[Account, str, str]:
    """An org with Headquarters/Sales (code SALES) and a position; returns HR, codes."""
    hr = await make_org(runtime)
    head_office = await make_department(runtime, hr.org_id, "Headquarters")
    sales = await make_department(runtime, hr.org_id, "Sales", head_office)
    position = await make_position(runtime, hr.org_id, sales, "Rep")
    await make_employee(runtime, hr.org_id, sales, "Existing Boss")
    return hr, sales.code, position.code


def _upload(content: bytes, name: str = "people.csv") -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, content, "text/csv")}


async def _count(engine: AsyncEngine, table: str) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


@pytest.mark.commits
async def test_csv_import_creates_everyone_with_managers_and_ratings(
    client: AsyncClient, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    hr, sales_code, position_code = await _world(runtime)
    existing = (await client.get("/api/v1/employees", headers=hr.headers)).json()["items"][0]
    csv = "\n".join(
        [
            HEADER,
            f"N3,Report,Headquarters/Sales,{position_code},N2,2024-03-01,r@x.example,B,A",
            f"N2,Lead,headquarters/sales,,{existing['employee_number']},2021-05-10,,A,",
            f"N1,Solo,{sales_code},,,2020-01-02,,,3.5",
            "",
        ]
    ).encode()
    response = await client.post(URL, files=_upload(csv), headers=hr.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["status"], body["total_rows"], body["created_rows"]) == ("succeeded", 3, 3)
    assert response.headers["location"] == f"/api/v1/imports/{body['id']}"

    people = {
        item["employee_number"]: item
        for item in (await client.get("/api/v1/employees", headers=hr.headers)).json()["items"]
    }
    assert people["N3"]["manager_id"] == people["N2"]["id"]
    assert people["N2"]["manager_id"] == existing["id"]
    lead = await make_user(runtime, hr.org_id, Role.EMPLOYEE, employee_id=people["N2"]["id"])
    seen = await client.get(f"/api/v1/employees/{people['N3']['id']}", headers=lead.headers)
    assert seen.status_code == 200, "the imported manager chain grants reach"
    ratings = await client.get(
        f"/api/v1/employees/{people['N3']['id']}/performance-ratings", headers=hr.headers
    )
    assert [(r["period"], r["letter"]) for r in ratings.json()["items"]] == [
        ("2024", "B"),
        ("2025", "A"),
    ]
    assert await _count(owner_engine, "employment_events") == 3
    audit = await client.get(
        "/api/v1/audit-events", params={"action": "employee.imported"}, headers=hr.headers
    )
    assert len(audit.json()["items"]) == 3


async def test_every_row_error_is_reported_and_nothing_is_written(
    client: AsyncClient, runtime: Runtime, owner_engine: AsyncEngine
) -> None:
    hr, sales_code, _ = await _world(runtime)
    before = await _count(owner_engine, "employees")
    csv = "\n".join(
        [
            HEADER,
            f"OK1,Fine,{sales_code},,,2024-01-01,,,",
            f"BAD1,,{sales_code},,,2024-01-01,,,",
            f"BAD2,Date,{sales_code},,,01/02/2024,,,",
            "BAD3,Dept,Nowhere/At all,,,2024-01-01,,,",
            f"BAD4,Pos,{sales_code},NOPE,,2024-01-01,,,",
            f"OK1,Twice,{sales_code},,,2024-01-01,,,",
            f"BAD5,Boss,{sales_code},,GHOST,2024-01-01,,,",
            f"C1,Cycle one,{sales_code},,C2,2024-01-01,,,",
            f"C2,Cycle two,{sales_code},,C1,2024-01-01,,,",
            f"BAD6,Rating,{sales_code},,,2024-01-01,not-an-email,E,9",
        ]
    ).encode()
    response = await client.post(URL, files=_upload(csv), headers=hr.headers)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "failed"
    assert body["created_rows"] == 0
    reported = {(error["row"], error["field"]) for error in body["errors"]}
    assert {
        (3, "full_name"),
        (4, "hire_date"),
        (5, "department"),
        (6, "position_code"),
        (7, "employee_number"),
        (8, "manager_number"),
        (9, "manager_number"),
        (10, "manager_number"),
        (11, "email"),
        (11, "rating:2024"),
        (11, "rating:2025"),
    } <= reported
    assert (2, "employee_number") not in reported
    assert await _count(owner_engine, "employees") == before
    fetched = await client.get(f"/api/v1/imports/{body['id']}", headers=hr.headers)
    assert fetched.json()["errors"] == body["errors"]

    chinese = await client.post(
        URL, files=_upload(csv), headers=hr.headers | {"Accept-Language": "zh-CN"}
    )
    messages = {(e["row"], e["field"]): e["message"] for e in chinese.json()["errors"]}
    assert messages[(5, "department")] == "没有编码或路径为 'Nowhere/At all' 的部门"
    assert messages[(7, "employee_number")] == "工号 OK1 与第 2 行重复"
    assert messages[(9, "manager_number")] == "上级关系形成了循环"
    assert messages[(3, "full_name")].isascii() is False, "Pydantic's text translated too"


@pytest.mark.commits
async def test_xlsx_and_gb18030_csv_are_read(client: AsyncClient, runtime: Runtime) -> None:
    hr, sales_code, _ = await _world(runtime)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Employee_Number", "Full_Name", "Department", "Hire_Date", "rating:2025"])
    sheet.append(["X1", "王芳", sales_code, "2023-04-01", "A"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = await client.post(
        URL, files=_upload(buffer.getvalue(), "people.xlsx"), headers=hr.headers
    )
    assert xlsx.json()["status"] == "succeeded", xlsx.text
    assert xlsx.json()["file_format"] == "xlsx"

    gbk = f"employee_number,full_name,department,hire_date\nX2,李磊,{sales_code},2023-04-02\n"
    response = await client.post(URL, files=_upload(gbk.encode("gb18030")), headers=hr.headers)
    assert response.json()["status"] == "succeeded", response.text
    names = {
        item["full_name"]
        for item in (await client.get("/api/v1/employees", headers=hr.headers)).json()["items"]
    }
    assert {"王芳", "李磊"} <= names


@pytest.mark.parametrize(
    ("content", "name", "status", "field"),
    [
        (os.urandom(2000) + b"\x00", "people.csv", 422, "file"),
        (b"not a zip at all", "people.xlsx", 422, "file"),
        (b"PK\x03\x04 broken zip", "people.xlsx", 422, "file"),
        (b"", "people.csv", 422, "file"),
        (b"full_name,department\nA,B\n", "people.csv", 422, "employee_number"),
        (b"employee_number,full_name,department,hire_date,salary\n", "p.csv", 422, "salary"),
    ],
)
async def test_unreadable_files_are_refused_without_a_trace(
    client: AsyncClient,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    content: bytes,
    name: str,
    status: int,
    field: str,
) -> None:
    hr = await make_org(runtime)
    response = await client.post(URL, files=_upload(content, name), headers=hr.headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in {error["field"] for error in response.json()["errors"]}
    assert await _count(owner_engine, "imports") == 0


async def test_a_ten_megabyte_upload_is_413(client: AsyncClient, runtime: Runtime) -> None:
    hr = await make_org(runtime)
    response = await client.post(
        URL, files=_upload(os.urandom(10 * 1024 * 1024)), headers=hr.headers
    )
    assert response.status_code == 413


@pytest.mark.commits
async def test_only_hr_imports_and_sees_imports(client: AsyncClient, runtime: Runtime) -> None:
    hr, sales_code, _ = await _world(runtime)
    employee = await make_user(runtime, hr.org_id, Role.EMPLOYEE)
    csv = f"employee_number,full_name,department,hire_date\nZ1,Z,{sales_code},2024-01-01\n"
    denied = await client.post(URL, files=_upload(csv.encode()), headers=employee.headers)
    assert denied.status_code == 403
    done = await client.post(URL, files=_upload(csv.encode()), headers=hr.headers)
    import_url = f"/api/v1/imports/{done.json()['id']}"
    assert (await client.get(import_url, headers=employee.headers)).status_code == 404
    other = await make_org(runtime)
    assert (await client.get(import_url, headers=other.headers)).status_code == 404


@contextmanager
def _inline_limit(runtime: Runtime, rows: int) -> Iterator[None]:
    original = runtime.settings
    runtime.settings = original.model_copy(update={"import_inline_max_rows": rows})
    try:
        yield
    finally:
        runtime.settings = original


@pytest.mark.commits
async def test_large_files_are_imported_by_the_worker_with_progress(
    client: AsyncClient,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hr, sales_code, _ = await _world(runtime)
    reported: list[tuple[int, str | None, str | None]] = []
    original_progress = imports_service.Progress.__call__

    async def observed(self: imports_service.Progress, processed: int, **values: Any) -> None:
        await original_progress(self, processed, **values)
        async with owner_engine.connect() as connection:
            row = (
                await connection.execute(
                    text("SELECT processed_rows, status FROM imports WHERE id = :id"),
                    {"id": self.import_id},
                )
            ).one()
        reported.append((row.processed_rows, row.status, values.get("status")))

    monkeypatch.setattr(imports_service.Progress, "__call__", observed)
    lines = ["employee_number,full_name,department,manager_number,hire_date"]
    lines.append(f"L0,Lead,{sales_code},,2020-01-01")
    lines += [f"L{n},Person {n},{sales_code},L0,2021-01-01" for n in range(1, 2500)]
    with _inline_limit(runtime, 100):
        response = await client.post(
            URL, files=_upload("\n".join(lines).encode()), headers=hr.headers
        )
    assert response.status_code == 202, response.text
    queued = response.json()
    assert (queued["status"], queued["processed_rows"], queued["total_rows"]) == ("queued", 0, 2500)

    await run_burst(runtime)
    assert reported == [
        (0, "running", "running"),
        (1000, "running", None),
        (2000, "running", None),
        (2500, "running", None),
    ], "progress is visible to other transactions while the import runs"

    done = (await client.get(f"/api/v1/imports/{queued['id']}", headers=hr.headers)).json()
    assert (done["status"], done["processed_rows"], done["created_rows"]) == (
        "succeeded",
        2500,
        2500,
    )
    assert await _count(owner_engine, "employees") == 2501
    async with owner_engine.connect() as connection:
        stored = (
            await connection.execute(text("SELECT count(*) FROM imports WHERE content IS NULL"))
        ).scalar_one()
    assert stored == 1, "the uploaded file is dropped once imported"


@pytest.mark.commits
async def test_an_import_whose_worker_died_is_failed_after_the_stall_time(
    client: AsyncClient,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The job dies after its first progress report on every try: the import would show
    `running` forever. After HRCORE_IMPORT_STALL_MINUTES without progress it is failed, on
    read and by the cron, once, and a late delivery of the job leaves it failed."""
    hr, sales_code, _ = await _world(runtime)
    employees = await _count(owner_engine, "employees")
    clock = FrozenClock(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    monkeypatch.setattr(runtime, "clock", clock)

    async def dies(*args: Any, on_progress: Any, **kwargs: Any) -> int:
        await on_progress(1000)
        raise RuntimeError("the worker was killed")

    monkeypatch.setattr(employee_import.people, "import_employees", dies)
    lines = ["employee_number,full_name,department,manager_number,hire_date"]
    lines += [f"S{n},Person {n},{sales_code},,2021-01-01" for n in range(200)]
    ids = []
    with _inline_limit(runtime, 100):
        for _ in range(2):
            upload = _upload("\n".join(lines).encode())
            response = await client.post(URL, files=upload, headers=hr.headers)
            assert response.status_code == 202, response.text
            ids.append(response.json()["id"])
    await run_burst(runtime)

    async def status(import_id: str) -> dict[str, Any]:
        response = await client.get(f"/api/v1/imports/{import_id}", headers=hr.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    clock.advance(timedelta(minutes=14))
    assert (await status(ids[0]))["status"] == "running"
    clock.advance(timedelta(minutes=2))
    failed = await status(ids[0])
    assert failed["status"] == "failed"
    assert failed["finished_at"] is not None
    [error] = failed["errors"]
    assert (error["field"], "no progress for 15 minutes" in error["message"]) == ("file", True)

    assert await import_jobs.fail_stalled_imports({"runtime": runtime}) == 1, "the other one"
    assert await import_jobs.fail_stalled_imports({"runtime": runtime}) == 0
    assert (await status(ids[1]))["status"] == "failed"
    async with owner_engine.connect() as connection:
        audited = await connection.scalar(
            text("SELECT count(*) FROM audit_events WHERE action = 'import.stalled'")
        )
        kept = await connection.scalar(text("SELECT count(*) FROM imports WHERE content IS NULL"))
    assert (audited, kept) == (2, 2)

    monkeypatch.undo()
    async with runtime.sessionmaker() as session:
        await imports_service.run_queued(session, runtime.sessionmaker, uuid.UUID(ids[0]), clock)
    assert (await status(ids[0]))["status"] == "failed", "a late delivery changes nothing"
    assert await _count(owner_engine, "employees") == employees
