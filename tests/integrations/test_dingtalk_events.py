"""Inbound DingTalk events through HTTP, the real outbox, Redis and the arq worker."""

from __future__ import annotations

import time
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core import events
from hrcore.core.audit import AuditEvent
from hrcore.core.authz import Role
from hrcore.core.runtime import Runtime
from hrcore.org.models import Department
from hrcore.people import api as people
from hrcore.people.models import Employee, EmploymentEvent
from hrcore.worker import run_burst
from tests.factories import Account, make_org, make_user
from tests.integrations.conftest import DingTalkSender, configure, new_aes_key

EVENTS = "/api/v1/integrations/dingtalk/events"


def _stamp() -> str:
    return str(int(time.time() * 1000))


def dept_event(kind: str, *depts: dict[str, Any]) -> dict[str, Any]:
    return {
        "EventType": kind,
        "DeptId": [d["dept_id"] for d in depts],
        "TimeStamp": _stamp(),
        "hrcore_depts": list(depts),
    }


def user_event(
    kind: str, user_ids: list[str], users: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    event: dict[str, Any] = {"EventType": kind, "UserId": user_ids, "TimeStamp": _stamp()}
    if users is not None:
        event["hrcore_users"] = users
    return event


async def _events(api: AsyncClient, hr: Account) -> list[dict[str, Any]]:
    response = await api.get(EVENTS, headers=hr.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def _count(engine: AsyncEngine, sql: str, **params: Any) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text(sql), params)).scalar_one())


async def _employee(engine: AsyncEngine, dingtalk_user_id: str) -> Any:
    async with engine.connect() as connection:
        return (
            await connection.execute(
                select(Employee).where(Employee.dingtalk_user_id == dingtalk_user_id)
            )
        ).first()


async def _department(engine: AsyncEngine, dingtalk_dept_id: str) -> Any:
    async with engine.connect() as connection:
        return (
            await connection.execute(
                select(Department).where(Department.dingtalk_dept_id == dingtalk_dept_id)
            )
        ).first()


async def _apply(dingtalk: DingTalkSender, runtime: Runtime, event: dict[str, Any]) -> None:
    response = await dingtalk.send(event)
    dingtalk.check_reply(response)
    await run_burst(runtime)


# --- answering DingTalk -------------------------------------------------------------------


async def test_check_url_is_answered_with_encrypted_success(
    dingtalk: DingTalkSender, hr: Account, api: AsyncClient
) -> None:
    response = await dingtalk.send({"EventType": "check_url"})
    dingtalk.check_reply(response)
    assert await _events(api, hr) == []


async def test_callback_answers_before_the_event_is_applied(
    dingtalk: DingTalkSender, owner_engine: AsyncEngine, hr: Account, api: AsyncClient
) -> None:
    """DingTalk gives a callback seconds: the answer records the event and leaves applying it
    to the worker, so no directory work (nor a slow machine's share of it) stands before it."""
    event = dept_event("org_dept_create", {"dept_id": 2, "name": "Sales", "parent_id": 1})
    response = await dingtalk.send(event)
    dingtalk.check_reply(response)
    assert [item["status"] for item in await _events(api, hr)] == ["received"]
    assert await _department(owner_engine, "2") is None


# --- departments --------------------------------------------------------------------------


@pytest.mark.commits
async def test_department_create_rename_move_and_remove(
    dingtalk: DingTalkSender,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    hr: Account,
    api: AsyncClient,
) -> None:
    # Child listed before its parent: the parent is created first.
    await _apply(
        dingtalk,
        runtime,
        dept_event(
            "org_dept_create",
            {"dept_id": 3, "name": "East", "parent_id": 2},
            {"dept_id": 2, "name": "Sales", "parent_id": 1},
        ),
    )
    sales, east = await _department(owner_engine, "2"), await _department(owner_engine, "3")
    assert sales.name == "Sales"
    assert sales.parent_id is None  # DingTalk's root (1) is not synced
    assert east.parent_id == sales.id
    assert east.path == f"{sales.path}{east.id}/"

    await _apply(
        dingtalk,
        runtime,
        dept_event("org_dept_modify", {"dept_id": 2, "name": "Sales & Marketing", "parent_id": 1}),
    )
    assert (await _department(owner_engine, "2")).name == "Sales & Marketing"

    await _apply(dingtalk, runtime, dept_event("org_dept_remove", {"dept_id": 3}))
    assert await _department(owner_engine, "3") is None
    statuses = [event["status"] for event in await _events(api, hr)]
    assert statuses == ["applied", "applied", "applied"]
    audit = await _count(
        owner_engine,
        "SELECT count(*) FROM audit_events"
        " WHERE object_type = 'department' AND actor_kind = 'system'",
    )
    assert audit == 4  # created x2, updated, deleted


