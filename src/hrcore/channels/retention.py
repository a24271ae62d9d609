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

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch
from hrcore.core.retention import DueRecords

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
DELIVERIES = DueRecords("d.id, NULL::uuid, (d.created_at AT TIME ZONE 'UTC')::date", _DUE, "d.id")
channel_deliveries_due = DELIVERIES.due
"""Settled deliveries logged before the cutoff, by id."""
channel_deliveries_due_count = DELIVERIES.count
DELETE_DELIVERIES = """
    DELETE FROM channel_deliveries
    WHERE org_id = $1 AND id = ANY($2::uuid[]) AND status IN ('sent', 'failed')
    RETURNING id
"""


async def delete_channel_deliveries(
    session: AsyncSession, org_id: uuid.UUID, delivery_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """Delete the settled deliveries; answers those deleted."""
    rows = await fetch(session, DELETE_DELIVERIES, org_id, list(delivery_ids))
    return [row[0] for row in rows]
