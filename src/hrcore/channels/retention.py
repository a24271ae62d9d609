"""What privacy's retention rules purge of channels (docs/privacy.md, "Retention and legal
holds"): the DingTalk and group-robot delivery log — each message sent to a channel, its
text, card and recipients (personal data the notice carried) — a given time after it was
logged. Deliveries still pending or deferred are never due: they are still being sent.

Due items are `(delivery id, None, day it was logged)`: a delivery may address many people.
A delivery whose text, card or recipients name an employee under legal hold (`excluding`:
their ids, and the DingTalk user ids the caller resolved for them) is spared. Deleting
re-applies the condition, so it deletes nothing twice."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

DueItem = tuple[uuid.UUID, uuid.UUID | None, date]

_DUE = """
    FROM channel_deliveries d
    WHERE d.org_id = $1 AND d.created_at < $2 AND d.status IN ('sent', 'failed')
      AND NOT EXISTS (
          SELECT 1 FROM unnest($3::text[]) AS held(id)
          WHERE strpos(d.content, held.id) > 0
             OR strpos(coalesce(d.card::text, ''), held.id) > 0
             OR held.id = ANY(d.recipients)
      )
"""
DELIVERIES_DUE = f"""
    SELECT d.id, NULL::uuid, (d.created_at AT TIME ZONE 'UTC')::date {_DUE}
      AND ($4::uuid IS NULL OR d.id > $4) ORDER BY d.id LIMIT $5
"""
DELIVERIES_DUE_COUNT = f"SELECT count(*) {_DUE}"
DELETE_DELIVERIES = """
    DELETE FROM channel_deliveries
    WHERE org_id = $1 AND id = ANY($2::uuid[]) AND status IN ('sent', 'failed')
    RETURNING id
"""


async def channel_deliveries_due(
    session: AsyncSession,
    org_id: uuid.UUID,
    before: datetime,
    excluding: Sequence[str],
    after: uuid.UUID | None,
    limit: int,
) -> list[DueItem]:
    """Settled deliveries logged before `before`, by id after `after`."""
    rows = await fetch(session, DELIVERIES_DUE, org_id, before, list(excluding), after, limit)
    return [(row[0], row[1], row[2]) for row in rows]


async def channel_deliveries_due_count(
    session: AsyncSession, org_id: uuid.UUID, before: datetime, excluding: Sequence[str]
) -> int:
    [row] = await fetch(session, DELIVERIES_DUE_COUNT, org_id, before, list(excluding))
    return int(row[0])


async def delete_channel_deliveries(
    session: AsyncSession, org_id: uuid.UUID, delivery_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """Delete the settled deliveries; answers those deleted."""
    rows = await fetch(session, DELETE_DELIVERIES, org_id, list(delivery_ids))
    return [row[0] for row in rows]
