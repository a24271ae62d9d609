"""Subscribing to the talent loop's webhook events, and reading what was delivered."""

from __future__ import annotations

import json
from typing import Any

from httpx import AsyncClient

from hrcore.core.runtime import Runtime
from tests.factories import Account, make_org
from tests.webhooks.conftest import Receiver

TALENT_LOOP_EVENTS = [
    "nomination.decided",
    "vacancy.filled",
    "program.stage_completed",
    "program.participant_decided",
    "program.participant_graduated",
    "review.result_published",
    "review.appeal_resolved",
]


async def subscribe(api: AsyncClient, hr: Account, receiver: Receiver) -> str:
    """Subscribe `hr`'s organization to every talent-loop event; returns the webhook id."""
    response = await api.post(
        "/api/v1/webhooks",
        json={"url": receiver.url, "event_types": TALENT_LOOP_EVENTS},
        headers=hr.headers,
    )
    assert response.status_code == 201, response.text
    receiver.secret = response.json()["secret"]
    return str(response.json()["id"])


async def subscribe_another_org(api: AsyncClient, runtime: Runtime, receiver: Receiver) -> Account:
    """A second organization listening to the same events at the same receiver."""
    other = await make_org(runtime)
    secret = receiver.secret
    await subscribe(api, other, receiver)
    receiver.secret = secret
    return other


def delivered(receiver: Receiver) -> list[tuple[str, dict[str, Any]]]:
    """(type, data) of every delivery, sorted (deliveries are separate jobs, in no promised
    order), each checked against the subscriber's own secret: a delivery meant for the other
    organization would fail the signature check."""
    assert all(request.signature_ok for request in receiver.requests)
    bodies = [json.loads(request.body) for request in receiver.requests]
    return sorted(
        ((body["type"], body["data"]) for body in bodies),
        key=lambda event: json.dumps(event, sort_keys=True),
    )


async def nothing_for(api: AsyncClient, other: Account) -> None:
    """The other organization's subscription queued no delivery."""
    [webhook] = (await api.get("/api/v1/webhooks", headers=other.headers)).json()["items"]
    deliveries = await api.get(
        f"/api/v1/webhooks/{webhook['id']}/deliveries", headers=other.headers
    )
    assert deliveries.json()["items"] == []
