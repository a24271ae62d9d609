"""Outbound webhooks: subscriptions, `publish` for other domains, and signed delivery.

Other domains call `publish` inside their own transaction; each matching subscription gets a
delivery row and an outbox job, so a rolled-back change sends nothing. The job POSTs the
event signed with the subscription's secret through the delivery engine (`core/delivery.py`:
public targets checked again on every attempt, retries with backoff, the delivery log); a
subscription that fails `max_consecutive_failures` attempts in a row is disabled (its
`Breaker` trips) until an HR admin enables it again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, delivery, outbox
from hrcore.core.authz import Principal, require_hr_admin_user
from hrcore.core.clock import Clock
from hrcore.core.db import SessionMaker
from hrcore.core.delivery import Policy
from hrcore.core.endpoints import Endpoints
from hrcore.core.i18n import N_, _
from hrcore.core.models import new_id
from hrcore.settings import Settings
from hrcore.webhooks import repository
from hrcore.webhooks.models import (
    DeliveryStatus,
    EventType,
    WebhookDelivery,
    WebhookSubscription,
)
from hrcore.webhooks.schemas import WebhookCreate

__all__ = ["DELIVER_JOB", "EventType", "config_from", "publish", "publish_many"]

DELIVER_JOB = "webhooks.deliver"
SIGNATURE_HEADER = "X-Hrcore-Signature"
USER_AGENT = "hrcore-webhooks/1"


def config_from(settings: Settings) -> Policy:
    """The one place settings are read (HRCORE_WEBHOOK_* and the worker's retry base)."""
    return Policy(
        allow_private_targets=settings.webhook_allow_private_targets,
        timeout_seconds=settings.webhook_timeout_seconds,
        max_consecutive_failures=settings.webhook_max_consecutive_failures,
        max_attempts=min(settings.webhook_max_attempts, delivery.MAX_TRIES),
        retry_base_seconds=settings.job_retry_base_seconds,
    )


# --- subscriptions ------------------------------------------------------------------------


def _snapshot(subscription: WebhookSubscription) -> dict[str, Any]:
    return {
        "url": subscription.url,
        "description": subscription.description,
        "event_types": list(subscription.event_types),
        "active": subscription.active,
    }


SUBSCRIPTIONS: Endpoints[WebhookSubscription, WebhookDelivery] = Endpoints(
    WebhookSubscription,
    WebhookDelivery,
    WebhookDelivery.subscription_id,
    what=N_("webhook"),
    subject="webhook",
    snapshot=_snapshot,
)
list_subscriptions = SUBSCRIPTIONS.page
get_subscription = SUBSCRIPTIONS.get
delete_subscription = SUBSCRIPTIONS.delete
list_deliveries = SUBSCRIPTIONS.deliveries


async def create_subscription(
    session: AsyncSession, principal: Principal, body: WebhookCreate, config: Policy
) -> tuple[WebhookSubscription, str]:
    """Returns the subscription and its signing secret (the only time it is shown)."""
    require_hr_admin_user(principal)
    await delivery.check_target(
        body.url, config, field="url", title=_("The webhook URL is not allowed")
    )
    secret = "whsec_" + secrets.token_urlsafe(32)
    subscription = WebhookSubscription(
        org_id=principal.org_id,
        url=body.url,
        description=body.description,
        event_types=[event_type.value for event_type in body.event_types],
        secret=secret,
        active=True,
        consecutive_failures=0,
        created_by=principal.user_id,
    )
    session.add(subscription)
    await session.flush()
    audit.record(
        session,
        principal,
        "webhook.created",
        "webhook",
        subscription.id,
        org_id=principal.org_id,
        after=_snapshot(subscription),
    )
    return subscription, secret


async def enable_subscription(
    session: AsyncSession, principal: Principal, subscription_id: uuid.UUID
) -> WebhookSubscription:
    """Re-enable a disabled subscription and forget its failures; idempotent."""
    subscription = await get_subscription(session, principal, subscription_id)
    if subscription.active:
        return subscription
    subscription.active = True
    subscription.disabled_at = None
    subscription.consecutive_failures = 0
    await session.flush()
    await session.refresh(subscription)  # `updated_at` is set by the database
    audit.record(
        session,
        principal,
        "webhook.enabled",
        "webhook",
        subscription.id,
        org_id=principal.org_id,
        before={"active": False},
        after={"active": True},
    )
    return subscription


# --- publishing ---------------------------------------------------------------------------


async def publish(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    event_type: EventType | str,
    payload: dict[str, Any],
    event_id: uuid.UUID | None = None,
) -> int:
    """Queue `event_type` for every active subscription of the org that listens to it.

    Runs in the caller's transaction (the caller has set the tenant): rolled back, nothing is
    sent. `payload` must be JSON-serializable. Pass a deterministic `event_id` from a job
    that may run twice: an event is delivered once per subscription. Returns how many
    deliveries were queued.
    """
    return await publish_many(
        session, org_id=org_id, event_type=event_type, events=[(payload, event_id or new_id())]
    )


async def publish_many(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    event_type: EventType | str,
    events: Iterable[tuple[dict[str, Any], uuid.UUID]],
) -> int:
    """`publish` for a batch of (payload, event id) of one type: a fixed number of queries.

    `events` is consumed only when someone subscribes: pass a generator to skip building
    payloads nobody will receive.
    """
    kind = EventType(event_type)
    subscription_ids = await repository.active_subscription_ids(session, org_id, kind.value)
    if not subscription_ids:
        return 0
    rows = [
        {
            "id": new_id(),
            "org_id": org_id,
            "subscription_id": subscription_id,
            "event_type": kind.value,
            "event_id": event_id,
            "payload": json.loads(json.dumps(payload)),
            "status": DeliveryStatus.PENDING.value,
            "attempts": 0,
        }
        for payload, event_id in events
        for subscription_id in subscription_ids
    ]
    delivery_ids = await repository.insert_deliveries(session, rows)
    for delivery_id in delivery_ids:
        outbox.enqueue(session, DELIVER_JOB, {"delivery_id": str(delivery_id)}, org_id=org_id)
    return len(delivery_ids)


# --- delivery -----------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(secret, "{timestamp}.{body}")."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def event_body(row: WebhookDelivery) -> bytes:
    document = {
        "id": str(row.event_id),
        "type": row.event_type,
        "created_at": row.created_at.isoformat(),
        "data": row.payload,
    }
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


def _signer(secret: str) -> delivery.Signer:
    def sign_request(url: str, body: bytes) -> tuple[str, Mapping[str, str]]:
        timestamp = int(time.time())
        return url, {
            "X-Hrcore-Timestamp": str(timestamp),
            SIGNATURE_HEADER: sign(secret, timestamp, body),
        }

    return sign_request


@dataclass(frozen=True)
class _Breaker:
    """The subscription's failures in a row; tripped, it is disabled (audited as the system)."""

    org_id: uuid.UUID
    subscription_id: uuid.UUID

    async def reset(self, session: AsyncSession) -> None:
        await repository.reset_failures(session, self.subscription_id)

    async def count_failure(self, session: AsyncSession) -> int | None:
        return await repository.count_failure(session, self.subscription_id)

    async def trip(
        self, session: AsyncSession, *, at: datetime, failures: int, error: str | None
    ) -> None:
        if await repository.disable(session, self.subscription_id, at) is None:
            return
        audit.record(
            session,
            None,
            "webhook.disabled",
            "webhook",
            self.subscription_id,
            org_id=self.org_id,
            before={"active": True},
            after={"active": False, "consecutive_failures": failures, "last_error": error},
        )


async def deliver(
    session: AsyncSession,
    sessionmaker: SessionMaker,
    delivery_id: uuid.UUID,
    *,
    org_id: uuid.UUID,
    job_attempt: int,
    config: Policy,
    clock: Clock,
) -> None:
    """One delivery attempt (the `webhooks.deliver` job); raises `DeliveryFailed` to retry."""
    row = await delivery.claim(session, repository.LOG, org_id, delivery_id)
    if row is None:
        return
    subscription = await repository.subscription_by_id(session, org_id, row.subscription_id)
    if subscription is None:
        return
    if not subscription.active:
        await delivery.update_open(
            session,
            repository.LOG,
            row.id,
            status=DeliveryStatus.FAILED.value,
            last_status_code=None,
            last_error="subscription is disabled",
            last_attempt_at=clock.now(),
            next_attempt_at=None,
        )
        return
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Hrcore-Event": row.event_type,
        "X-Hrcore-Delivery": str(row.event_id),
    }
    attempt = await delivery.post(
        subscription.url,
        event_body(row),
        headers=headers,
        policy=config,
        sign=_signer(subscription.secret),
    )
    await delivery.settle(
        session,
        sessionmaker,
        repository.LOG,
        row,
        attempt,
        org_id=org_id,
        job_attempt=job_attempt,
        policy=config,
        now=clock.now(),
        breaker=_Breaker(org_id, subscription.id),
    )
