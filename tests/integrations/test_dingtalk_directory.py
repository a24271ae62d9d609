"""Directory events carry only ids: the worker reads the people and departments behind them
from DingTalk's directory API (the local DingTalk of `tests.fake_dingtalk`)."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.core.runtime import Runtime
from hrcore.org.models import Department
from hrcore.people.models import Employee
from hrcore.settings import Settings
from hrcore.worker import run_burst
from tests.factories import Account
from tests.fake_dingtalk import FakeDingTalk, fake_dingtalk
from tests.integrations.conftest import DingTalkSender
from tests.integrations.test_dingtalk_events import _stamp

__all__ = ["fake_dingtalk"]
APP_KEY, APP_SECRET = "ding-directory-app", "directory-app-secret"


@pytest.fixture
async def directory(
    api: AsyncClient,
    hr: Account,
    dingtalk: DingTalkSender,
    runtime: Runtime,
    fake_dingtalk: FakeDingTalk,
) -> Any:
    original: Settings = runtime.settings
    runtime.settings = original.model_copy(update={"dingtalk_api_base": fake_dingtalk.base})
    fake_dingtalk.apps[APP_KEY] = APP_SECRET
    response = await api.put(
        "/api/v1/integrations/dingtalk",
        json={"receiver_id": dingtalk.receiver_id, "app_key": APP_KEY, "app_secret": APP_SECRET},
        headers=hr.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["app_key"] == APP_KEY
    assert response.json()["app_secret_set"] is True
    assert APP_SECRET not in response.text
    yield fake_dingtalk
    runtime.settings = original


async def _send(dingtalk: DingTalkSender, runtime: Runtime, event: dict[str, Any]) -> None:
    dingtalk.check_reply(await dingtalk.send({**event, "TimeStamp": _stamp()}))
    await run_burst(runtime)


async def _events(api: AsyncClient, hr: Account) -> list[dict[str, Any]]:
    response = await api.get("/api/v1/integrations/dingtalk/events", headers=hr.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


@pytest.mark.commits
async def test_ids_only_events_are_completed_from_the_directory(
    directory: FakeDingTalk,
    dingtalk: DingTalkSender,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    hr: Account,
    api: AsyncClient,
) -> None:
    directory.departments["7"] = {"dept_id": 7, "name": "研发中心", "parent_id": 1}
    directory.users["u7"] = {
        "userid": "u7",
        "name": "王小明",
        "job_number": "E0707",
        "dept_id_list": [7],
        "hired_date": 1767225600000,
    }

    await _send(dingtalk, runtime, {"EventType": "org_dept_create", "DeptId": [7]})
    await _send(dingtalk, runtime, {"EventType": "user_add_org", "UserId": ["u7"]})

    async with owner_engine.connect() as connection:
        department = (
            await connection.execute(select(Department).where(Department.dingtalk_dept_id == "7"))
        ).one()
        employee = (
            await connection.execute(select(Employee).where(Employee.dingtalk_user_id == "u7"))
        ).one()
    assert department.name == "研发中心"
    assert (employee.full_name, employee.employee_number) == ("王小明", "E0707")
    assert employee.department_id == department.id
    assert str(employee.hire_date) == "2026-01-01"
    assert [event["status"] for event in await _events(api, hr)] == ["applied", "applied"]
    assert directory.directory_requests == 2
    assert len(directory.tokens_issued) == 1, "the access token is cached"


@pytest.mark.commits
async def test_an_id_the_directory_does_not_know_is_named_not_guessed(
    directory: FakeDingTalk,
    dingtalk: DingTalkSender,
    runtime: Runtime,
    owner_engine: AsyncEngine,
    hr: Account,
    api: AsyncClient,
) -> None:
    await _send(dingtalk, runtime, {"EventType": "user_add_org", "UserId": ["ghost"]})

    [event] = await _events(api, hr)
    assert event["status"] == "failed"
    assert event["error"] == "user ghost: not in the DingTalk directory"
    async with owner_engine.connect() as connection:
        assert (await connection.execute(select(Employee))).first() is None


@pytest.mark.commits
async def test_an_unreachable_directory_is_retried_until_it_answers(
    directory: FakeDingTalk,
    dingtalk: DingTalkSender,
    runtime: Runtime,
    hr: Account,
    api: AsyncClient,
) -> None:
    directory.departments["2"] = {"dept_id": 2, "name": "销售部", "parent_id": 1}
    directory.users["u8"] = {
        "userid": "u8",
        "name": "李雷",
        "job_number": "E8",
        "dept_id_list": [2],
    }
    await _send(dingtalk, runtime, {"EventType": "org_dept_create", "DeptId": [2]})
    directory.directory_failures = 2

    await _send(dingtalk, runtime, {"EventType": "user_add_org", "UserId": ["u8"]})

    assert directory.directory_requests == 1 + 3
    latest = (await _events(api, hr))[0]
    assert latest["status"] == "applied"
    assert latest["error"] is None
