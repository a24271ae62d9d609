"""DingTalk channels end to end: API → notify → outbox → real arq worker → local DingTalk."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from hrcore.channels import config as channel_config
from hrcore.channels.config import DELIVER_JOB
from hrcore.channels.pacing import next_robot_slot
from hrcore.channels.repository import Pacing
from hrcore.core.authz import Role
from hrcore.core.clock import FrozenClock
from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.notifications import service as notifications
from hrcore.org.models import Department
from hrcore.people.models import Employee
from hrcore.worker import run_burst
from tests.channels.conftest import Configure, FakeDingTalk
from tests.factories import Account, make_department, make_employee, make_org, make_user

BASE = "/api/v1/notification-channels"
ROBOT_SECRET = "SECrobot-secret-value"
APP_SECRET = "app-secret-value"


async def _notify(
    runtime: Runtime,
    org_id: uuid.UUID,
    user_ids: list[uuid.UUID],
    key: str,
    title: str = "Due soon: Reflection report",
    body: str = "Due by 2026-12-01 18:00.",
) -> int:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        return await notifications.notify(
            session,
            org_id=org_id,
            user_ids=user_ids,
            kind="task.reminder",
            title=title,
            body=body,
            subject_type=None,
            subject_id=None,
            dedupe_key=key,
        )


async def _robot(
    api: AsyncClient,
    hr: Account,
    fake: FakeDingTalk,
    token: str = "robot1",
    department: Department | None = None,
) -> dict[str, Any]:
    fake.robots[token] = ROBOT_SECRET
    response = await api.post(
        BASE,
        json={
            "kind": "dingtalk_robot",
            "name": f"Group {len(fake.robots)}",
            "department_id": str(department.id) if department else None,
            "config": {"webhook_url": fake.robot_url(token)},
            "secret": ROBOT_SECRET,
        },
        headers=hr.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def _deliveries(api: AsyncClient, hr: Account, channel_id: str) -> list[dict[str, Any]]:
    response = await api.get(f"{BASE}/{channel_id}/deliveries", headers=hr.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def _make_due(owner_engine: AsyncEngine, until: datetime | None = None) -> None:
    """The relay compares `available_at` with the database's clock: move deferred jobs (those
    due by `until`, the test's clock, when given) up."""
    async with owner_engine.begin() as connection:
        await connection.execute(
            text(
                "UPDATE outbox_messages SET available_at = now() WHERE status = 'pending'"
                " AND available_at <= coalesce(:until, available_at)"
            ),
            {"until": until},
        )


@pytest.mark.commits
async def test_a_notification_reaches_the_robot_signed(
    api: AsyncClient, runtime: Runtime, configure: Configure, fake_dingtalk: FakeDingTalk
) -> None:
    hr = await make_org(runtime)
    user = await make_user(runtime, hr.org_id)
    channel = await _robot(api, hr, fake_dingtalk)

    assert await _notify(runtime, hr.org_id, [user.user_id], "k1") == 1
    await run_burst(runtime)
    await run_burst(runtime)

    [message] = fake_dingtalk.messages
    assert message.signature_ok
    assert abs(message.timestamp - time.time() * 1000) < 60_000
    assert message.content == "Due soon: Reflection report\nDue by 2026-12-01 18:00."
    [delivery] = await _deliveries(api, hr, channel["id"])
    assert delivery["status"] == "sent"
    assert delivery["attempts"] == 1
    assert delivery["sent_at"] is not None


@pytest.mark.commits
async def test_the_21st_message_in_a_minute_is_deferred_then_sent(
    api: AsyncClient,
    runtime: Runtime,
    configure: Configure,
    fake_dingtalk: FakeDingTalk,
    owner_engine: AsyncEngine,
) -> None:
    clock = FrozenClock(datetime.now(UTC))
    runtime.clock = clock  # restored by `configure`
    hr = await make_org(runtime)
    user = await make_user(runtime, hr.org_id)
    channel = await _robot(api, hr, fake_dingtalk)

    for n in range(21):
        await _notify(runtime, hr.org_id, [user.user_id], f"k{n}", title=f"Task {n} due")
    await run_burst(runtime)

    assert len(fake_dingtalk.messages) == 20
    assert fake_dingtalk.rate_violations == 0
    deliveries = await _deliveries(api, hr, channel["id"])
    assert sorted(d["status"] for d in deliveries) == ["deferred"] + ["sent"] * 20
    [deferred] = [d for d in deliveries if d["status"] == "deferred"]
    assert deferred["attempts"] == 0
    assert datetime.fromisoformat(deferred["next_attempt_at"]) == clock.now() + timedelta(minutes=1)

    await _make_due(owner_engine)  # due for the relay, but the window is still full
    await run_burst(runtime)
    assert len(fake_dingtalk.messages) == 20
    assert fake_dingtalk.robot_requests == 20

    clock.advance(timedelta(seconds=61))
    await _make_due(owner_engine)
    await run_burst(runtime)

    assert len(fake_dingtalk.messages) == 21
    assert fake_dingtalk.rate_violations == 0
    assert {m.content.split("\n")[0] for m in fake_dingtalk.messages} == {
        f"Task {n} due" for n in range(21)
    }
    deliveries = await _deliveries(api, hr, channel["id"])
    assert [d["status"] for d in deliveries] == ["sent"] * 21