@pytest.mark.commits
async def test_removing_a_department_with_employees_fails_the_event(
    dingtalk: DingTalkSender,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    hr: Account,
    api: AsyncClient,
) -> None:
    await _apply(dingtalk, runtime, dept_event("org_dept_create", {"dept_id": 2, "name": "Sales"}))
    await _apply(
        dingtalk,
        runtime,
        user_event(
            "user_add_org",
            ["u1"],
            [{"userid": "u1", "name": "Li Lei", "job_number": "E1", "dept_id_list": [2]}],
        ),
    )
    await _apply(dingtalk, runtime, dept_event("org_dept_remove", {"dept_id": 2}))
    assert await _department(owner_engine, "2") is not None
    latest = (await _events(api, hr))[0]
    assert latest["event_type"] == "org_dept_remove"
    assert latest["status"] == "failed"
    assert "employees" in latest["error"], "written in the organization's language (en here)"


# --- employees ----------------------------------------------------------------------------


@pytest.mark.commits
async def test_user_add_modify_and_leave(
    dingtalk: DingTalkSender,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    hr: Account,
    api: AsyncClient,
) -> None:
    await _apply(
        dingtalk,
        runtime,
        dept_event(
            "org_dept_create", {"dept_id": 2, "name": "Sales"}, {"dept_id": 5, "name": "R&D"}
        ),
    )
    sales, rnd = await _department(owner_engine, "2"), await _department(owner_engine, "5")

    await _apply(
        dingtalk,
        runtime,
        user_event(
            "user_add_org",
            ["u1"],
            [{"userid": "u1", "name": "Li Lei", "job_number": "E100", "dept_id_list": [2]}],
        ),
    )
    employee = await _employee(owner_engine, "u1")
    assert employee is not None
    assert (employee.full_name, employee.employee_number, employee.status) == (
        "Li Lei",
        "E100",
        "active",
    )
    assert employee.department_id == sales.id

    await _apply(
        dingtalk,
        runtime,
        user_event(
            "user_modify_org",
            ["u1"],
            [{"userid": "u1", "name": "Li Lei (East)", "job_number": "E100", "dept_id_list": [5]}],
        ),
    )
    employee = await _employee(owner_engine, "u1")
    assert employee is not None
    assert employee.full_name == "Li Lei (East)"
    assert employee.department_id == rnd.id

    await _apply(dingtalk, runtime, user_event("user_leave_org", ["u1"]))
    employee = await _employee(owner_engine, "u1")
    assert employee is not None
    assert employee.status == "exited"
    kinds = await _count(
        owner_engine,
        "SELECT count(*) FROM employment_events WHERE employee_id = :id",
        id=employee.id,
    )
    assert kinds == 3  # hire, transfer, exit
    async with owner_engine.connect() as connection:
        rows = await connection.execute(
            select(EmploymentEvent.kind)
            .where(EmploymentEvent.employee_id == employee.id)
            .order_by(EmploymentEvent.id)
        )
        assert [row.kind for row in rows] == ["hire", "transfer", "exit"]
        actors = await connection.execute(
            select(AuditEvent.actor_kind, func.count())
            .where(AuditEvent.object_type.in_(["employee", "employment_event"]))
            .group_by(AuditEvent.actor_kind)
        )
        assert dict(actors.all()) == {"system": 6}  # created, 3 events, 2 updates
    assert {event["status"] for event in await _events(api, hr)} == {"applied"}


@pytest.mark.commits
async def test_user_without_details_is_skipped_and_named(
    dingtalk: DingTalkSender,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    hr: Account,
    api: AsyncClient,
) -> None:
    await _apply(dingtalk, runtime, user_event("user_add_org", ["u9"]))
    assert await _count(owner_engine, "SELECT count(*) FROM employees") == 0
    event = (await _events(api, hr))[0]
    assert event["status"] == "failed", "an event that created nobody is not applied"
    assert event["error"] == "user u9: no details in the event and no directory app configured"


@pytest.mark.commits
async def test_an_events_note_is_written_in_the_organizations_language(
    dingtalk: DingTalkSender,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    hr: Account,
    api: AsyncClient,
) -> None:
    async with owner_engine.begin() as connection:
        await connection.execute(
            text("UPDATE organizations SET locale = 'zh-CN' WHERE id = :id"), {"id": hr.org_id}
        )
    await _apply(dingtalk, runtime, user_event("user_add_org", ["u9", "u8"]))
    event = (await _events(api, hr))[0]
    assert event["error"] == (
        "用户 u9：事件中没有详情，且未配置通讯录应用；用户 u8：事件中没有详情，且未配置通讯录应用"
    )


