"""Sending one channel delivery (the `channels.deliver` job).

A work notice goes as the action card fan-out stored on the row (`cards.py`), else as text;
a robot message is always text. Robots allow 20 messages a minute, so a robot delivery first
takes a slot (`pacing.py`): without one it is `deferred` to the slot it reserved; nothing is
dropped.
Robot messages go through the delivery engine (`core/delivery.py`: the robot URL checked as a
public target on every attempt, DingTalk's signature plugged in); every attempt is settled
by the engine (the delivery log, retries with backoff; after `MAX_ATTEMPTS` attempts the
delivery is `failed`). Channels are never disabled for failing.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.channels import dingtalk, pacing, repository
from hrcore.channels.config import DELIVER_JOB, ChannelConfig
from hrcore.channels.models import (
    ChannelDelivery,
    ChannelKind,
    NotificationChannel,
)
from hrcore.core import delivery, outbox
from hrcore.core.clock import Clock
from hrcore.core.db import SessionMaker
from hrcore.core.delivery import Attempt


async def _send_robot(
    channel: NotificationChannel, content: str, config: ChannelConfig, now: datetime
) -> Attempt:
    return await delivery.post(
        str(channel.config.get("webhook_url", "")),
        delivery.json_body(dingtalk.text_message(content)),
        headers=dingtalk.HEADERS,
        policy=config.policy,
        sign=dingtalk.robot_signer(channel.secret, int(now.timestamp() * 1000)),
        answer=dingtalk.answer,
    )


async def _send_work_notice(
    channel: NotificationChannel, row: ChannelDelivery, config: ChannelConfig
) -> Attempt:
    async with delivery.client(config.policy) as client:
        return await dingtalk.send_work_notice(
            client,
            config.api_base,
            app_key=str(channel.config.get("app_key", "")),
            app_secret=channel.secret,
            agent_id=int(channel.config.get("agent_id", 0)),
            user_ids=list(row.recipients),
            content=row.content,
            card=row.card,
        )


async def _defer(
    session: AsyncSession,
    row: ChannelDelivery,
    org_id: uuid.UUID,
    slot: datetime,
    **log: Any,
) -> None:
    """Park the delivery until its reserved slot, with a new outbox job for that moment."""
    await delivery.update_open(
        session, repository.LOG, row.id, status="deferred", next_attempt_at=slot, **log
    )
    outbox.enqueue(
        session, DELIVER_JOB, {"delivery_id": str(row.id)}, org_id=org_id, not_before=slot
    )


async def deliver(
    session: AsyncSession,
    sessionmaker: SessionMaker,
    delivery_id: uuid.UUID,
    *,
    org_id: uuid.UUID,
    job_attempt: int,
    config: ChannelConfig,
    clock: Clock,
) -> None:
    """One delivery attempt (the `channels.deliver` job); raises `DeliveryFailed` to retry.

    A pending or deferred delivery is sent unless its robot has no slot now (then it is
    deferred to the slot it reserved, by a new outbox job); the engine settles the attempt.
    """
    row = await delivery.claim(session, repository.LOG, org_id, delivery_id)
    if row is None:
        return
    channel = await repository.channel_by_id(session, org_id, row.channel_id)
    if channel is None:
        return
    now = clock.now()
    if not channel.active:
        await delivery.update_open(
            session, repository.LOG, row.id, status="failed", last_error="channel is inactive"
        )
        return
    if channel.kind == ChannelKind.DINGTALK_ROBOT:
        reserved = row.next_attempt_at if row.status == "deferred" else None
        slot = await pacing.take_slot(sessionmaker, org_id, channel.id, now, reserved=reserved)
        if slot > now:
            await _defer(session, row, org_id, slot)
            return
        attempt = await _send_robot(channel, row.content, config, now)
        if attempt.code == dingtalk.ROBOT_THROTTLED:
            slot = await pacing.take_slot(sessionmaker, org_id, channel.id, now, mute=True)
            await _defer(
                session,
                row,
                org_id,
                slot,
                attempts=row.attempts + 1,
                last_error=attempt.error,
                last_attempt_at=now,
            )
            return
    else:
        attempt = await _send_work_notice(channel, row, config)
    await delivery.settle(
        session,
        sessionmaker,
        repository.LOG,
        row,
        attempt,
        org_id=org_id,
        job_attempt=job_attempt,
        policy=config.policy,
        now=now,
    )
