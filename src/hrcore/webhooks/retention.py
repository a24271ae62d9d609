"""What privacy's retention rules purge of webhooks (docs/privacy.md, "Retention and legal
holds"): the delivery log — each event sent to a subscriber, its payload (the personal data
the event carried) and how the delivery went — a given time after it was logged. Pending
deliveries are never due: they are still being sent.

Due items are `(delivery id, None, day it was logged)`: a delivery belongs to no one person.
A delivery whose payload names an employee under legal hold (`excluding`) is spared.
Deleting re-applies the condition, so it deletes nothing twice."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch
from hrcore.core.retention import DueRecords

_DUE = """
    FROM webhook_deliveries d
    WHERE d.org_id = $1 AND d.created_at < $2 AND d.status <> 'pending'
      AND NOT EXISTS (
          SELECT 1 FROM unnest($3::uuid[]) AS held(id)
          WHERE strpos(d.payload::text, held.id::text) > 0
      )
"""
DELIVERIES = DueRecords("d.id, NULL::uuid, (d.created_at AT TIME ZONE 'UTC')::date", _DUE, "d.id")
deliveries_due = DELIVERIES.due
"""Settled deliveries logged before the cutoff, by id."""
deliveries_due_count = DELIVERIES.count
DELETE_DELIVERIES = """
    DELETE FROM webhook_deliveries
    WHERE org_id = $1 AND id = ANY($2::uuid[]) AND status <> 'pending'
    RETURNING id
"""


async def delete_deliveries(
    session: AsyncSession, org_id: uuid.UUID, delivery_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """Delete the settled deliveries; answers those deleted."""
    rows = await fetch(session, DELETE_DELIVERIES, org_id, list(delivery_ids))
    return [row[0] for row in rows]