@pytest.mark.commits
async def test_event_that_applied_some_ids_is_partial_and_names_the_rest(
    dingtalk: DingTalkSender,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    hr: Account,
    api: AsyncClient,
) -> None:
    await _apply(dingtalk, runtime, dept_event("org_dept_create", {"dept_id": 2, "name": "Sales"}))
    known = {"userid": "u10", "name": "王芳", "job_number": "E10", "dept_id_list": [2]}
    await _apply(dingtalk, runtime, user_event("user_add_org", ["u10", "u11"], [known]))

    assert await _employee(owner_engine, "u10") is not None
    assert await _employee(owner_engine, "u11") is None
    event = (await _events(api, hr))[0]
    assert event["status"] == "partial"
    assert event["error"] == "user u11: no details in the event and no directory app configured"
    partial = await api.get(EVENTS, params={"status": "partial"}, headers=hr.headers)
    assert [item["id"] for item in partial.json()["items"]] == [event["id"]]


@pytest.mark.commits
async def test_replayed_event_changes_nothing(
    dingtalk: DingTalkSender,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    hr: Account,
    api: AsyncClient,
) -> None:
    await _apply(dingtalk, runtime, dept_event("org_dept_create", {"dept_id": 2, "name": "Sales"}))
    event = user_event(
        "user_add_org",
        ["u1"],
        [{"userid": "u1", "name": "Li Lei", "job_number": "E1", "dept_id_list": [2]}],
    )
    signed = dingtalk.sign(event)
    dingtalk.check_reply(await dingtalk.post(signed))
    await run_burst(runtime)
    # The very same request again, and the same event re-encrypted (a DingTalk retry).
    dingtalk.check_reply(await dingtalk.post(signed))
    dingtalk.check_reply(await dingtalk.send(event))
    await run_burst(runtime)
    assert len(await _events(api, hr)) == 2  # the department event and this one
    assert await _count(owner_engine, "SELECT count(*) FROM employees") == 1
    assert await _count(owner_engine, "SELECT count(*) FROM employment_events") == 1
    inbound = "SELECT count(*) FROM outbox_messages WHERE job = 'integrations.apply_dingtalk_event'"
    assert await _count(owner_engine, inbound) == 2
    # The one hire event was announced to its subscribers (core.events) once, not per replay.
    announced = "SELECT count(*) FROM outbox_messages WHERE payload->>'event' IS NOT NULL"
    subscribers = events.subscribers(people.EMPLOYMENT_EVENT_RECORDED)
    assert await _count(owner_engine, announced) == len(subscribers)


@pytest.mark.commits
async def test_unknown_event_type_is_acknowledged_and_ignored(
    dingtalk: DingTalkSender, runtime: Runtime, hr: Account, api: AsyncClient
) -> None:
    response = await dingtalk.send({"EventType": "bpms_task_change", "TimeStamp": _stamp()})
    dingtalk.check_reply(response)
    await run_burst(runtime)
    [event] = await _events(api, hr)
    assert event["event_type"] == "bpms_task_change"
    assert event["status"] == "ignored"


# --- rejections ---------------------------------------------------------------------------


async def _nothing_stored(owner_engine: AsyncEngine) -> None:
    assert await _count(owner_engine, "SELECT count(*) FROM dingtalk_events") == 0
    assert await _count(owner_engine, "SELECT count(*) FROM outbox_messages") == 0


async def test_bad_signature_is_rejected(
    dingtalk: DingTalkSender, owner_engine: AsyncEngine
) -> None:
    event = dept_event("org_dept_create", {"dept_id": 2, "name": "Sales"})
    response = await dingtalk.send(event, token="not-the-token")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    signed = dingtalk.sign(event)
    signed.params["signature"] = "0" * 40
    assert (await dingtalk.post(signed)).status_code == 401
    await _nothing_stored(owner_engine)


async def test_undecryptable_payloads_are_rejected(
    dingtalk: DingTalkSender, owner_engine: AsyncEngine
) -> None:
    event = dept_event("org_dept_create", {"dept_id": 2, "name": "Sales"})
    for options in (
        {"encrypt": "not base64 at all!"},
        {"encrypt": "QUJDRA=="},  # Base64, but not whole AES blocks
        {"aes_key": new_aes_key()},  # signed right, encrypted with another key
        {"receiver_id": "ding-someone-else"},  # for another corp / app
    ):
        response = await dingtalk.send(event, **options)
        assert response.status_code == 401, options
    await _nothing_stored(owner_engine)


async def test_timestamp_outside_the_window_is_rejected(
    dingtalk: DingTalkSender, owner_engine: AsyncEngine
) -> None:
    event = dept_event("org_dept_create", {"dept_id": 2, "name": "Sales"})
    old = str(int((time.time() - 301) * 1000))
    future = str(int((time.time() + 301) * 1000))
    assert (await dingtalk.send(event, timestamp=old)).status_code == 401
    assert (await dingtalk.send(event, timestamp=future)).status_code == 401
    assert (await dingtalk.send(event, timestamp="yesterday")).status_code == 401
    await _nothing_stored(owner_engine)


