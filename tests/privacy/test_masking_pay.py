"""Pay is sensitive but HR's daily duty (core.masking `hr_clear`): an employment event's
allowance and pay band, a contract's pay and an incentive's amount read by the person, their
manager, a department head, HR and integration keys with and without `sensitive:read`."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.contracts.schemas import ContractOut
from hrcore.core import masking
from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.privacy import read_log_jobs
from tests.conftest import frozen_clock
from tests.factories import Account, make_employee, make_org, make_tree, make_user
from tests.people.test_visibility import _api_key
from tests.training.incentive_helpers import evaluate_now, make_world

PAY = {"allowance": "1200.00", "pay_terms_ref": "BAND-P5"}
MASKED_PAY = {"allowance": None, "pay_terms_ref": "***"}
"""A temporary post's pay, and how it reads masked: an amount `null`, a reference `***`."""


@dataclass(frozen=True)
class PayWorld:
    hr: Account
    report_id: uuid.UUID
    report: Account
    manager: Account
    sales_head: Account
    directory_key: dict[str, str]
    sensitive_key: dict[str, str]


@pytest.fixture
async def pay_world(client: AsyncClient, runtime: Runtime, cheap_passwords: None) -> PayWorld:
    """A report of a manager in sales, holding a running temporary post with an allowance
    and a pay band (recorded by HR over HTTP)."""
    hr = await make_org(runtime)
    org_id = hr.org_id
    tree = await make_tree(runtime, org_id)
    boss = await make_employee(runtime, org_id, tree.sales, "Boss")
    created = await client.post(
        "/api/v1/employees",
        json={
            "employee_number": "P001",
            "full_name": "Wang Wu",
            "department_id": str(tree.sales_east.id),
            "manager_id": str(boss.id),
            "hire_date": "2024-03-01",
        },
        headers=hr.headers,
    )
    assert created.status_code == 201, created.text
    report_id = uuid.UUID(created.json()["id"])
    event = await client.post(
        f"/api/v1/employees/{report_id}/events",
        json={
            "kind": "temporary_post",
            "effective_date": "2024-06-01",
            "end_date": "2099-12-31",
            "title": "Project lead",
            **PAY,
        },
        headers=hr.headers,
    )
    assert event.status_code == 201, event.text
    assert _pay(event.json()) == PAY, "HR recording the move reads it back clear"
    return PayWorld(
        hr=hr,
        report_id=report_id,
        report=await make_user(runtime, org_id, employee_id=report_id),
        manager=await make_user(runtime, org_id, employee_id=boss.id),
        sales_head=await make_user(
            runtime,
            org_id,
            Role.DEPT_HEAD,
            Role.EMPLOYEE,
            department_scope_id=tree.sales.id,
        ),
        directory_key=await _api_key(client, hr, "org:read", "profiles:read"),
        sensitive_key=await _api_key(client, hr, "org:read", "profiles:read", "sensitive:read"),
    )


def _pay(body: dict[str, Any]) -> dict[str, Any]:
    return {"allowance": body["allowance"], "pay_terms_ref": body["pay_terms_ref"]}


async def _event_reads(
    client: AsyncClient, world: PayWorld, headers: dict[str, str]
) -> list[dict[str, Any]]:
    """The temporary post's pay as the history list, the profile's history and the
    profile's current post show it."""
    listed = await client.get(f"/api/v1/employees/{world.report_id}/events", headers=headers)
    profile = await client.get(f"/api/v1/employees/{world.report_id}/profile", headers=headers)
    for response in (listed, profile):
        assert response.status_code == 200, response.text
    posts = [
        [event for event in events if event["kind"] == "temporary_post"]
        for events in (
            listed.json()["items"],
            profile.json()["employment_history"],
            profile.json()["current_post"]["temporary_posts"],
        )
    ]
    return [_pay(event) for [event] in posts]


