"""Points by category against the target weights, per department and period: the shares,
the gaps, the subtree a department head reads, refusals, exports and a fixed statement
count."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from httpx import AsyncClient
from openpyxl import load_workbook
from sqlalchemy import text

from hrcore.core.db import tenant_transaction
from hrcore.core.runtime import Runtime
from hrcore.training import ledger
from hrcore.training.ledger import Award
from tests.conftest import recorded_statements
from tests.factories import Account, make_department, make_employee, make_org
from tests.training.reports_world import API, IN_NOVEMBER, World, make_world


async def _award(runtime: Runtime, org_id: uuid.UUID, *awards: tuple[Any, str]) -> None:
    async with tenant_transaction(runtime.sessionmaker, org_id) as session:
        await ledger.award_many(
            session,
            org_id,
            [
                Award(employee.id, code, "test", uuid.uuid4(), IN_NOVEMBER)
                for employee, code in awards
            ],
        )


async def _world_with_points(runtime: Runtime) -> World:
    world = await make_world(runtime)
    await _award(
        runtime,
        world.hr.org_id,
        (world.li, "attendance"),
        (world.li, "action_plan"),
        (world.wang, "teaching"),
        (world.wang, "late"),
        (world.wang, "attendance"),
        (world.zhao, "adopted"),
    )
    return world


async def _report(client: AsyncClient, account: Account, **params: str) -> Any:
    response = await client.get(
        f"{API}/points-by-category",
        params={"period": "2026-Q4", **params},
        headers=account.headers,
    )
    assert response.status_code == 200, response.text
    return response.json()


def _share(points: int, share: float | None, target: int) -> dict[str, Any]:
    gap = round(share - target, 1) if share is not None else None
    return {"points": points, "share": share, "target": target, "gap": gap}


async def test_shares_against_the_target_weights_per_department(
    client: AsyncClient, runtime: Runtime
) -> None:
    world = await _world_with_points(runtime)
    report = await _report(client, world.hr)
    assert report["department"] is None
    assert report["overall"] == {
        "people": 3,
        "total": 118,
        "participation": _share(18, 15.3, 30),
        "outcome": _share(70, 59.3, 40),
        "sharing": _share(30, 25.4, 30),
    }
    by_name = {row["department"]["name"]: row for row in report["departments"]}
    assert list(by_name) == ["Engineering", "Sales", "Sales East"]
    assert by_name["Sales East"]["department"]["id"] == str(world.tree.sales_east.id)
    assert by_name["Sales East"]["total"] == 38
    assert by_name["Sales East"]["participation"] == _share(8, 21.1, 30)
    assert by_name["Sales East"]["sharing"] == _share(30, 78.9, 30)
    assert by_name["Engineering"]["outcome"] == _share(50, 100.0, 40)
    month = await _report(client, world.hr, period="2026-11")
    assert month["overall"]["total"] == 118
    assert (await _report(client, world.hr, period="2027"))["departments"] == []


async def test_the_organizations_weights_are_the_targets(
    client: AsyncClient, runtime: Runtime
) -> None:
    world = await _world_with_points(runtime)
    async with tenant_transaction(runtime.sessionmaker, world.hr.org_id) as session:
        await session.execute(
            text(
                "UPDATE training_settings SET category_weights ="
                ' \'{"participation": 20, "outcome": 50, "sharing": 30}\''
            )
        )
    report = await _report(client, world.hr)
    assert report["overall"]["participation"]["target"] == 20
    assert report["overall"]["outcome"] == _share(70, 59.3, 50)


async def test_a_department_head_reads_their_subtree(client: AsyncClient, runtime: Runtime) -> None:
    world = await _world_with_points(runtime)
    own = await _report(client, world.sales_head)
    sales = {"id": str(world.tree.sales.id), "name": "Sales"}
    assert own["department"] == sales
    assert [row["department"]["name"] for row in own["departments"]] == ["Sales", "Sales East"]
    assert own["overall"]["total"] == 68
    east = await _report(client, world.sales_head, department_id=str(world.tree.sales_east.id))
    assert [row["department"]["name"] for row in east["departments"]] == ["Sales East"]
    assert east["overall"]["total"] == 38
    by_hr = await _report(client, world.hr, department_id=str(world.tree.sales.id))
    assert by_hr["overall"] == own["overall"]


async def test_refusals(client: AsyncClient, runtime: Runtime) -> None:
    world = await _world_with_points(runtime)
    path = f"{API}/points-by-category"
    outside = await client.get(
        path,
        params={"period": "2026-Q4", "department_id": str(world.tree.engineering.id)},
        headers=world.sales_head.headers,
    )
    assert outside.status_code == 404
    assert outside.json()["detail"] == "No such department"
    unknown = await client.get(
        path,
        params={"period": "2026-Q4", "department_id": str(uuid.uuid4())},
        headers=world.hr.headers,
    )
    assert unknown.status_code == 404
    employee = await client.get(
        path, params={"period": "2026-Q4"}, headers=world.li_account.headers
    )
    assert employee.status_code == 403
    assert employee.json()["detail"] == (
        "Only HR admins and department heads read training reports"
    )
    for period in ("2026-13", "2026-Q5", "Q4", ""):
        bad = await client.get(path, params={"period": period}, headers=world.hr.headers)
        assert bad.status_code == 422, period
        assert bad.headers["content-type"].startswith("application/problem+json")
    missing = await client.get(path, headers=world.hr.headers)
    assert missing.status_code == 422
    bad_format = await client.get(
        path, params={"period": "2026-Q4", "format": "pdf"}, headers=world.hr.headers
    )
    assert bad_format.status_code == 422


async def test_another_organization_is_invisible(client: AsyncClient, runtime: Runtime) -> None:
    world = await _world_with_points(runtime)
    other = await make_org(runtime)
    department = await make_department(runtime, other.org_id, "Sales")
    stranger = await make_employee(runtime, other.org_id, department, "Stranger")
    await _award(runtime, other.org_id, (stranger, "adopted"))
    theirs = await _report(client, other)
    assert theirs["overall"]["total"] == 50
    assert [row["department"]["name"] for row in theirs["departments"]] == ["Sales"]
    ours = await client.get(
        f"{API}/points-by-category",
        params={"period": "2026-Q4", "department_id": str(world.tree.sales.id)},
        headers=other.headers,
    )
    assert ours.status_code == 404


async def test_exports_as_csv_and_xlsx(client: AsyncClient, runtime: Runtime) -> None:
    world = await _world_with_points(runtime)
    path = f"{API}/points-by-category"
    response = await client.get(
        path, params={"period": "2026-Q4", "format": "csv"}, headers=world.hr.headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "training-points-2026-Q4.csv" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Department", "People", "Total points", "Participation points"]
    assert rows[1][:5] == ["Whole organization", "3", "118", "18", "15.3"]
    assert [row[0] for row in rows[2:]] == ["Engineering", "Sales", "Sales East"]
    response = await client.get(
        path, params={"period": "2026-Q4", "format": "xlsx"}, headers=world.hr.headers
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[1][:5] == ["Whole organization", 3, 118, 18, 15.3]
    assert cells[3][0] == "Sales"
    chinese = await client.get(
        path,
        params={"period": "2026-Q4", "format": "csv"},
        headers=world.hr.headers | {"Accept-Language": "zh-CN"},
    )
    rows = list(csv.reader(io.StringIO(chinese.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["部门", "人数", "总积分", "参与积分", "参与占比 %"]
    assert rows[1][0] == "全公司"


async def test_statements_do_not_grow_with_departments(
    client: AsyncClient, runtime: Runtime
) -> None:
    world = await _world_with_points(runtime)
    counts = []
    for _round in range(2):
        with recorded_statements(runtime) as statements:
            await _report(client, world.sales_head)
        counts.append(len(statements))
        for index in range(4):
            extra = await make_department(runtime, world.hr.org_id, f"East {index}")
            person = await make_employee(runtime, world.hr.org_id, extra, f"P {index}")
            await _award(runtime, world.hr.org_id, (person, "attendance"))
    assert counts[0] == counts[1]
    with recorded_statements(runtime) as statements:
        await _report(client, world.hr)
    assert len(statements) == counts[0] - 2  # HR's reach is free; no department to name
