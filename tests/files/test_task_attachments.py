"""Files referenced from task submissions: who may reference what, who may then read it, and
the purge of what nothing references."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from httpx import AsyncClient, Response

from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.core.storage import LocalStorage
from hrcore.files import jobs
from tests.conftest import frozen_clock
from tests.factories import Account, make_org, make_user
from tests.files.conftest import API, World, status_of, stored_files, uploaded
from tests.org.conftest import api_key
from tests.problems import assert_problem
from tests.workflow.conftest import make_task

DUE = date(2027, 3, 4)


async def _complete(
    client: AsyncClient, account: Account, task_id: uuid.UUID, attachments: list[str]
) -> Response:
    return await client.post(
        f"{API}/tasks/{task_id}/complete",
        json={"submission": {"text": "My report", "attachments": attachments}},
        headers=account.headers,
    )


async def test_whoever_may_see_the_task_may_read_its_files(
    client: AsyncClient, runtime: Runtime, world: World, storage_dir: Path
) -> None:
    task = await make_task(runtime, world.hr.org_id, world.junior, DUE)
    file_id = await uploaded(client, world.junior_account)
    done = await _complete(client, world.junior_account, task.id, [file_id])
    assert done.status_code == 200, done.text
    assert done.json()["submission"]["attachments"] == [file_id]
    meta = await client.get(f"{API}/files/{file_id}", headers=world.junior_account.headers)
    assert meta.json()["attached"] is True

    engineer = await make_user(runtime, world.hr.org_id, employee_id=world.engineer.id)
    dept_head_elsewhere = await make_user(
        runtime, world.hr.org_id, Role.DEPT_HEAD, department_scope_id=world.engineering.id
    )
    readers = {
        "assignee": world.junior_account,
        "manager": world.member_account,
        "manager's manager": world.lead_account,
        "head of the department": world.sales_head,
        "HR": world.hr,
    }
    for who, account in readers.items():
        assert await status_of(client, account, file_id) == (200, 200), who
    for who, account in {"colleague": engineer, "other head": dept_head_elsewhere}.items():
        assert await status_of(client, account, file_id) == (404, 404), who
    stranger = await make_org(runtime)
    assert await status_of(client, stranger, file_id) == (404, 404)


async def test_a_confidential_tasks_files_stay_with_its_assignee_and_auditors(
    client: AsyncClient, runtime: Runtime, world: World, storage_dir: Path
) -> None:
    task = await make_task(runtime, world.hr.org_id, world.junior, DUE, confidential=True)
    file_id = await uploaded(client, world.junior_account)
    assert (await _complete(client, world.junior_account, task.id, [file_id])).status_code == 200
    for account in (world.member_account, world.sales_head, world.hr):
        assert await status_of(client, account, file_id) == (404, 404)
    auditor = await make_user(runtime, world.hr.org_id, Role.HR_ADMIN, Role.REVIEW_AUDITOR)
    assert await status_of(client, auditor, file_id) == (200, 200)


async def test_only_the_submitters_own_unattached_files_may_be_referenced(
    client: AsyncClient, runtime: Runtime, world: World, storage_dir: Path
) -> None:
    junior = world.junior_account
    task = await make_task(runtime, world.hr.org_id, world.junior, DUE)
    other_task = await make_task(runtime, world.hr.org_id, world.junior, DUE)
    mine = await uploaded(client, junior)
    managers = await uploaded(client, world.member_account)
    stranger = await make_org(runtime)
    foreign_user = await make_user(runtime, stranger.org_id, employee_id=None)
    foreign = await uploaded(client, foreign_user)
    used = await uploaded(client, junior)
    assert (await _complete(client, junior, other_task.id, [used])).status_code == 200

    refused = await _complete(
        client, junior, task.id, [mine, managers, foreign, "not-a-file", used, mine]
    )
    body = assert_problem(
        refused,
        422,
        kind="validation-error",
        fields={f"submission.attachments.{index}" for index in (1, 2, 3, 4, 5)},
    )
    messages = {error["field"]: error["message"] for error in body["errors"]}
    assert messages["submission.attachments.1"] == messages["submission.attachments.2"]
    assert messages["submission.attachments.1"] == "no file of yours has this id"
    assert messages["submission.attachments.4"] == "this file is attached to something else"
    assert messages["submission.attachments.5"] == "listed twice"
    shown = await client.get(f"{API}/tasks/{task.id}", headers=junior.headers)
    assert shown.json()["status"] == "open", "nothing was written"
    meta = await client.get(f"{API}/files/{mine}", headers=junior.headers)
    assert meta.json()["attached"] is False
    assert await status_of(client, world.member_account, mine) == (404, 404)

    done = await _complete(client, junior, task.id, [mine])
    assert done.status_code == 200, done.text


async def test_unreferenced_uploads_are_purged_after_a_day(
    client: AsyncClient, runtime: Runtime, world: World, storage_dir: Path
) -> None:
    junior = world.junior_account
    task = await make_task(runtime, world.hr.org_id, world.junior, DUE)
    kept, dropped = await uploaded(client, junior), await uploaded(client, junior)
    assert (await _complete(client, junior, task.id, [kept])).status_code == 200
    uploaded_at = datetime.fromisoformat(
        (await client.get(f"{API}/files/{dropped}", headers=junior.headers)).json()["uploaded_at"]
    )
    org = world.hr.org_id
    assert stored_files(storage_dir).keys() == {f"{org}/files/{kept}", f"{org}/files/{dropped}"}

    async with frozen_clock(runtime, uploaded_at + timedelta(hours=23)) as clock:
        assert await jobs.purge_unreferenced({"runtime": runtime}) == 0
        clock.advance(timedelta(hours=2))
        assert await jobs.purge_unreferenced({"runtime": runtime}) == 1
    assert await status_of(client, junior, dropped) == (404, 404)
    assert await status_of(client, junior, kept) == (200, 200)
    assert stored_files(storage_dir).keys() == {f"{org}/files/{kept}"}
    audit = await client.get(
        f"{API}/audit-events", params={"object_id": dropped}, headers=world.hr.headers
    )
    assert "file.purged" in [e["action"] for e in audit.json()["items"]]


async def test_stored_bytes_no_file_names_are_purged_after_a_day(
    client: AsyncClient, runtime: Runtime, world: World, storage_dir: Path
) -> None:
    """An upload whose commit failed after its bytes were stored leaves bytes no row names."""
    junior = world.junior_account
    task = await make_task(runtime, world.hr.org_id, world.junior, DUE)
    kept = await uploaded(client, junior)
    assert (await _complete(client, junior, task.id, [kept])).status_code == 200
    org = world.hr.org_id
    orphan = f"{org}/files/{uuid.uuid4()}"
    await LocalStorage(storage_dir).put(orphan, b"%PDF-1.7 lost", "application/pdf")
    elsewhere = f"{org}/contracts/{uuid.uuid4()}.pdf"
    await LocalStorage(storage_dir).put(elsewhere, b"%PDF-1.7 contract", "application/pdf")
    start = datetime.now(UTC)

    async with frozen_clock(runtime, start + timedelta(hours=23)) as clock:
        assert await jobs.purge_unreferenced({"runtime": runtime}) == 0, "younger than a day"
        assert orphan in stored_files(storage_dir)
        clock.advance(timedelta(hours=2))
        assert await jobs.purge_unreferenced({"runtime": runtime}) == 1
    assert stored_files(storage_dir).keys() == {f"{org}/files/{kept}", elsewhere}
    assert await status_of(client, junior, kept) == (200, 200)


async def test_an_integration_key_may_neither_upload_nor_read_an_unattached_file(
    client: AsyncClient, world: World, storage_dir: Path
) -> None:
    key = await api_key(client, world.hr, "org:read", "reviews:read")
    refused = await client.post(
        f"{API}/files", files={"file": ("a.pdf", b"%PDF-1.7", "application/pdf")}, headers=key
    )
    assert_problem(refused, 403, kind="forbidden")
    file_id = await uploaded(client, world.junior_account)
    hidden = await client.get(f"{API}/files/{file_id}", headers=key)
    assert_problem(hidden, 404, kind="not-found")
