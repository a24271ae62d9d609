"""A DingTalk robot's pace: at most 20 messages a minute, or DingTalk mutes it for 10 minutes.

Every send takes a slot of a per-channel sliding window (`send_times`, under a row lock in a
short transaction of its own). When the window is full the delivery is deferred to the next
free slot, which it reserves: N deferred deliveries wake at N spread-out moments, not all at
once to fight over one slot. Should DingTalk still answer 130101 (another sender shares the
robot), the robot is muted for 10 minutes and the delivery reserves a slot after that.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from hrcore.channels import repository
from hrcore.core.db import SessionMaker, tenant_transaction

ROBOT_LIMIT = 20
ROBOT_WINDOW = timedelta(minutes=1)
ROBOT_MUTE = timedelta(minutes=10)
SLOT_TOLERANCE = timedelta(seconds=5)
"""How late a deferred delivery may wake and still use the slot it reserved."""


def next_robot_slot(
    pacing: repository.Pacing, now: datetime, *, reserved: datetime | None = None
) -> tuple[list[datetime], datetime]:
    """A robot's send slot: (the new window, when to send; `now` means at once).

    A deferred delivery sends in the slot it `reserved` when that has come (give or take
    SLOT_TOLERANCE) and the robot is not muted; otherwise it gives the slot back and takes
    the next one: after every slot reserved before it, after the mute, and at the earliest
    moment that keeps at most ROBOT_LIMIT sends in any ROBOT_WINDOW.
    """
    window = sorted(at for at in pacing.send_times if at > now - ROBOT_WINDOW)
    muted_until = pacing.muted_until if pacing.muted_until and pacing.muted_until > now else None
    if reserved is not None and reserved in window:
        window.remove(reserved)
        if muted_until is None and abs(now - reserved) <= SLOT_TOLERANCE:
            return sorted([*window, now]), now
    slot = max([now, *window[-1:], *([muted_until] if muted_until else [])])
    if len(window) >= ROBOT_LIMIT:
        slot = max(slot, window[-ROBOT_LIMIT] + ROBOT_WINDOW)
    return [*window, slot], slot


async def take_slot(
    sessionmaker: SessionMaker,
    org_id: uuid.UUID,
    channel_id: uuid.UUID,
    now: datetime,
    *,
    reserved: datetime | None = None,
    mute: bool = False,
) -> datetime:
    """Take a slot in a short transaction of its own, committed before sending: a slot
    counts whether or not the send then succeeds (DingTalk counts requests)."""
    async with tenant_transaction(sessionmaker, org_id) as side:
        pacing = await repository.lock_pacing(side, channel_id)
        if pacing is None:
            return now
        if mute:
            muted_until = max(now + ROBOT_MUTE, pacing.muted_until or now)
            pacing = repository.Pacing(pacing.send_times, muted_until)
        times, slot = next_robot_slot(pacing, now, reserved=reserved)
        await repository.save_pacing(side, channel_id, repository.Pacing(times, pacing.muted_until))
    return slot