async def test_another_orgs_integration_cannot_be_used(
    dingtalk: DingTalkSender, runtime: Runtime, api: AsyncClient, owner_engine: AsyncEngine
) -> None:
    other = await make_org(runtime, slug="globex")
    event = dept_event("org_dept_create", {"dept_id": 2, "name": "Sales"})
    # Globex has no integration: acme's valid callback cannot be pointed at it.
    assert (await dingtalk.post(dingtalk.sign(event), org="globex")).status_code == 401
    assert (await dingtalk.post(dingtalk.sign(event), org="nobody")).status_code == 401
    # Globex configures its own: acme's secrets still do not verify there.
    globex = await configure(api, other, "globex")
    assert (await dingtalk.post(dingtalk.sign(event), org="globex")).status_code == 401
    await _nothing_stored(owner_engine)
    globex.check_reply(await globex.send(event))


async def test_inactive_integration_rejects_callbacks(
    dingtalk: DingTalkSender, hr: Account, api: AsyncClient
) -> None:
    response = await api.put(
        "/api/v1/integrations/dingtalk",
        json={"receiver_id": dingtalk.receiver_id, "active": False},
        headers=hr.headers,
    )
    assert response.status_code == 200, response.text
    assert (await dingtalk.send({"EventType": "check_url"})).status_code == 401


# --- configuration ------------------------------------------------------------------------


async def test_secrets_are_never_returned(
    dingtalk: DingTalkSender, hr: Account, api: AsyncClient
) -> None:
    response = await api.get("/api/v1/integrations/dingtalk", headers=hr.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["receiver_id"] == dingtalk.receiver_id
    assert body["token_set"] is True
    assert body["aes_key_set"] is True
    assert body["callback_path"] == f"{EVENTS}?org=acme"
    assert dingtalk.token not in response.text
    assert dingtalk.aes_key not in response.text
    # Rotating the receiver id keeps the secrets when they are omitted.
    response = await api.put(
        "/api/v1/integrations/dingtalk",
        json={"receiver_id": "ding-new"},
        headers=hr.headers,
    )
    assert response.status_code == 200, response.text
    assert dingtalk.token not in response.text
    dingtalk.receiver_id = "ding-new"
    dingtalk.check_reply(await dingtalk.send({"EventType": "check_url"}))


async def test_configuration_needs_secrets_first_and_hr_admin(
    runtime: Runtime, api: AsyncClient
) -> None:
    hr = await make_org(runtime, slug="initech")
    response = await api.put(
        "/api/v1/integrations/dingtalk", json={"receiver_id": "ding1"}, headers=hr.headers
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"token", "aes_key"}
    response = await api.put(
        "/api/v1/integrations/dingtalk",
        json={"receiver_id": "ding1", "token": "t", "aes_key": "x" * 42 + "!"},
        headers=hr.headers,
    )
    assert response.status_code == 422
    assert (await api.get("/api/v1/integrations/dingtalk", headers=hr.headers)).status_code == 404
    employee = await make_user(runtime, hr.org_id, Role.EMPLOYEE)
    response = await api.get("/api/v1/integrations/dingtalk", headers=employee.headers)
    assert response.status_code == 403


async def test_odd_inputs_are_rejected_not_errors(
    dingtalk: DingTalkSender, owner_engine: AsyncEngine
) -> None:
    event = {"EventType": "check_url"}
    for field, value in (
        ("org", "ac\x00me"),
        ("nonce", "\x00"),
        ("timestamp", "9" * 30),
        ("signature", "ü" * 40),
    ):
        signed = dingtalk.sign(event)
        signed.params[field] = value
        response = await dingtalk.post(signed)
        assert response.status_code in (400, 401, 422), (field, response.text)
    signed = dingtalk.sign(event)
    signed.body["encrypt"] = "\x00"
    assert (await dingtalk.post(signed)).status_code in (400, 401, 422)
    await _nothing_stored(owner_engine)


async def test_newer_msg_signature_parameter_is_accepted(
    dingtalk: DingTalkSender, owner_engine: AsyncEngine
) -> None:
    signed = dingtalk.sign(dept_event("org_dept_create", {"dept_id": 2, "name": "Sales"}))
    signed.params["msg_signature"] = signed.params.pop("signature")
    dingtalk.check_reply(await dingtalk.post(signed))
    del signed.params["msg_signature"]
    assert (await dingtalk.post(signed)).status_code == 401, "an unsigned callback is refused"
