"""What a closed period means to the live scores and to ingestion.

The recompute calls `before_save` with the scores it is about to write and the ones it is
about to drop: those of closed periods are left as they are (frozen), and every score that
moves — the overall or any indicator's, as the dashboards show both — publishes one
`performance.score_updated` per employee and period, naming the indicators that moved. Ingestion
calls `closed_refusals`: an observation whose `observed_at` falls in a closed period is
refused with its reason, the batch's other items land.
"""

from __future__ import annotations

import json
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
        (row[1], row[2], known[row[1], row[2]], row[6], _scores(row[7])) for row in open_rows
    ] + [(e, p, known[e, p], None, {}) for e, p in open_emptied]
    await webhooks.publish_many(
        session,
        org_id=org_id,
        event_type=webhooks.EventType.PERFORMANCE_SCORE_UPDATED,
        events=(
            (
                {
                    "employee_id": str(employee_id),
                    "period": period,
                    "before": stored["overall"],
                    "overall": overall,
                    "indicators": indicators,
                    "computed_at": now.isoformat(),
                },
                new_id(),
            )
            for employee_id, period, stored, overall, scores in moved
            for indicators in [_moved_indicators(stored["scores"] or {}, scores)]
            if indicators or stored["overall"] != overall
        ),
    )
    return open_rows, open_emptied


def _scores(figures: str) -> dict[str, float | None]:
    """Indicator key → score of a score row's figures (JSON text)."""
    return {figure["key"]: figure["score"] for figure in json.loads(figures)}


def _moved_indicators(
    before: dict[str, float | None], after: dict[str, float | None]
) -> list[dict[str, Any]]:
    """The indicators whose score moved (observed for the first time, or no longer: null),
    in key order."""
    return [
        {"key": key, "before": before.get(key), "after": after.get(key)}
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    ]


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