async def test_the_person_and_hr_read_pay_clear(client: AsyncClient, pay_world: PayWorld) -> None:
    """HR needs neither `sensitive_reader` nor a purpose for pay: payroll is their duty."""
    for headers in (pay_world.report.headers, pay_world.hr.headers):
        assert await _event_reads(client, pay_world, headers) == [PAY] * 3


async def test_a_manager_and_a_department_head_read_pay_masked(
    client: AsyncClient, pay_world: PayWorld
) -> None:
    for account in (pay_world.manager, pay_world.sales_head):
        assert await _event_reads(client, pay_world, account.headers) == [MASKED_PAY] * 3
    stated = pay_world.manager.headers | {"X-Purpose": "team budget"}
    assert await _event_reads(client, pay_world, stated) == [MASKED_PAY] * 3


async def test_an_integration_key_reads_pay_only_with_the_sensitive_scope(
    client: AsyncClient, pay_world: PayWorld
) -> None:
    assert await _event_reads(client, pay_world, pay_world.directory_key) == [MASKED_PAY] * 3
    assert await _event_reads(client, pay_world, pay_world.sensitive_key) == [PAY] * 3


async def test_a_manager_reading_a_reports_pay_masked_is_logged_hr_is_not(
    client: AsyncClient, runtime: Runtime, pay_world: PayWorld
) -> None:
    """The manager opening the report's history reads the pay masked: an attempt, logged;
    HR reading it clear by duty adds no entry."""
    path = f"/api/v1/employees/{pay_world.report_id}/events"
    for headers in (pay_world.manager.headers, pay_world.hr.headers):
        assert (await client.get(path, headers=headers)).status_code == 200
    await read_log_jobs.drain_read_log({"runtime": runtime})
    events = await client.get(
        "/api/v1/read-access-events",
        params={"subject_employee_id": str(pay_world.report_id), "data_class": "sensitive"},
        headers=pay_world.hr.headers,
    )
    assert events.status_code == 200, events.text
    logged = sorted((e["actor_id"], e["what"], e["masked"]) for e in events.json()["items"])
    manager = str(pay_world.manager.user_id)
    assert logged == [
        (manager, "employment_event.allowance", True),
        (manager, "employment_event.pay_terms_ref", True),
    ]


async def test_a_contracts_pay_is_clear_to_the_employee_and_hr(
    client: AsyncClient, pay_world: PayWorld
) -> None:
    """Contracts are HR's and the employee's (others 404): both read the pay clear."""
    created = await client.post(
        "/api/v1/contracts",
        json={
            "employee_id": str(pay_world.report_id),
            "kind": "open_ended",
            "start_date": "2024-03-01",
            "work_location": "Shanghai",
            "allowance": "800.00",
            "pay_terms_ref": "BAND-P4",
        },
        headers=pay_world.hr.headers,
    )
    assert created.status_code == 201, created.text
    path = f"/api/v1/contracts/{created.json()['id']}"
    clear = {"allowance": "800.00", "pay_terms_ref": "BAND-P4"}
    for headers in (pay_world.report.headers, pay_world.hr.headers):
        response = await client.get(path, headers=headers)
        assert response.status_code == 200, response.text
        assert _pay(response.json()) == clear
    for headers in (pay_world.manager.headers, pay_world.sales_head.headers):
        assert (await client.get(path, headers=headers)).status_code == 404