@pytest.mark.commits
async def test_deferred_messages_wake_in_their_own_slots_not_all_at_once(
    api: AsyncClient,
    runtime: Runtime,
    configure: Configure,
    fake_dingtalk: FakeDingTalk,
    owner_engine: AsyncEngine,
) -> None:
    clock = FrozenClock(datetime.now(UTC))
    runtime.clock = clock
    start = clock.now()
    hr = await make_org(runtime)
    user = await make_user(runtime, hr.org_id)
    channel = await _robot(api, hr, fake_dingtalk)

    for n in range(45):
        await _notify(runtime, hr.org_id, [user.user_id], f"k{n}", title=f"Task {n} due")
    await run_burst(runtime)

    deliveries = await _deliveries(api, hr, channel["id"])
    slots = sorted(d["next_attempt_at"] for d in deliveries if d["status"] == "deferred")
    assert [datetime.fromisoformat(at) - start for at in slots] == [timedelta(minutes=1)] * 20 + [
        timedelta(minutes=2)
    ] * 5

    for _ in range(2):
        clock.advance(timedelta(minutes=1))
        await _make_due(owner_engine, until=clock.now())
        await run_burst(runtime)

    assert len(fake_dingtalk.messages) == 45
    assert fake_dingtalk.rate_violations == 0
    async with owner_engine.connect() as connection:
        jobs = await connection.scalar(
            text("SELECT count(*) FROM outbox_messages WHERE job = :job"),
            {"job": DELIVER_JOB},
        )
    assert jobs == 45 + 25, "each deferred delivery woke once, in the slot it reserved"


@pytest.mark.commits
async def test_a_throttled_robot_is_muted_for_ten_minutes_and_nothing_is_lost(
    api: AsyncClient,
    runtime: Runtime,
    configure: Configure,
    fake_dingtalk: FakeDingTalk,
    owner_engine: AsyncEngine,
) -> None:
    clock = FrozenClock(datetime.now(UTC))
    runtime.clock = clock
    start = clock.now()
    hr = await make_org(runtime)
    user = await make_user(runtime, hr.org_id)
    channel = await _robot(api, hr, fake_dingtalk)
    fake_dingtalk.robot_failures.append("throttled")

    await _notify(runtime, hr.org_id, [user.user_id], "k1", title="Task 1 due")
    await run_burst(runtime)
    await _notify(runtime, hr.org_id, [user.user_id], "k2", title="Task 2 due")
    await run_burst(runtime)

    assert fake_dingtalk.robot_requests == 1, "the robot is left alone once it is throttled"
    deliveries = await _deliveries(api, hr, channel["id"])
    assert {d["status"] for d in deliveries} == {"deferred"}
    [throttled] = [d for d in deliveries if d["attempts"] == 1]
    assert "130101" in throttled["last_error"]
    for delivery in deliveries:
        assert datetime.fromisoformat(delivery["next_attempt_at"]) >= start + timedelta(minutes=10)

    clock.advance(timedelta(minutes=9))
    await _make_due(owner_engine)
    await run_burst(runtime)
    assert fake_dingtalk.messages == []

    clock.advance(timedelta(minutes=1))
    await _make_due(owner_engine)
    await run_burst(runtime)
    assert sorted(m.content.split("\n")[0] for m in fake_dingtalk.messages) == [
        "Task 1 due",
        "Task 2 due",
    ]
    assert [d["status"] for d in await _deliveries(api, hr, channel["id"])] == ["sent"] * 2


