"""The webhook delivery log under a retention rule, through the real outbox, arq worker and
a local receiver: settled deliveries go after the period, one naming a person under legal
hold stays."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from httpx import AsyncClient

from hrcore.core.db import set_tenant, unit_of_work
from hrcore.core.runtime import Runtime
from hrcore.privacy import retention_jobs
from hrcore.webhooks import api as webhooks
from hrcore.worker import run_burst
from tests.conftest import frozen_clock
from tests.factories import make_employee, make_org, make_tree
from tests.webhooks.conftest import Configure, Receiver, configure, receiver

__all__ = ["configure", "receiver"]
API = "/api/v1"


async def _publish(runtime: Runtime, org_id: uuid.UUID, payload: dict[str, Any]) -> None:
    async with unit_of_work(runtime.sessionmaker) as session:
        await set_tenant(session, org_id)
        await webhooks.publish(
            session, org_id=org_id, event_type=webhooks.EventType.TASK_OVERDUE, payload=payload
        )


def _document(request: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(request.body)
    return document


@pytest.mark.commits
async def test_settled_deliveries_go_after_the_period_and_a_held_persons_stay(
    api: AsyncClient, runtime: Runtime, configure: Configure, receiver: Receiver
) -> None:
    hr = await make_org(runtime)
    tree = await make_tree(runtime, hr.org_id)
    held = await make_employee(runtime, hr.org_id, tree.sales, "Held")
    subscribed = await api.post(
        f"{API}/webhooks",
        json={"url": receiver.url, "event_types": ["task.overdue"]},
        headers=hr.headers,
    )
    assert subscribed.status_code == 201, subscribed.text
    webhook = subscribed.json()
    receiver.secret = webhook["secret"]
    await _publish(runtime, hr.org_id, {"task_id": "t-1", "assignee_id": str(uuid.uuid4())})
    await _publish(runtime, hr.org_id, {"task_id": "t-2", "assignee_id": str(held.id)})
    await run_burst(runtime)
    log = f"{API}/webhooks/{webhook['id']}/deliveries"
    deliveries = (await api.get(log, headers=hr.headers)).json()["items"]
    assert [d["status"] for d in deliveries] == ["succeeded", "succeeded"]
    placed = await api.post(
        f"{API}/legal-holds",
        json={"employee_id": str(held.id), "reason": "Dispute over overtime"},
        headers=hr.headers,
    )
    assert placed.status_code == 201, placed.text
    rule = {
        "subject_kind": "webhook_deliveries",
        "period": {"amount": 3, "unit": "months"},
        "action": "delete",
    }
    created = await api.post(f"{API}/retention-rules", json=rule, headers=hr.headers)
    assert created.status_code == 201, created.text
    assert created.json()["data_classes"] == ["basic"]

    async with frozen_clock(runtime, datetime.now(UTC) + timedelta(days=80)):
        assert await retention_jobs.apply_retention({"runtime": runtime}) == 0
    async with frozen_clock(runtime, datetime.now(UTC) + timedelta(days=95)):
        dry = await api.post(f"{API}/retention-rules/dry-run", json={}, headers=hr.headers)
        [answer] = dry.json()["rules"]
        [item] = answer["sample"]["items"]
        assert (answer["count"], item["employee_id"], item["employee"]) == (1, None, None)
        assert await retention_jobs.apply_retention({"runtime": runtime}) == 1
        assert await retention_jobs.apply_retention({"runtime": runtime}) == 0
    [kept] = (await api.get(log, headers=hr.headers)).json()["items"]
    sent = {document["id"]: document["data"] for document in map(_document, receiver.requests)}
    assert sent[kept["event_id"]]["assignee_id"] == str(held.id), "the held person's stays"
