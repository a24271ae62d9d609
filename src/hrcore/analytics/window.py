"""The window of months a figure counts: `start` and `end` query parameters, by default
the twelve months up to today where the organization is."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from fastapi import Query
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.clock import Clock
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.people import api as people

MAX_MONTHS = 60
FIRST_YEAR, LAST_YEAR = 1900, 2200
"""The years a window may name: no figure has facts outside them."""


@dataclass(frozen=True)
class WindowQuery:
    start: date | None
    end: date | None


def window_query(
    start: Annotated[
        date | None,
        Query(description="A day of the first month counted; default: 11 months before the last."),
    ] = None,
    end: Annotated[
        date | None,
        Query(description="A day of the last month counted (counted whole); default: today."),
    ] = None,
) -> WindowQuery:
    return WindowQuery(start, end)


async def resolve(
    session: AsyncSession, org_id: uuid.UUID, query: WindowQuery, clock: Clock
) -> tuple[date, date]:
    """(first day of the first month, last day of the last month); 422 when `end` precedes
    `start` or the window is longer than five years."""
    for name, day in (("start", query.start), ("end", query.end)):
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise Unprocessable(
                _("A window lies between {first} and {last}", first=FIRST_YEAR, last=LAST_YEAR),
                errors=[FieldError(field=f"query.{name}", message=_("out of range"))],
            )
    end = query.end or await people.org_today(session, org_id, clock)
    start = (query.start or _months_before(end, 11)).replace(day=1)
    if end < start:
        raise Unprocessable(
            _("The window ends before it starts"),
            errors=[FieldError(field="query.end", message=_("before start"))],
        )
    if (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
        raise Unprocessable(
            _("A window is at most {months} months", months=MAX_MONTHS),
            errors=[FieldError(field="query.start", message=_("too far back"))],
        )
    return start, _months_before(end, -1) - timedelta(days=1)


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)