def test_a_contract_built_for_someone_else_masks_its_pay() -> None:
    """The mechanism, should a contract reach someone other than HR and the employee (the
    worker without a viewer, a manager)."""
    subject = uuid.uuid4()
    department = {"id": uuid.uuid4(), "name": "Sales"}
    row = {
        "id": uuid.uuid4(),
        "employee_id": subject,
        "employee": {"id": subject, "name": "Wang Wu"},
        "kind": "open_ended",
        "status": "active",
        "start_date": "2024-03-01",
        "end_date": None,
        "department_id": department["id"],
        "department": department,
        "position_id": None,
        "position": None,
        "grade": None,
        "allowance": Decimal("800.00"),
        "work_location": "Shanghai",
        "pay_terms_ref": "BAND-P4",
        "renewed_from_id": None,
        "created_at": datetime(2024, 3, 1, tzinfo=UTC),
        "version": 1,
    }
    manager = masking.Viewer(uuid.uuid4(), uuid.uuid4(), "user", uuid.uuid4(), masking.ANYONE, None)
    hr = masking.Viewer(
        uuid.uuid4(), uuid.uuid4(), "user", None, masking.ANYONE, None, hr_admin=True
    )
    for viewer, expected in (
        (None, (None, "***")),
        (manager, (None, "***")),
        (hr, (Decimal("800.00"), "BAND-P4")),
    ):
        with masking.viewing(viewer):
            contract = ContractOut.model_validate(row)
        assert (contract.allowance, contract.pay_terms_ref) == expected


async def test_incentive_amounts_are_pay(client: AsyncClient, runtime: Runtime) -> None:
    """The member reads their own bonus percent, HR everyone's; the department head sees who
    earned what kind of incentive, with the amounts `null` in the list and empty in the
    export."""
    world = await make_world(runtime)
    async with frozen_clock(runtime, datetime(2026, 12, 7, 3, 0, tzinfo=UTC)):
        evaluation = await client.post(
            "/api/v1/incentives/evaluations", json={"period": "2026-Q3"}, headers=world.hr.headers
        )
        assert evaluation.status_code == 202, evaluation.text
        await evaluate_now(runtime, world.org_id, evaluation.json()["id"])

    async def amounts(headers: dict[str, str]) -> dict[tuple[str, str], Any]:
        response = await client.get(
            "/api/v1/incentives",
            params={"period": "2026-Q3", "kind": "bonus_percent", "limit": 200},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        return {(i["employee"]["name"], i["kind"]): i["amount"] for i in response.json()["items"]}

    assert await amounts(world.member.headers) == {("Steady", "bonus_percent"): "5.00"}
    by_hr = await amounts(world.hr.headers)
    assert by_hr[("Steady", "bonus_percent")] == "5.00"
    assert by_hr[("Engineer", "bonus_percent")] == "1.00"
    by_head = await amounts(world.head.headers)
    assert set(by_head) == {
        (name, "bonus_percent") for name in ("Promoted", "Unplanned", "Steady", "Middling", "Low")
    }
    assert set(by_head.values()) == {None}

    async def exported(headers: dict[str, str]) -> dict[str, str]:
        response = await client.get(
            "/api/v1/incentives/export",
            params={"period": "2026-Q3", "kind": "bonus_percent"},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        column = rows[0].index("amount")
        return {row[3]: row[column] for row in rows[1:]}

    assert (await exported(world.member.headers)) == {"Steady": "5.00"}
    assert (await exported(world.hr.headers))["Steady"] == "5.00"
    by_head_file = await exported(world.head.headers)
    assert set(by_head_file) == {"Promoted", "Unplanned", "Steady", "Middling", "Low"}
    assert set(by_head_file.values()) == {""}, "the payroll file withholds the amounts too"


def test_the_document_marks_pay_fields(app: object) -> None:
    schemas = app.openapi()["components"]["schemas"]  # type: ignore[attr-defined]
    for name, fields in (
        ("EmploymentEventOut", ("allowance", "pay_terms_ref")),
        ("ContractOut", ("allowance", "pay_terms_ref")),
        ("IncentiveOut", ("amount",)),
    ):
        properties = schemas[name]["properties"]
        for field in fields:
            assert properties[field]["x-masked"] is True
            assert properties[field]["x-data-class"] == "sensitive"
            assert properties[field]["x-hr-clear"] is True
        assert "x-masked" not in properties["id"]
    assert "x-hr-clear" not in schemas["EmployeeOut"]["properties"]["id_number"]
