"""What a closed period means to the live scores and to ingestion.

The recompute calls `before_save` with the scores it is about to write and the ones it is
about to drop: those of closed periods are left as they are (frozen), and every score that
moves publishes `performance.score_updated` (one event per employee and period). Ingestion
calls `closed_refusals`: an observation whose `observed_at` falls in a closed period is
refused with its reason, the batch's other items land.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.i18n import Text, _
from hrcore.core.models import new_id
from hrcore.performance import closing_queries as queries
from hrcore.performance.schemas import ObservationIn
from hrcore.webhooks import api as webhooks

ScoreRow = tuple[Any, ...]
"""`(id, employee_id, period, starts_on, scheme_id, scheme_revision, overall, indicators)`."""


async def before_save(
    session: AsyncSession,
    org_id: uuid.UUID,
    rows: list[ScoreRow],
    emptied: list[tuple[uuid.UUID, str]],
    now: datetime,
) -> tuple[list[ScoreRow], list[tuple[uuid.UUID, str]]]:
    """The scores and drops of open periods only; publishes the moved ones. One statement
    (and the webhook's) whatever the job's size."""
    keys = [(row[1], row[2]) for row in rows] + emptied
    if not keys:
        return rows, emptied
    known = {
        (r["employee_id"], r["period"]): r for r in await queries.before_save(session, org_id, keys)
    }
    open_rows = [row for row in rows if known[row[1], row[2]]["state"] != "closed"]
    open_emptied = [key for key in emptied if known[key]["state"] != "closed"]
    moved = [
        (row[1], row[2], known[row[1], row[2]]["overall"], row[6])
        for row in open_rows
        if known[row[1], row[2]]["overall"] != row[6]
    ] + [(e, p, known[e, p]["overall"], None) for e, p in open_emptied]
    await webhooks.publish_many(
        session,
        org_id=org_id,
        event_type=webhooks.EventType.PERFORMANCE_SCORE_UPDATED,
        events=(
            (
                {
                    "employee_id": str(employee_id),
                    "period": period,
                    "before": before,
                    "overall": overall,
                    "computed_at": now.isoformat(),
                },
                new_id(),
            )
            for employee_id, period, before, overall in moved
        ),
    )
    return open_rows, open_emptied


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def closed_refusals(
    session: AsyncSession,
    org_id: uuid.UUID,
    items: Sequence[ObservationIn],
    refused: dict[int, Text],
) -> dict[int, Text]:
    """Why each item not refused yet falls in a closed period, by index (one statement)."""
    moments = {i: _aware(item.observed_at) for i, item in enumerate(items) if i not in refused}
    if not moments:
        return {}
    windows = await queries.closed_windows(
        session, org_id, min(moments.values()), max(moments.values())
    )
    found: dict[int, Text] = {}
    for index, moment in moments.items():
        for window in windows:
            if window["starts_at"] <= moment < window["ends_at"]:
                found[index] = _(
                    "observed_at falls in the closed performance period {period}",
                    period=window["period"],
                )
                break
    return found
