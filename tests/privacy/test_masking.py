"""Minimum necessary per role over HTTP: the same employee and profile read by the person,
their manager, a department head, HR without and with the permission and a purpose, and
integration keys with and without `sensitive:read` (core.masking)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from httpx import AsyncClient

from hrcore.core import masking
from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.people.profile_schemas import ProfileBasics
from hrcore.privacy import read_log_jobs
from tests.factories import Account, make_employee, make_org, make_tree, make_user
from tests.people.test_visibility import _api_key

ID_NUMBER = "11010519491231002X"
MASKED_ID_NUMBER = "110***********002X"
PERSONAL_PHONE = "13812345678"
MASKED_PHONE = "138****5678"
SENSITIVE = {"id_number": ID_NUMBER, "personal_phone": PERSONAL_PHONE, "email": "zhang@example.com"}
MASKED = {
    "id_number": MASKED_ID_NUMBER,
    "personal_phone": MASKED_PHONE,
    "email": "z***@example.com",
}
"""What the report's record holds, and how it reads masked."""


@dataclass(frozen=True)
class MaskingWorld:
    hr: Account
    sensitive_hr: Account
    report_id: uuid.UUID
    report: Account
    manager: Account
    sales_head: Account
    directory_key: dict[str, str]
    sensitive_key: dict[str, str]


@pytest.fixture
async def masking_world(
    client: AsyncClient, runtime: Runtime, cheap_passwords: None
) -> MaskingWorld:
    hr = await make_org(runtime)
    org_id = hr.org_id
    tree = await make_tree(runtime, org_id)
    boss = await make_employee(runtime, org_id, tree.sales, "Boss")
    created = await client.post(
        "/api/v1/employees",
        json={
            "employee_number": "Z001",
            "full_name": "Zhang San",
            "department_id": str(tree.sales_east.id),
            "manager_id": str(boss.id),
            "hire_date": "2024-03-01",
            **SENSITIVE,
        },
        headers=hr.headers,
    )
    assert created.status_code == 201, created.text
    report_id = uuid.UUID(created.json()["id"])
    return MaskingWorld(
        hr=hr,
        sensitive_hr=await make_user(runtime, org_id, Role.HR_ADMIN, Role.SENSITIVE_READER),
        report_id=report_id,
        report=await make_user(runtime, org_id, employee_id=report_id),
        manager=await make_user(runtime, org_id, employee_id=boss.id),
        sales_head=await make_user(
            runtime, org_id, Role.DEPT_HEAD, Role.EMPLOYEE, department_scope_id=tree.sales.id
        ),
        directory_key=await _api_key(client, hr, "org:read", "profiles:read"),
        sensitive_key=await _api_key(client, hr, "org:read", "profiles:read", "sensitive:read"),
    )


def _personal(body: dict[str, object]) -> dict[str, object]:
    return {name: body[name] for name in SENSITIVE}


async def _reads(
    client: AsyncClient, world: MaskingWorld, headers: dict[str, str]
) -> list[dict[str, object]]:
    """The report's personal fields as the record, the list and the profile show them."""
    record = await client.get(f"/api/v1/employees/{world.report_id}", headers=headers)
    listed = await client.get("/api/v1/employees", params={"q": "Zhang"}, headers=headers)
    profile = await client.get(f"/api/v1/employees/{world.report_id}/profile", headers=headers)
    for response in (record, listed, profile):
        assert response.status_code == 200, response.text
    [item] = listed.json()["items"]
    return [_personal(record.json()), _personal(item), _personal(profile.json()["basics"])]


async def test_the_person_sees_their_own_record_whole(
    client: AsyncClient, masking_world: MaskingWorld
) -> None:
    assert await _reads(client, masking_world, masking_world.report.headers) == [SENSITIVE] * 3


async def test_a_manager_and_a_department_head_read_contact_and_sensitive_masked(
    client: AsyncClient, masking_world: MaskingWorld
) -> None:
    for account in (masking_world.manager, masking_world.sales_head):
        assert await _reads(client, masking_world, account.headers) == [MASKED] * 3
    purpose = masking_world.manager.headers | {"X-Purpose": "checking"}
    assert await _reads(client, masking_world, purpose) == [MASKED] * 3


async def test_hr_needs_the_permission_and_a_purpose_for_sensitive_data(
    client: AsyncClient, masking_world: MaskingWorld
) -> None:
    contact_only = {**SENSITIVE, "id_number": MASKED_ID_NUMBER}
    purpose = {"X-Purpose": quote("社保登记 social insurance filing")}
    for headers in (
        masking_world.hr.headers,
        masking_world.hr.headers | purpose,
        masking_world.sensitive_hr.headers,
        masking_world.sensitive_hr.headers | {"X-Purpose": "  "},
    ):
        assert await _reads(client, masking_world, headers) == [contact_only] * 3
    clear = masking_world.sensitive_hr.headers | purpose
    assert await _reads(client, masking_world, clear) == [SENSITIVE] * 3


async def test_an_integration_key_reads_masked_without_the_sensitive_scope(
    client: AsyncClient, masking_world: MaskingWorld
) -> None:
    assert await _reads(client, masking_world, masking_world.directory_key) == [MASKED] * 3
    assert await _reads(client, masking_world, masking_world.sensitive_key) == [SENSITIVE] * 3