@pytest.mark.commits
async def test_a_failing_robot_is_retried_with_backoff_and_never_blocks_the_inbox(
    api: AsyncClient, runtime: Runtime, configure: Configure, fake_dingtalk: FakeDingTalk
) -> None:
    hr = await make_org(runtime)
    user = await make_user(runtime, hr.org_id)
    channel = await _robot(api, hr, fake_dingtalk)
    fake_dingtalk.robot_failures = ["500", "errcode"]

    await _notify(runtime, hr.org_id, [user.user_id], "k1")
    inbox = (await api.get("/api/v1/me/notifications", headers=user.headers)).json()
    assert [item["title"] for item in inbox["items"]] == ["Due soon: Reflection report"]

    started = time.monotonic()
    await run_burst(runtime)
    elapsed = time.monotonic() - started

    assert fake_dingtalk.robot_requests == 3
    assert len(fake_dingtalk.messages) == 1
    assert elapsed >= 0.05 + 0.1, "retries wait base × 2^(try−1)"
    [delivery] = await _deliveries(api, hr, channel["id"])
    assert delivery["status"] == "sent"
    assert delivery["attempts"] == 3
    assert delivery["last_error"] is None


@pytest.mark.commits
async def test_a_dead_robot_fails_the_delivery_and_logs_why(
    api: AsyncClient,
    runtime: Runtime,
    configure: Configure,
    fake_dingtalk: FakeDingTalk,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(channel_config, "MAX_ATTEMPTS", 3)
    hr = await make_org(runtime)
    user = await make_user(runtime, hr.org_id)
    channel = await _robot(api, hr, fake_dingtalk)
    fake_dingtalk.robot_failures = ["errcode"] * 100

    await _notify(runtime, hr.org_id, [user.user_id], "k1")
    await run_burst(runtime)

    assert fake_dingtalk.robot_requests == 3
    [delivery] = await _deliveries(api, hr, channel["id"])
    assert delivery["status"] == "failed"
    assert delivery["attempts"] == 3
    assert delivery["last_error"] == "errcode 400013: group is busy"
    inbox = (await api.get("/api/v1/me/notifications", headers=user.headers)).json()
    assert inbox["unread_count"] == 1


async def _employee_user(
    runtime: Runtime, org_id: uuid.UUID, department: Department, name: str, dingtalk_id: str | None
) -> Account:
    employee = await make_employee(runtime, org_id, department, name)
    if dingtalk_id is not None:
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, org_id)
            row = await session.get(Employee, employee.id)
            assert row is not None
            row.dingtalk_user_id = dingtalk_id
    return await make_user(runtime, org_id, employee_id=employee.id)


@pytest.mark.commits
async def test_work_notices_reach_only_people_with_a_dingtalk_id_and_reuse_the_token(
    api: AsyncClient, runtime: Runtime, configure: Configure, fake_dingtalk: FakeDingTalk
) -> None:
    hr = await make_org(runtime)
    department = await make_department(runtime, hr.org_id, "Sales")
    linked = await _employee_user(runtime, hr.org_id, department, "Linked Person", "dt-1")
    unlinked = await _employee_user(runtime, hr.org_id, department, "Unlinked Person", None)
    no_employee = await make_user(runtime, hr.org_id)
    fake_dingtalk.apps["app-key"] = APP_SECRET
    response = await api.post(
        BASE,
        json={
            "kind": "dingtalk_work_notice",
            "name": "HR app",
            "config": {"agent_id": 42, "app_key": "app-key"},
            "secret": APP_SECRET,
        },
        headers=hr.headers,
    )
    assert response.status_code == 201, response.text
    everyone = [linked.user_id, unlinked.user_id, no_employee.user_id]

    await _notify(runtime, hr.org_id, everyone, "k1", title="Due soon: Report A")
    await _notify(runtime, hr.org_id, everyone, "k2", title="Due soon: Report B")
    await run_burst(runtime)

    assert [(n.agent_id, n.user_ids) for n in fake_dingtalk.notices] == [
        (42, ["dt-1"]),
        (42, ["dt-1"]),
    ]
    assert sorted(n.content.split("\n")[0] for n in fake_dingtalk.notices) == [
        "Due soon: Report A",
        "Due soon: Report B",
    ]
    assert len(fake_dingtalk.tokens_issued) == 1, "the access token is fetched once"
    deliveries = await _deliveries(api, hr, response.json()["id"])
    assert [d["status"] for d in deliveries] == ["sent", "sent"]


