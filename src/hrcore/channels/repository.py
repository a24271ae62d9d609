"""Queries of notification channels and their delivery log. Tenant tables are also under RLS.

The inbox's rows are read through a lightweight table clause (not the notifications models):
notifications imports channels, never the other way round.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.channels.models import ChannelDelivery, ChannelDeliveryStatus, NotificationChannel
from hrcore.core.db import insert_new
from hrcore.core.delivery import Log

LOG = Log(
    ChannelDelivery,
    name="channel",
    open_statuses=(ChannelDeliveryStatus.PENDING.value, ChannelDeliveryStatus.DEFERRED.value),
)
"""The delivery log as the delivery engine writes it (a deferred delivery is still open)."""


async def channel_by_id(
    session: AsyncSession, org_id: uuid.UUID, channel_id: uuid.UUID
) -> NotificationChannel | None:
    return await session.scalar(
        select(NotificationChannel).where(
            NotificationChannel.org_id == org_id, NotificationChannel.id == channel_id
        )
    )


async def active_channels(session: AsyncSession, org_id: uuid.UUID) -> list[NotificationChannel]:
    rows = await session.scalars(
        select(NotificationChannel)
        .where(NotificationChannel.org_id == org_id, NotificationChannel.active.is_(True))
        .order_by(NotificationChannel.id)
    )
    return list(rows)


async def insert_deliveries(
    session: AsyncSession, rows: Sequence[dict[str, Any]]
) -> list[uuid.UUID]:
    """Insert, skipping (channel, notification) pairs that exist; returns the new ids."""
    new = await insert_new(
        session,
        ChannelDelivery,
        rows,
        unique=["channel_id", "notification_id"],
        returning=[ChannelDelivery.id],
    )
    return [delivery_id for (delivery_id,) in new]


@dataclass(frozen=True)
class Pacing:
    """A robot's rate-limit state: its sliding window of send times and its mute."""

    send_times: list[datetime]
    muted_until: datetime | None


async def lock_pacing(session: AsyncSession, channel_id: uuid.UUID) -> Pacing | None:
    """The channel's pacing, its row locked so concurrent workers take slots one at a time."""
    row = (
        await session.execute(
            select(NotificationChannel.send_times, NotificationChannel.muted_until)
            .where(NotificationChannel.id == channel_id)
            .with_for_update()
        )
    ).one_or_none()
    return Pacing(list(row.send_times), row.muted_until) if row is not None else None


async def save_pacing(session: AsyncSession, channel_id: uuid.UUID, pacing: Pacing) -> None:
    await session.execute(
        update(NotificationChannel)
        .where(NotificationChannel.id == channel_id)
        .values(
            send_times=pacing.send_times,
            muted_until=pacing.muted_until,
            updated_at=NotificationChannel.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
