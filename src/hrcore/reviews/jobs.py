"""Background work of reviews (thin: the use cases do the work)."""

from __future__ import annotations

import uuid

from hrcore.core.jobs import JobContext
from hrcore.reviews import aggregation


async def aggregate(context: JobContext) -> None:
    """Queued once when a cycle closes; a repeat finds the cycle aggregated and stops."""
    if context.org_id is None:
        return
    await aggregation.aggregate_cycle(
        context.session,
        context.org_id,
        uuid.UUID(str(context.payload["cycle_id"])),
        threshold=context.settings.review_anonymity_threshold,
    )