@pytest.mark.commits
async def test_a_failing_work_notice_is_retried(
    api: AsyncClient, runtime: Runtime, configure: Configure, fake_dingtalk: FakeDingTalk
) -> None:
    hr = await make_org(runtime)
    department = await make_department(runtime, hr.org_id, "Sales")
    linked = await _employee_user(runtime, hr.org_id, department, "Linked Person", "dt-9")
    fake_dingtalk.apps["k"] = APP_SECRET
    fake_dingtalk.notice_failures = ["busy"]
    response = await api.post(
        BASE,
        json={
            "kind": "dingtalk_work_notice",
            "name": "HR app",
            "config": {"agent_id": 7, "app_key": "k"},
            "secret": APP_SECRET,
        },
        headers=hr.headers,
    )
    assert response.status_code == 201, response.text
    await _notify(runtime, hr.org_id, [linked.user_id], "k1")
    await run_burst(runtime)
    assert [n.user_ids for n in fake_dingtalk.notices] == [["dt-9"]]
    [delivery] = await _deliveries(api, hr, response.json()["id"])
    assert delivery["status"] == "sent"
    assert delivery["attempts"] == 2


@pytest.mark.commits
async def test_a_department_channel_covers_only_its_subtree(
    api: AsyncClient, runtime: Runtime, configure: Configure, fake_dingtalk: FakeDingTalk
) -> None:
    hr = await make_org(runtime)
    sales = await make_department(runtime, hr.org_id, "Sales")
    north = await make_department(runtime, hr.org_id, "North", parent=sales)
    other = await make_department(runtime, hr.org_id, "Finance")
    inside = await _employee_user(runtime, hr.org_id, north, "Inside Person", None)
    outside = await _employee_user(runtime, hr.org_id, other, "Outside Person", None)
    channel = await _robot(api, hr, fake_dingtalk, "sales-robot", department=sales)

    await _notify(runtime, hr.org_id, [inside.user_id], "k1", title="For north")
    await _notify(runtime, hr.org_id, [outside.user_id], "k2", title="For finance")
    await _notify(runtime, hr.org_id, [hr.user_id], "k3", title="For HR without employee")
    await run_burst(runtime)

    assert [m.content.split("\n")[0] for m in fake_dingtalk.messages] == ["For north"]
    assert len(await _deliveries(api, hr, channel["id"])) == 1


