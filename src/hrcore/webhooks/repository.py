"""Queries of outbound webhooks. Tenant tables are also filtered by RLS."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import insert_new
from hrcore.core.delivery import Log
from hrcore.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription

LOG = Log(
    WebhookDelivery,
    name="webhook",
    sent_status=DeliveryStatus.SUCCEEDED.value,
    sent_at="delivered_at",
    status_code="last_status_code",
)
"""The delivery log as the delivery engine writes it."""


async def subscription_by_id(
    session: AsyncSession, org_id: uuid.UUID, subscription_id: uuid.UUID
) -> WebhookSubscription | None:
    return await session.scalar(
        select(WebhookSubscription).where(
            WebhookSubscription.org_id == org_id, WebhookSubscription.id == subscription_id
        )
    )


async def active_subscription_ids(
    session: AsyncSession, org_id: uuid.UUID, event_type: str
) -> list[uuid.UUID]:
    rows = await session.scalars(_SUBSCRIBED, {"org_id": org_id, "types": [event_type]})
    return list(rows)


_SUBSCRIBED = select(WebhookSubscription.id).where(
    WebhookSubscription.org_id == bindparam("org_id"),
    WebhookSubscription.active.is_(True),
    WebhookSubscription.event_types.contains(bindparam("types")),
)
"""Built once: every task completion and every published event asks it."""


async def insert_deliveries(
    session: AsyncSession, rows: Sequence[dict[str, Any]]
) -> list[uuid.UUID]:
    """Insert, skipping (subscription, event) pairs that exist; returns the new ids."""
    new = await insert_new(
        session,
        WebhookDelivery,
        rows,
        unique=["subscription_id", "event_id"],
        returning=[WebhookDelivery.id],
    )
    return [delivery_id for (delivery_id,) in new]


async def reset_failures(session: AsyncSession, subscription_id: uuid.UUID) -> None:
    await session.execute(
        update(WebhookSubscription)
        .where(
            WebhookSubscription.id == subscription_id,
            WebhookSubscription.consecutive_failures > 0,
        )
        .values(consecutive_failures=0, version=WebhookSubscription.version + 1)
        .execution_options(synchronize_session=False)
    )


async def count_failure(session: AsyncSession, subscription_id: uuid.UUID) -> int | None:
    """Add one failure in a row; returns the new count (None: the subscription is gone)."""
    result = await session.execute(
        update(WebhookSubscription)
        .where(WebhookSubscription.id == subscription_id)
        .values(
            consecutive_failures=WebhookSubscription.consecutive_failures + 1,
            version=WebhookSubscription.version + 1,
        )
        .returning(WebhookSubscription.consecutive_failures)
        .execution_options(synchronize_session=False)
    )
    return result.scalar_one_or_none()


async def disable(
    session: AsyncSession, subscription_id: uuid.UUID, at: datetime
) -> WebhookSubscription | None:
    """Disable an active subscription; None when it was not active (someone else did it)."""
    result = await session.execute(
        update(WebhookSubscription)
        .where(WebhookSubscription.id == subscription_id, WebhookSubscription.active.is_(True))
        .values(active=False, disabled_at=at, version=WebhookSubscription.version + 1)
        .returning(WebhookSubscription)
        .execution_options(synchronize_session=False)
    )
    return result.scalar_one_or_none()
