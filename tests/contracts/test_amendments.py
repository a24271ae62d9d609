"""Post change → amendment → PDF → employee confirms, through HTTP and the real worker."""

from __future__ import annotations

import hashlib
import io
import logging
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from httpx import AsyncClient
from pypdf import PdfReader

from hrcore.contracts import generation, repository
from hrcore.contracts import jobs as contract_jobs
from hrcore.contracts.confirmation import CONFIRM_TASK_KIND
from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.worker import run_burst
from tests.contracts.conftest import World, count_statements, make_contract, stored
from tests.factories import Account, make_employee, make_user
from tests.problems import assert_problem

pytestmark = pytest.mark.usefixtures("storage_dir")


async def _amendments(client: AsyncClient, account: Account, contract_id: str) -> list[Any]:
    response = await client.get(
        f"/api/v1/contracts/{contract_id}/amendments", headers=account.headers
    )
    assert response.status_code == 200, response.text
    items: list[Any] = response.json()["items"]
    return items


@pytest.mark.commits
async def test_a_promotion_is_amended_generated_and_confirmed(
    client: AsyncClient,
    runtime: Runtime,
    world: World,
    clock: FrozenClock,
    storage_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    hr = world.hr
    zhang = await make_employee(
        runtime, hr.org_id, world.sales, "张伟", manager=world.lead, position=world.clerk
    )
    account = await make_user(runtime, hr.org_id, Role.EMPLOYEE, employee_id=zhang.id)
    contract = await make_contract(client, hr, zhang.id)

    promotion = {
        "kind": "promotion",
        "effective_date": "2027-04-01",
        "position_id": str(world.chief.id),
    }
    response = await client.post(
        f"/api/v1/employees/{zhang.id}/events", json=promotion, headers=hr.headers
    )
    assert response.status_code == 201, response.text
    await run_burst(runtime)

    [amendment] = await _amendments(client, hr, contract["id"])
    assert amendment["source"] == "event"
    assert amendment["status"] == "draft"
    assert amendment["status_label"] == "Awaiting the employee's confirmation"
    current = amendment["current"]
    assert [(c["field"], c["before"], c["after"]) for c in current["changes"]] == [
        ("position", "Sales clerk", "Sales chief")
    ]
    assert current["document"]["status"] == "ready", current["document"]

    with caplog.at_level(logging.DEBUG):
        document = await client.get(
            f"/api/v1/amendments/{amendment['id']}/document", headers=account.headers
        )
    assert document.status_code == 200
    assert caplog.records, "the request was logged"
    assert not [r for r in caplog.records if "%PDF" in r.getMessage() or len(r.getMessage()) > 2000]
    assert document.headers["content-type"] == "application/pdf"
    number = zhang.employee_number
    readable = quote(f"变更协议-{number}-张伟-v1.pdf", safe="")
    assert document.headers["content-disposition"] == (
        f"inline; filename=\"amendment-{number}-v1.pdf\"; filename*=UTF-8''{readable}"
    ), "the file says whose amendment and which version"
    sha = hashlib.sha256(document.content).hexdigest()
    assert sha == current["document"]["sha256"]
    reader = PdfReader(io.BytesIO(document.content))
    assert reader.metadata.title == f"变更协议 / Contract amendment {number} 张伟 v1"
    text = reader.pages[0].extract_text()
    assert "张伟" in text
    assert "Sales chief" in text
    assert "Org" in text, "the organization's name"
    assert stored(storage_dir, ".tmp-*") == {}, "no temporary file is left behind"

    tasks = await client.get("/api/v1/me/tasks", headers=account.headers)
    [task] = tasks.json()["items"]
    assert task["kind"] == CONFIRM_TASK_KIND
    assert task["subject"] == {"type": "contract_amendment", "id": amendment["id"]}

    shortcut = await client.post(
        f"/api/v1/tasks/{task['id']}/complete", json={}, headers=account.headers
    )
    assert shortcut.status_code == 422, "the task closes by confirming the amendment"
    url = f"/api/v1/amendments/{amendment['id']}/confirm"
    confirmation = {"version": 1, "document_sha256": sha}
    other = await client.post(url, json=confirmation, headers=world.member_account.headers)
    assert other.status_code == 404, "someone else's amendment"
    by_hr = await client.post(url, json=confirmation, headers=hr.headers)
    assert by_hr.status_code == 403
    wrong = await client.post(
        url, json={"version": 1, "document_sha256": "0" * 64}, headers=account.headers
    )
    assert wrong.status_code == 409

    clock.advance(timedelta(hours=2))
    confirmed = await client.post(url, json=confirmation, headers=account.headers)
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert body["status"] == "confirmed"
    recorded = body["confirmation"]
    assert datetime.fromisoformat(recorded["confirmed_at"]) == clock.now()
    assert recorded["confirmed_by"] == str(account.user_id)
    assert (recorded["version"], recorded["document_sha256"]) == (1, sha)

    seen_by_hr = await client.get(f"/api/v1/amendments/{amendment['id']}", headers=hr.headers)
    assert seen_by_hr.json()["status"] == "confirmed"
    task_after = await client.get(f"/api/v1/tasks/{task['id']}", headers=account.headers)
    assert task_after.json()["status"] == "completed"
    again = await client.post(url, json=confirmation, headers=account.headers)
    assert again.status_code == 409

    # Confirmed on 1 March for 1 April: the terms wait for their date.
    assert (body["applied_at"], body["status_label"]) == (
        None,
        "Confirmed; takes effect on 1 Apr 2027",
    )
    unchanged = await client.get(f"/api/v1/contracts/{contract['id']}", headers=hr.headers)
    assert unchanged.json()["position_id"] == str(world.clerk.id), "not applied early"
    assert await contract_jobs.apply_due_amendments({"runtime": runtime}) == 0
    clock.advance(timedelta(days=30, hours=14))  # 1 April, 00:00 in Asia/Shanghai
    assert await contract_jobs.apply_due_amendments({"runtime": runtime}) == 1
    assert await contract_jobs.apply_due_amendments({"runtime": runtime}) == 0, "once"
    amended = await client.get(f"/api/v1/contracts/{contract['id']}", headers=hr.headers)
    assert amended.json()["position_id"] == str(world.chief.id)
    in_effect = await client.get(
        f"/api/v1/amendments/{amendment['id']}",
        headers=hr.headers | {"Accept-Language": "zh-CN"},
    )
    assert in_effect.json()["status_label"] == "已确认并生效"
    assert datetime.fromisoformat(in_effect.json()["applied_at"]) == clock.now()
    audit = await client.get(
        "/api/v1/audit-events", params={"object_id": contract["id"]}, headers=hr.headers
    )
    amended = next(e for e in audit.json()["items"] if e["action"] == "contract.amended")
    assert amended["after"]["position_id"] == str(world.chief.id)
    assert amended["after"]["amendment_id"] == amendment["id"]
    assert amended["actor_kind"] == "system", "the daily job applied it"


async def _open_confirmations(client: AsyncClient, account: Account) -> list[str]:
    response = await client.get("/api/v1/me/tasks", headers=account.headers)
    assert response.status_code == 200, response.text
    return [
        task["id"]
        for task in response.json()["items"]
        if task["kind"] == CONFIRM_TASK_KIND and task["status"] == "open"
    ]


@pytest.mark.commits
async def test_a_superseded_version_cannot_be_confirmed(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    hr = world.hr
    contract = await make_contract(client, hr, world.member.id)
    created = await client.post(
        f"/api/v1/contracts/{contract['id']}/amendments",
        json={
            "effective_date": "2027-03-01",
            "end_date": "2027-09-30",
            "post_title": "项目负责人",
            "allowance": "1500.00",
        },
        headers=hr.headers,
    )
    assert created.status_code == 201, created.text
    amendment_id = created.json()["id"]
    assert created.json()["current"]["document"]["status"] == "pending"
    document_url = f"/api/v1/amendments/{amendment_id}/document"
    pending = await client.get(document_url, headers=world.member_account.headers)
    assert pending.status_code == 202
    assert pending.headers["retry-after"]
    await run_burst(runtime)
    first = (await client.get(f"/api/v1/amendments/{amendment_id}", headers=hr.headers)).json()[
        "current"
    ]
    assert first["end_date"] == "2027-09-30"
    [first_task] = await _open_confirmations(client, world.member_account)

    revised = await client.post(
        f"/api/v1/amendments/{amendment_id}/versions",
        json={
            "effective_date": "2027-03-01",
            "end_date": "2027-09-30",
            "post_title": "项目负责人",
            "allowance": "1800.00",
        },
        headers=hr.headers,
    )
    assert revised.status_code == 201, revised.text
    assert revised.json()["current"]["number"] == 2
    await run_burst(runtime)
    second = (await client.get(f"/api/v1/amendments/{amendment_id}", headers=hr.headers)).json()[
        "current"
    ]
    assert second["document"]["sha256"] != first["document"]["sha256"]
    superseded = await client.get(f"/api/v1/tasks/{first_task}", headers=hr.headers)
    assert superseded.json()["status"] == "cancelled", "version 1 can no longer be confirmed"
    [second_task] = await _open_confirmations(client, world.member_account)
    assert second_task != first_task
    document = await client.get(document_url, headers=world.member_account.headers)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(document.content)).pages)
    assert "固定期限" in text, "the kind by its label"
    assert "fixed_term" not in text
    assert "有效" in text, "the contract's status by its label"
    assert "¥1,800.00 元/月" in text, "the allowance with its unit"
    assert "甲方（用人单位，盖章）" in text
    assert "乙方（劳动者，签字）" in text
    assert text.count("日期 / Date") == 2, "each party dates its signature"

    url = f"/api/v1/amendments/{amendment_id}/confirm"
    stale = {"version": 1, "document_sha256": first["document"]["sha256"]}
    response = await client.post(url, json=stale, headers=world.member_account.headers)
    assert response.status_code == 409
    assert "superseded" in response.json()["detail"]
    current = {"version": 2, "document_sha256": second["document"]["sha256"]}
    response = await client.post(url, json=current, headers=world.member_account.headers)
    assert response.status_code == 200, response.text
    amended = await client.get(f"/api/v1/contracts/{contract['id']}", headers=hr.headers)
    assert amended.json()["allowance"] == "1800.00"
    completed = await client.get(f"/api/v1/tasks/{second_task}", headers=hr.headers)
    assert completed.json()["status"] == "completed"


