"""Reading the figures: cells summed from the rollups of a department subtree and a window
of months (one statement, whatever the organization's size), and the drill-down's people
from the facts, a page at a time, named in one lookup."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics.access import Scope
from hrcore.analytics.figures import Figure
from hrcore.analytics.schemas import AnalyticsPersonOut
from hrcore.core.db import fetch
from hrcore.core.i18n import Day, Text, translate
from hrcore.core.pagination import Page, PageParams, cut_page, decode_cursor
from hrcore.org import api as org
from hrcore.people import api as people

CELLS = """
SELECT step, dimension, sum(count)::int AS count, sum(value_sum) AS value_sum
FROM analytics_rollups
WHERE org_id = $1 AND figure = $2 AND month BETWEEN $3 AND $4
  AND ($5::uuid[] IS NULL OR department_id = ANY($5::uuid[]))
GROUP BY step, dimension
"""

REFRESHED = "SELECT refreshed_at FROM analytics_refreshes WHERE org_id = $1 AND figure = $2"

PEOPLE = """
SELECT id, employee_id, department_id, step, dimension, occurred_on, value,
       reason_key, reason_params::text AS reason_params
FROM analytics_facts
WHERE org_id = $1 AND figure = $2 AND occurred_on BETWEEN $3 AND $4
  AND ($5::uuid[] IS NULL OR department_id = ANY($5::uuid[]))
  AND ($6::text IS NULL OR step = $6) AND ($7::text IS NULL OR dimension = $7)
  AND ($8::date IS NULL OR (occurred_on, id) > ($8, $9))
ORDER BY occurred_on, id
LIMIT $10
"""


@dataclass(frozen=True)
class Cell:
    step: str
    dimension: str
    count: int
    value_sum: float | None


async def cells(
    session: AsyncSession,
    org_id: uuid.UUID,
    figure: Figure,
    scope: Scope,
    start: date,
    end: date,
) -> tuple[list[Cell], datetime | None]:
    """The figure's cells in the window and when it was last refreshed."""
    rows = await fetch(
        session, CELLS, org_id, figure.name, start.replace(day=1), end, scope.department_ids
    )
    stamp = await fetch(session, REFRESHED, org_id, figure.name)
    found = [
        Cell(
            row["step"],
            row["dimension"],
            row["count"],
            float(row["value_sum"]) if row["value_sum"] is not None else None,
        )
        for row in rows
    ]
    return found, stamp[0]["refreshed_at"] if stamp else None


async def people_behind(
    session: AsyncSession,
    org_id: uuid.UUID,
    figure: Figure,
    scope: Scope,
    window: tuple[date, date],
    step: str | None,
    dimension: str | None,
    page: PageParams,
) -> Page[AnalyticsPersonOut]:
    """The facts of the window, oldest first, each with its person, department and reason."""
    after: tuple[Any, ...] = (None, None)
    if page.cursor is not None:
        after = decode_cursor(page.cursor, [date, uuid.UUID])
    rows = await fetch(
        session,
        PEOPLE,
        org_id,
        figure.name,
        window[0],
        window[1],
        scope.department_ids,
        step,
        dimension,
        *after,
        page.limit + 1,
    )
    shown, cursor = cut_page(rows, ["occurred_on", "id"], page)
    names = await people.employee_refs(session, org_id, list({r["employee_id"] for r in shown}))
    departments = await org.department_refs(
        session, org_id, list({r["department_id"] for r in shown if r["department_id"]})
    )
    items = [
        AnalyticsPersonOut(
            id=row["id"],
            employee=names[row["employee_id"]],
            department=departments.get(row["department_id"]) if row["department_id"] else None,
            step=row["step"],
            step_label=translate(figure.label(row["step"])),
            dimension=row["dimension"],
            occurred_on=row["occurred_on"],
            value=row["value"],
            reason=_reason(row["reason_key"], row["reason_params"]),
        )
        for row in shown
    ]
    return Page(items=items, next_cursor=cursor)


def _reason(key: str, params: str) -> str:
    """The stored reason in the reader's language; `…_on` parameters are days."""
    values = {
        name: Day(date.fromisoformat(value)) if name.endswith("_on") else value
        for name, value in json.loads(params).items()
    }
    return Text(key, params=values).render()