async def test_secrets_are_write_only(
    api: AsyncClient,
    runtime: Runtime,
    configure: Configure,
    fake_dingtalk: FakeDingTalk,
    owner_engine: AsyncEngine,
) -> None:
    hr = await make_org(runtime)
    created = await _robot(api, hr, fake_dingtalk, "very-secret-token")
    assert "secret" not in created
    assert created["has_secret"] is True
    assert created["config"]["webhook_url"].endswith("access_token=***")

    patched = await api.patch(
        f"{BASE}/{created['id']}",
        json={"secret": "SECnew-secret", "name": "Renamed", "version": created["version"]},
        headers=hr.headers,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["name"] == "Renamed"
    listed = await api.get(BASE, headers=hr.headers)
    for response in (patched, listed):
        assert ROBOT_SECRET not in response.text
        assert "SECnew-secret" not in response.text
        assert "very-secret-token" not in response.text
        assert '"secret"' not in response.text
    async with owner_engine.connect() as connection:
        audit = (
            await connection.execute(
                text("SELECT action, before::text, after::text FROM audit_events ORDER BY id")
            )
        ).all()
    actions = [row[0] for row in audit]
    assert "notification_channel.created" in actions
    assert "notification_channel.updated" in actions
    dump = " ".join(f"{row[1]} {row[2]}" for row in audit)
    assert ROBOT_SECRET not in dump
    assert "SECnew-secret" not in dump
    assert "very-secret-token" not in dump

    deleted = await api.delete(f"{BASE}/{created['id']}", headers=hr.headers)
    assert deleted.status_code == 204
    assert (await api.get(BASE, headers=hr.headers)).json()["items"] == []


async def test_only_hr_admins_of_the_org_manage_channels(
    api: AsyncClient, runtime: Runtime, configure: Configure, fake_dingtalk: FakeDingTalk
) -> None:
    hr = await make_org(runtime)
    employee = await make_user(runtime, hr.org_id, Role.EMPLOYEE)
    channel = await _robot(api, hr, fake_dingtalk)

    assert (await api.get(BASE, headers=employee.headers)).status_code == 403
    forbidden = await api.post(
        BASE,
        json={
            "kind": "dingtalk_robot",
            "name": "x",
            "config": {"webhook_url": fake_dingtalk.robot_url("x")},
            "secret": "s",
        },
        headers=employee.headers,
    )
    assert forbidden.status_code == 403
    assert (
        await api.delete(f"{BASE}/{channel['id']}", headers=employee.headers)
    ).status_code == 403

    other = await make_org(runtime)
    assert (
        await api.patch(f"{BASE}/{channel['id']}", json={"name": "x"}, headers=other.headers)
    ).status_code == 404
    assert (await api.delete(f"{BASE}/{channel['id']}", headers=other.headers)).status_code == 404
    assert (
        await api.get(f"{BASE}/{channel['id']}/deliveries", headers=other.headers)
    ).status_code == 404
    assert (await api.get(BASE, headers=other.headers)).json()["items"] == []


async def test_robot_urls_must_be_public_https(
    api: AsyncClient, runtime: Runtime, configure: Configure, fake_dingtalk: FakeDingTalk
) -> None:
    configure(webhook_allow_private_targets=False)
    hr = await make_org(runtime)
    for url in (fake_dingtalk.robot_url("t"), "https://127.0.0.1/robot/send?access_token=t"):
        response = await api.post(
            BASE,
            json={
                "kind": "dingtalk_robot",
                "name": "x",
                "config": {"webhook_url": url},
                "secret": "s",
            },
            headers=hr.headers,
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "config.webhook_url"


async def test_config_must_fit_the_kind(
    api: AsyncClient, runtime: Runtime, configure: Configure, fake_dingtalk: FakeDingTalk
) -> None:
    hr = await make_org(runtime)
    channel = await _robot(api, hr, fake_dingtalk)
    response = await api.patch(
        f"{BASE}/{channel['id']}", json={"config": {"agent_id": 1}}, headers=hr.headers
    )
    assert response.status_code == 422, response.text
    stale = await api.patch(
        f"{BASE}/{channel['id']}", json={"name": "n", "version": 99}, headers=hr.headers
    )
    assert stale.status_code == 409


def test_the_robot_signature_is_base64_hmac_sha256_of_timestamp_and_secret() -> None:
    from hrcore.channels import dingtalk

    sign = dingtalk.robot_sign("SECsecret", 1_700_000_000_000)
    assert sign == "0QWYb8Ux63Sm4BhHaJNL3lv5mqW1sLFoks7vu+HFFi4="
    url = dingtalk.signed_robot_url("https://x.example/robot/send?access_token=a", "SECsecret", 1)
    assert url.startswith("https://x.example/robot/send?access_token=a&timestamp=1&sign=")


def test_a_robot_slot_is_kept_only_by_a_delivery_that_wakes_on_time_and_unmuted() -> None:
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    sent = [now - timedelta(seconds=30)] * 20
    reserved = now + timedelta(seconds=30)
    pacing = Pacing([*sent, reserved, reserved], muted_until=None)

    window, slot = next_robot_slot(pacing, now)
    assert slot == reserved, "after the reservations made before it, and the window allows it"
    assert window.count(reserved) == 3

    window, slot = next_robot_slot(pacing, reserved, reserved=reserved)
    assert slot == reserved, "on time: sends in its own slot"
    assert window.count(reserved) == 2

    late = reserved + timedelta(minutes=5)
    window, slot = next_robot_slot(pacing, late, reserved=reserved)
    assert slot == late, "late: gives its slot back, sends now"
    assert window == [late]

    muted = Pacing(pacing.send_times, muted_until=now + timedelta(minutes=10))
    _, slot = next_robot_slot(muted, reserved, reserved=reserved)
    assert slot == now + timedelta(minutes=10), "muted: waits for the robot to be heard again"


@pytest.mark.commits
async def test_a_notice_about_an_item_carries_the_link_that_opens_it(
    api: AsyncClient, runtime: Runtime, configure: Configure, fake_dingtalk: FakeDingTalk
) -> None:
    hr = await make_org(runtime)
    user = await make_user(runtime, hr.org_id)
    await _robot(api, hr, fake_dingtalk)
    task_id = uuid.uuid4()
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, hr.org_id)
        await notifications.notify(
            session,
            org_id=hr.org_id,
            user_ids=[user.user_id],
            kind="task.reminder",
            title="Due soon: Reflection report",
            body="Due by 2026-12-01 18:00.",
            subject_type="task",
            subject_id=task_id,
            dedupe_key="linked",
        )
    await run_burst(runtime)

    [message] = fake_dingtalk.messages
    assert message.content.split("\n") == [
        "Due soon: Reflection report",
        "Due by 2026-12-01 18:00.",
        f"hrcore://open/task/{task_id}",
    ]
    inbox = await api.get("/api/v1/me/notifications", headers=user.headers)
    assert inbox.json()["items"][0]["deep_link"] == f"hrcore://open/task/{task_id}"
