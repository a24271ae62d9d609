"""Contact events in both of DingTalk's shapes: the legacy `UserId` / `DeptId` and the newer
`userId` / `deptId` lists beside `eventId`, `BizId` and `EventTime`. An event that names
nothing to apply is `ignored` with a note, never `applied`."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.runtime import Runtime
from tests.factories import Account
from tests.integrations.conftest import DingTalkSender
from tests.integrations.test_dingtalk_events import _apply, _count, _department, _employee, _events


def newer(kind: str, **fields: Any) -> dict[str, Any]:
    """An event as DingTalk's newer event pages show it."""
    stamp = int(time.time() * 1000)
    return {
        "EventType": kind,
        "eventId": uuid.uuid4().hex,
        "BizId": uuid.uuid4().hex,
        "EventTime": stamp,
        **fields,
    }


@pytest.mark.commits
async def test_newer_shape_adds_moves_and_removes_people_and_departments(
    dingtalk: DingTalkSender,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    hr: Account,
    api: AsyncClient,
) -> None:
    depts = [
        {"dept_id": 3, "name": "Sales", "parent_id": 1},
        {"dept_id": 4, "name": "R&D"},
        {"dept_id": 5, "name": "Archive"},
    ]
    await _apply(dingtalk, runtime, newer("org_dept_create", deptId=[3, 4, 5], hrcore_depts=depts))
    sales, rnd = await _department(owner_engine, "3"), await _department(owner_engine, "4")
    assert sales is not None
    assert rnd is not None

    user = {"userid": "n1", "name": "Han Meimei", "job_number": "E301", "dept_id_list": [3]}
    await _apply(dingtalk, runtime, newer("user_add_org", userId=["n1"], hrcore_users=[user]))
    employee = await _employee(owner_engine, "n1")
    assert employee is not None
    assert (employee.full_name, employee.department_id) == ("Han Meimei", sales.id)

    moved = {**user, "dept_id_list": [4]}
    await _apply(dingtalk, runtime, newer("user_modify_org", userId=["n1"], hrcore_users=[moved]))
    employee = await _employee(owner_engine, "n1")
    assert employee is not None
    assert employee.department_id == rnd.id

    await _apply(dingtalk, runtime, newer("user_leave_org", userId=["n1"]))
    employee = await _employee(owner_engine, "n1")
    assert employee is not None
    assert employee.status == "exited"

    await _apply(dingtalk, runtime, newer("org_dept_remove", deptId=[5]))
    assert await _department(owner_engine, "5") is None
    events = await _events(api, hr)
    assert [(event["status"], event["error"]) for event in events] == [("applied", None)] * 5


@pytest.mark.commits
async def test_an_id_named_in_both_shapes_is_applied_once(
    dingtalk: DingTalkSender,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    hr: Account,
    api: AsyncClient,
) -> None:
    depts = [{"dept_id": 6, "name": "Ops"}]
    await _apply(
        dingtalk, runtime, newer("org_dept_create", DeptId=[6], deptId=[6], hrcore_depts=depts)
    )
    user = {"userid": "n2", "name": "Wei Hua", "job_number": "E302", "dept_id_list": [6]}
    await _apply(
        dingtalk,
        runtime,
        newer("user_add_org", UserId=["n2"], userId=["n2"], hrcore_users=[user]),
    )
    assert await _count(owner_engine, "SELECT count(*) FROM employees") == 1
    assert {event["status"] for event in await _events(api, hr)} == {"applied"}


@pytest.mark.commits
async def test_an_event_naming_nothing_is_ignored_with_a_note_not_applied(
    dingtalk: DingTalkSender,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    hr: Account,
    api: AsyncClient,
) -> None:
    await _apply(dingtalk, runtime, newer("user_add_org", userIds=["typo"]))
    await _apply(dingtalk, runtime, newer("org_dept_remove"))

    events = await _events(api, hr)
    assert [event["status"] for event in events] == ["ignored", "ignored"]
    assert {event["error"] for event in events} == {
        "nothing to apply: the event names no user (UserId, userId) or department (DeptId, deptId)"
    }
    assert await _count(owner_engine, "SELECT count(*) FROM employees") == 0


@pytest.mark.commits
async def test_a_newer_event_delivered_twice_is_stored_once(
    dingtalk: DingTalkSender, runtime: Runtime, hr: Account, api: AsyncClient
) -> None:
    event = newer("org_dept_create", deptId=[8], hrcore_depts=[{"dept_id": 8, "name": "Legal"}])
    await _apply(dingtalk, runtime, event)
    await _apply(dingtalk, runtime, {**event, "BizId": uuid.uuid4().hex})
    assert [item["status"] for item in await _events(api, hr)] == ["applied"]
