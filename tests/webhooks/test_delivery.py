"""Publishing and delivery through the real outbox, Redis and arq worker, to a local receiver."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.outbox import OutboxMessage
from hrcore.core.runtime import Runtime
from hrcore.webhooks import service as webhooks
from hrcore.webhooks.models import EventType, WebhookDelivery
from hrcore.worker import run_burst
from tests.factories import Account, make_org
from tests.webhooks.conftest import Configure, Receiver


async def _publish(
    runtime: Runtime,
    org_id: uuid.UUID,
    event_type: EventType = EventType.TASK_OVERDUE,
    payload: dict[str, Any] | None = None,
) -> int:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        return await webhooks.publish(
            session,
            org_id=org_id,
            event_type=event_type,
            payload=payload or {"task_id": str(uuid.UUID(int=1))},
        )


async def _subscribe(
    api: AsyncClient, hr: Account, receiver: Receiver, events: list[str] | None = None
) -> dict[str, Any]:
    response = await api.post(
        "/api/v1/webhooks",
        json={"url": receiver.url, "event_types": events or ["task.overdue"]},
        headers=hr.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    receiver.secret = body["secret"]
    return body


async def _deliveries(api: AsyncClient, hr: Account, webhook_id: str) -> list[dict[str, Any]]:
    response = await api.get(f"/api/v1/webhooks/{webhook_id}/deliveries", headers=hr.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def _webhook(api: AsyncClient, hr: Account, webhook_id: str) -> dict[str, Any]:
    items = (await api.get("/api/v1/webhooks", headers=hr.headers)).json()["items"]
    return next(item for item in items if item["id"] == webhook_id)


@pytest.mark.commits
async def test_an_event_is_delivered_once_signed(
    api: AsyncClient, runtime: Runtime, configure: Configure, receiver: Receiver
) -> None:
    hr = await make_org(runtime)
    webhook = await _subscribe(api, hr, receiver, ["task.overdue"])
    other_type = await _subscribe(api, hr, receiver, ["task.completed"])
    receiver.secret = webhook["secret"]

    payload = {"task_id": "t-1", "title": "Reflection report", "due": "2026-12-01"}
    assert await _publish(runtime, hr.org_id, EventType.TASK_OVERDUE, payload) == 1
    await run_burst(runtime)
    await run_burst(runtime)

    assert len(receiver.requests) == 1
    [request] = receiver.requests
    assert request.signature_ok
    assert abs(int(request.headers["x-hrcore-timestamp"]) - time.time()) < 60
    assert request.headers["x-hrcore-event"] == "task.overdue"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["host"] == f"127.0.0.1:{receiver.port}"
    document = json.loads(request.body)
    assert document["type"] == "task.overdue"
    assert document["data"] == payload
    assert document["id"] == request.headers["x-hrcore-delivery"]
    assert document["created_at"]

    [delivery] = await _deliveries(api, hr, webhook["id"])
    assert delivery["status"] == "succeeded"
    assert delivery["attempts"] == 1
    assert delivery["last_status_code"] == 200
    assert delivery["event_id"] == document["id"]
    assert delivery["delivered_at"] is not None
    assert await _deliveries(api, hr, other_type["id"]) == []


async def test_a_tampered_body_fails_verification() -> None:
    body = b'{"id":"x"}'
    signature = webhooks.sign("whsec_k", 1700000000, body)
    assert signature.startswith("sha256=")
    assert len(signature) == len("sha256=") + 64
    assert webhooks.sign("whsec_k", 1700000000, body + b" ") != signature
    assert webhooks.sign("whsec_k", 1700000001, body) != signature
    assert webhooks.sign("whsec_other", 1700000000, body) != signature


@pytest.mark.commits
async def test_a_failing_receiver_is_retried_until_it_succeeds(
    api: AsyncClient, runtime: Runtime, configure: Configure, receiver: Receiver
) -> None:
    configure(webhook_max_attempts=5, webhook_max_consecutive_failures=10)
    hr = await make_org(runtime)
    webhook = await _subscribe(api, hr, receiver)
    receiver.fail_times = 2
    await _publish(runtime, hr.org_id)
    started = time.monotonic()
    await run_burst(runtime)
    elapsed = time.monotonic() - started

    assert len(receiver.requests) == 3
    assert all(request.signature_ok for request in receiver.requests)
    assert len({request.headers["x-hrcore-delivery"] for request in receiver.requests}) == 1
    assert elapsed >= 0.05 + 0.1, "retries wait base × 2^(try−1)"

    [delivery] = await _deliveries(api, hr, webhook["id"])
    assert delivery["status"] == "succeeded"
    assert delivery["attempts"] == 3
    assert delivery["last_error"] is None
    subscription = await _webhook(api, hr, webhook["id"])
    assert subscription["consecutive_failures"] == 0, "a success resets the count"
    assert subscription["active"] is True


@pytest.mark.commits
async def test_a_dead_receiver_fails_the_delivery_and_then_disables_the_subscription(
    api: AsyncClient, runtime: Runtime, configure: Configure, receiver: Receiver
) -> None:
    configure(webhook_max_attempts=3, webhook_max_consecutive_failures=4)
    hr = await make_org(runtime)
    webhook = await _subscribe(api, hr, receiver)
    receiver.fail_times = 1_000

    await _publish(runtime, hr.org_id, payload={"n": 1})
    await run_burst(runtime)
    assert len(receiver.requests) == 3
    [first] = await _deliveries(api, hr, webhook["id"])
    assert first["status"] == "failed"
    assert first["attempts"] == 3
    assert first["last_status_code"] == 503
    assert "503" in first["last_error"]
    subscription = await _webhook(api, hr, webhook["id"])
    assert subscription["active"] is True
    assert subscription["consecutive_failures"] == 3

    await _publish(runtime, hr.org_id, payload={"n": 2})
    await run_burst(runtime)
    assert len(receiver.requests) == 4, "disabled after the 4th failure in a row"
    second, _ = await _deliveries(api, hr, webhook["id"])
    assert second["status"] == "failed"
    assert second["attempts"] == 1
    assert second["last_error"] == "subscription is disabled"
    subscription = await _webhook(api, hr, webhook["id"])
    assert subscription["active"] is False
    assert subscription["disabled_at"] is not None

    failed = await api.get(
        f"/api/v1/webhooks/{webhook['id']}/deliveries",
        params={"status": "failed", "limit": 1},
        headers=hr.headers,
    )
    assert [item["id"] for item in failed.json()["items"]] == [second["id"]]
    assert failed.json()["next_cursor"]

    audit = (
        await api.get(
            "/api/v1/audit-events",
            params={"object_id": webhook["id"], "action": "webhook.disabled"},
            headers=hr.headers,
        )
    ).json()["items"]
    assert len(audit) == 1
    assert audit[0]["actor_kind"] == "system"

    async with runtime.sessionmaker() as session:
        statuses = set((await session.scalars(select(OutboxMessage.status))).all())
    assert statuses == {"done"}, "delivery failures live in the delivery log, not as job errors"

    assert await _publish(runtime, hr.org_id) == 0, "a disabled subscription gets nothing"

    enabled = await api.post(f"/api/v1/webhooks/{webhook['id']}/enable", headers=hr.headers)
    assert enabled.status_code == 200
    assert enabled.json()["active"] is True
    assert enabled.json()["consecutive_failures"] == 0
    assert "secret" not in enabled.json()
    receiver.fail_times = 0
    assert await _publish(runtime, hr.org_id) == 1
    await run_burst(runtime)
    assert (await _deliveries(api, hr, webhook["id"]))[0]["status"] == "succeeded"
    actions = [
        event["action"]
        for event in (
            await api.get(
                "/api/v1/audit-events", params={"object_id": webhook["id"]}, headers=hr.headers
            )
        ).json()["items"]
    ]
    assert actions == ["webhook.enabled", "webhook.disabled", "webhook.created"]


@pytest.mark.commits
async def test_publishing_in_a_rolled_back_transaction_sends_nothing(
    api: AsyncClient, runtime: Runtime, configure: Configure, receiver: Receiver
) -> None:
    hr = await make_org(runtime)
    await _subscribe(api, hr, receiver)
    queued: list[int] = []

    async def failing_change() -> None:
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, hr.org_id)
            queued.append(
                await webhooks.publish(
                    session, org_id=hr.org_id, event_type="task.overdue", payload={"x": 1}
                )
            )
            raise RuntimeError("the caller's change failed")

    with pytest.raises(RuntimeError):
        await failing_change()
    assert queued == [1]
    await run_burst(runtime)
    assert receiver.requests == []
    async with runtime.sessionmaker() as session:
        await set_tenant(session, hr.org_id)
        assert await session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.commits
async def test_a_target_that_now_resolves_privately_is_not_contacted(
    api: AsyncClient, runtime: Runtime, configure: Configure, receiver: Receiver
) -> None:
    """DNS rebinding: the address is checked again on every attempt."""
    hr = await make_org(runtime)
    webhook = await _subscribe(api, hr, receiver)
    configure(webhook_allow_private_targets=False, webhook_max_attempts=2)
    await _publish(runtime, hr.org_id)
    await run_burst(runtime)
    assert receiver.requests == []
    [delivery] = await _deliveries(api, hr, webhook["id"])
    assert delivery["status"] == "failed"
    assert delivery["attempts"] == 2
    assert delivery["last_error"].startswith("refused target:")


@pytest.mark.commits
async def test_an_event_is_delivered_once_per_subscription_and_event_id(
    api: AsyncClient, runtime: Runtime, configure: Configure, receiver: Receiver
) -> None:
    hr = await make_org(runtime)
    other = await make_org(runtime)
    await _subscribe(api, hr, receiver)
    event_id = uuid.UUID(int=42)
    for _ in range(2):
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, hr.org_id)
            await webhooks.publish(
                session,
                org_id=hr.org_id,
                event_type=EventType.TASK_OVERDUE,
                payload={},
                event_id=event_id,
            )
    assert await _publish(runtime, other.org_id) == 0, "another org's subscriptions are not hit"
    await run_burst(runtime)
    assert [request.headers["x-hrcore-delivery"] for request in receiver.requests] == [
        str(event_id)
    ]


@pytest.mark.commits
async def test_a_deleted_subscription_drops_its_pending_deliveries(
    api: AsyncClient, runtime: Runtime, configure: Configure, receiver: Receiver
) -> None:
    hr = await make_org(runtime)
    webhook = await _subscribe(api, hr, receiver)
    await _publish(runtime, hr.org_id)
    assert (
        await api.delete(f"/api/v1/webhooks/{webhook['id']}", headers=hr.headers)
    ).status_code == 204
    await run_burst(runtime)
    assert receiver.requests == []
    async with runtime.sessionmaker() as session:
        assert set((await session.scalars(select(OutboxMessage.status))).all()) == {"done"}


async def test_unknown_event_types_cannot_be_published(runtime: Runtime) -> None:
    hr = await make_org(runtime)
    with pytest.raises(ValueError, match=r"task\.exploded"):
        await _publish(runtime, hr.org_id, "task.exploded")  # type: ignore[arg-type]


@pytest.mark.commits
async def test_two_jobs_for_one_delivery_at_once_send_it_once(
    api: AsyncClient, runtime: Runtime, configure: Configure, receiver: Receiver
) -> None:
    hr = await make_org(runtime)
    await _subscribe(api, hr, receiver)
    await _publish(runtime, hr.org_id)
    async with runtime.sessionmaker() as session:
        await set_tenant(session, hr.org_id)
        delivery_id = await session.scalar(select(WebhookDelivery.id))
    assert delivery_id is not None
    receiver.delay_seconds = 0.3

    async def attempt() -> None:
        async with unit_of_work(runtime.sessionmaker) as session:
            await set_tenant(session, hr.org_id)
            await webhooks.deliver(
                session,
                runtime.sessionmaker,
                delivery_id,
                org_id=hr.org_id,
                job_attempt=1,
                config=webhooks.config_from(runtime.settings),
                clock=runtime.clock,
            )

    await asyncio.gather(attempt(), attempt())

    assert len(receiver.requests) == 1


@pytest.mark.commits
async def test_a_6to4_target_embedding_loopback_is_refused_at_delivery(
    api: AsyncClient, runtime: Runtime, configure: Configure
) -> None:
    """A subscription made while private targets were allowed is checked again when sent:
    `2002:7f00:1::` is 6to4 for 127.0.0.1."""
    hr = await make_org(runtime)
    created = await api.post(
        "/api/v1/webhooks",
        json={"url": "https://[2002:7f00:1::]:9/hooks", "event_types": ["task.overdue"]},
        headers=hr.headers,
    )
    assert created.status_code == 201, created.text
    configure(webhook_allow_private_targets=False, webhook_max_attempts=1)
    await _publish(runtime, hr.org_id)
    await run_burst(runtime)
    [delivery] = await _deliveries(api, hr, created.json()["id"])
    assert delivery["status"] == "failed"
    assert delivery["last_error"].startswith("refused target:")
    assert "2002:7f00:1::" in delivery["last_error"]