@pytest.mark.commits
async def test_regenerating_a_version_is_idempotent(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock, storage_dir: Path
) -> None:
    contract = await make_contract(client, world.hr, world.peer.id)
    created = await client.post(
        f"/api/v1/contracts/{contract['id']}/amendments",
        json={"effective_date": "2027-04-01", "department_id": str(world.engineering.id)},
        headers=world.hr.headers,
    )
    amendment_id = created.json()["id"]
    await run_burst(runtime)
    [(path, first)] = stored(storage_dir, "*.pdf").items()
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        version = await repository.version(session, world.hr.org_id, uuid.UUID(amendment_id), 1)
        assert version is not None
        version.document_status = "pending"
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, world.hr.org_id)
        status = await generation.generate_document(
            session, world.hr.org_id, version.amendment_id, 1, runtime.settings, clock
        )
    assert status == "ready"
    assert stored(storage_dir, "*.pdf") == {path: first}, "the same version renders the same bytes"
    tasks = await client.get(
        "/api/v1/tasks", params={"kind": CONFIRM_TASK_KIND}, headers=world.hr.headers
    )
    assert len(tasks.json()["items"]) == 1, "one confirmation task per amendment"


@pytest.mark.commits
async def test_events_that_change_nothing_draft_nothing(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    contract = await make_contract(client, world.hr, world.peer.id)
    same = {
        "kind": "transfer",
        "effective_date": "2027-04-01",
        "department_id": str(world.sales.id),
    }
    response = await client.post(
        f"/api/v1/employees/{world.peer.id}/events", json=same, headers=world.hr.headers
    )
    assert response.status_code == 201
    no_contract = {
        "kind": "transfer",
        "effective_date": "2027-04-01",
        "department_id": str(world.engineering.id),
    }
    await client.post(
        f"/api/v1/employees/{world.junior.id}/events", json=no_contract, headers=world.hr.headers
    )
    await run_burst(runtime)
    assert await _amendments(client, world.hr, contract["id"]) == []
    nothing = await client.post(
        f"/api/v1/contracts/{contract['id']}/amendments",
        json={"effective_date": "2027-04-01", "department_id": str(world.sales.id)},
        headers=world.hr.headers,
    )
    assert nothing.status_code == 422


async def test_amendment_list_is_n_plus_one_free(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    contract = await make_contract(client, world.hr, world.peer.id)
    for allowance in ("100.00", "200.00", "300.00"):
        response = await client.post(
            f"/api/v1/contracts/{contract['id']}/amendments",
            json={"effective_date": "2027-04-01", "allowance": allowance},
            headers=world.hr.headers,
        )
        assert response.status_code == 201
    counts = []
    for limit in (1, 3):
        with count_statements(runtime) as counter:
            response = await client.get(
                f"/api/v1/contracts/{contract['id']}/amendments",
                params={"limit": limit},
                headers=world.hr.headers,
            )
        assert len(response.json()["items"]) == limit
        counts.append(counter.count)
    assert counts[0] == counts[1]


async def _ready(client: AsyncClient, account: Account, amendment_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/amendments/{amendment_id}", headers=account.headers)
    current: dict[str, Any] = response.json()["current"]
    assert current["document"]["status"] == "ready"
    return current


@pytest.mark.commits
async def test_a_draft_overtaken_by_another_confirmation_must_be_revised(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    hr, member = world.hr, world.member_account
    contract = await make_contract(client, hr, world.member.id)
    url = f"/api/v1/contracts/{contract['id']}/amendments"
    ids = []
    for allowance in ("500.00", "900.00"):
        body = {"effective_date": "2027-03-01", "allowance": allowance}
        ids.append((await client.post(url, json=body, headers=hr.headers)).json()["id"])
    await run_burst(runtime)
    first, second = [await _ready(client, hr, amendment_id) for amendment_id in ids]
    asked = set(await _open_confirmations(client, member))
    assert len(asked) == 2
    confirm = "/api/v1/amendments/{}/confirm"
    done = await client.post(
        confirm.format(ids[0]),
        json={"version": 1, "document_sha256": first["document"]["sha256"]},
        headers=member.headers,
    )
    assert done.status_code == 200
    stale = await client.post(
        confirm.format(ids[1]),
        json={"version": 1, "document_sha256": second["document"]["sha256"]},
        headers=member.headers,
    )
    assert stale.status_code == 409, "it would silently undo the first amendment"
    assert await _open_confirmations(client, member) == [], "none the employee cannot complete"
    revised = await client.post(
        f"/api/v1/amendments/{ids[1]}/versions",
        json={"effective_date": "2027-03-01", "allowance": "900.00"},
        headers=hr.headers,
    )
    assert [c["before"] for c in revised.json()["current"]["changes"]] == ["500.00"]
    await run_burst(runtime)
    current = await _ready(client, hr, ids[1])
    [asked_again] = await _open_confirmations(client, member)
    assert asked_again not in asked
    done = await client.post(
        confirm.format(ids[1]),
        json={"version": 2, "document_sha256": current["document"]["sha256"]},
        headers=member.headers,
    )
    assert done.status_code == 200, done.text
    task = await client.get(f"/api/v1/tasks/{asked_again}", headers=hr.headers)
    assert task.json()["status"] == "completed"


@pytest.mark.commits
async def test_a_confirmed_future_amendment_holds_the_others_and_applies_its_pay_band(
    client: AsyncClient, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    hr, member = world.hr, world.member_account
    contract = await make_contract(client, hr, world.member.id)
    url = f"/api/v1/contracts/{contract['id']}/amendments"
    ids = []
    for terms in ({"pay_terms_ref": "BAND-6"}, {"allowance": "300.00"}):
        body = {"effective_date": "2027-04-01"} | terms
        ids.append((await client.post(url, json=body, headers=hr.headers)).json()["id"])
    await run_burst(runtime)
    first, second = [await _ready(client, hr, amendment_id) for amendment_id in ids]
    assert [(c["field"], c["before"], c["after"]) for c in first["changes"]] == [
        ("pay_terms_ref", "BAND-5", "BAND-6")
    ]
    confirm = "/api/v1/amendments/{}/confirm"
    done = await client.post(
        confirm.format(ids[0]),
        json={"version": 1, "document_sha256": first["document"]["sha256"]},
        headers=member.headers,
    )
    assert done.status_code == 200, done.text
    held = await client.post(
        confirm.format(ids[1]),
        json={"version": 1, "document_sha256": second["document"]["sha256"]},
        headers=member.headers | {"Accept-Language": "zh-CN"},
    )
    assert_problem(held, 409, detail="须待其生效后")
    contract_url = f"/api/v1/contracts/{contract['id']}"
    assert (await client.get(contract_url, headers=hr.headers)).json()["pay_terms_ref"] == "BAND-5"

    clock.advance(timedelta(days=30, hours=14))  # 1 April in Asia/Shanghai
    assert await contract_jobs.apply_due_amendments({"runtime": runtime}) == 1
    assert (await client.get(contract_url, headers=hr.headers)).json()["pay_terms_ref"] == "BAND-6"