async def test_sensitive_fields_shown_or_withheld_are_in_the_read_log(
    client: AsyncClient, runtime: Runtime, masking_world: MaskingWorld
) -> None:
    """A manager opening the report's record reads the ID number masked: the attempt is
    logged; HR with the permission and a purpose reads it clear: logged with the purpose; a
    list page with the column masked is no attempt; the person reading
    their own record is not logged."""
    world = masking_world
    record = f"/api/v1/employees/{world.report_id}"
    purpose = {"X-Purpose": quote("社保登记 social insurance filing")}
    for headers in (
        world.manager.headers,
        world.sensitive_hr.headers | purpose,
        world.report.headers,
    ):
        assert (await client.get(record, headers=headers)).status_code == 200
    listed = await client.get("/api/v1/employees", headers=world.hr.headers)
    assert listed.status_code == 200
    await read_log_jobs.drain_read_log({"runtime": runtime})
    events = await client.get(
        "/api/v1/read-access-events",
        params={"subject_employee_id": str(world.report_id), "data_class": "sensitive"},
        headers=world.hr.headers,
    )
    assert events.status_code == 200, events.text
    logged = sorted(
        (event["actor_id"], event["what"], event["masked"], event["purpose"])
        for event in events.json()["items"]
    )
    assert logged == sorted(
        [
            (str(world.manager.user_id), "employee.id_number", True, None),
            (
                str(world.sensitive_hr.user_id),
                "employee.id_number",
                False,
                "社保登记 social insurance filing",
            ),
        ]
    )


async def test_a_wrong_id_number_is_refused_and_nothing_is_written(
    client: AsyncClient, masking_world: MaskingWorld
) -> None:
    headers = masking_world.hr.headers
    path = f"/api/v1/employees/{masking_world.report_id}"
    for wrong, why in (
        ("110105194912310021", "check digit is wrong"),
        ("11010519491231002", "17 digits and a check digit"),
        ("1101051949123100AX", "17 digits and a check digit"),
    ):
        response = await client.patch(path, json={"id_number": wrong}, headers=headers)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        [error] = response.json()["errors"]
        assert error["field"] == "body.id_number"
        assert why in error["message"]
    created = await client.post(
        "/api/v1/employees",
        json={
            "employee_number": "Z002",
            "full_name": "Li Si",
            "department_id": (await client.get(path, headers=headers)).json()["department_id"],
            "hire_date": "2024-03-01",
            "id_number": "440524188001010015",
        },
        headers=headers,
    )
    assert created.status_code == 422
    listed = await client.get("/api/v1/employees", params={"q": "Li Si"}, headers=headers)
    assert listed.json()["items"] == []
    unchanged = await client.get(path, headers=masking_world.report.headers)
    assert unchanged.json()["id_number"] == ID_NUMBER


async def test_hr_corrects_the_id_number_and_the_audit_keeps_it_masked(
    client: AsyncClient, masking_world: MaskingWorld
) -> None:
    path = f"/api/v1/employees/{masking_world.report_id}"
    headers = masking_world.hr.headers
    changed = await client.patch(path, json={"id_number": "440524188001010014"}, headers=headers)
    assert changed.status_code == 200, changed.text
    assert changed.json()["id_number"] == "440***********0014"
    own = await client.get(path, headers=masking_world.report.headers)
    assert own.json()["id_number"] == "440524188001010014"
    audit = await client.get(
        "/api/v1/audit-events",
        params={"object_id": str(masking_world.report_id), "action": "employee.updated"},
        headers=headers,
    )
    assert audit.status_code == 200, audit.text
    [event] = audit.json()["items"]
    assert event["before"]["id_number"] == MASKED_ID_NUMBER
    assert event["after"]["id_number"] == "440***********0014"


async def test_a_purpose_longer_than_allowed_is_422(
    client: AsyncClient, masking_world: MaskingWorld
) -> None:
    headers = masking_world.sensitive_hr.headers | {"X-Purpose": "x" * 201}
    response = await client.get(f"/api/v1/employees/{masking_world.report_id}", headers=headers)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "header.X-Purpose"


def test_the_document_shows_which_fields_may_be_masked(app: object) -> None:
    schemas = app.openapi()["components"]["schemas"]  # type: ignore[attr-defined]
    for name in ("EmployeeOut", "ProfileBasics"):
        fields = schemas[name]["properties"]
        assert fields["id_number"]["x-data-class"] == "sensitive"
        assert fields["email"]["x-data-class"] == "contact"
        assert all(fields[field]["x-masked"] for field in SENSITIVE)
        assert "x-masked" not in fields["full_name"]


def test_without_a_viewer_every_marked_field_is_masked() -> None:
    """The worker or a command building a response model masks unless it says for whom."""
    subject = uuid.uuid4()
    row = {
        "id": subject,
        "employee_number": "Z1",
        "full_name": "Zhang San",
        "hire_date": "2024-03-01",
    }
    row |= {"department": {"id": uuid.uuid4(), "name": "Sales"}, "position": None, "manager": None}
    row |= {"status": "active", "tenure_years": 1.0, "phone": None, **SENSITIVE}
    with masking.viewing(None):
        assert _personal(ProfileBasics.model_validate(row).model_dump()) == MASKED
    person = masking.Viewer(
        uuid.uuid4(), uuid.uuid4(), "user", subject, masking.ANYONE, purpose=None
    )
    with masking.viewing(person):
        assert _personal(ProfileBasics.model_validate(row).model_dump()) == SENSITIVE
