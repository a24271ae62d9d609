"""Reads of performance periods: the list, one period with its letter distribution against
the guideline, and a closed period's results. HR admins only; a fixed number of statements
each (the policy, the period, its letters or one page of results)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.errors import NotFound
from hrcore.core.i18n import _
from hrcore.core.pagination import Page, PageParams, cut_page, decode_cursor
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.performance import closing_queries as queries
from hrcore.performance.closing_policy import LETTERS, effective, letter_of
from hrcore.performance.closing_schemas import (
    PerformancePeriodDetailOut,
    PerformancePeriodOut,
    PeriodResultOut,
    RatingPolicy,
)
from hrcore.performance.periods import period_of


def bounds(period: str) -> tuple[str, date, date]:
    """(kind, first day, the day after) of a period named `2026-11` or `2026-Q4`."""
    if "Q" in period:
        month = (int(period[-1]) - 1) * 3 + 1
        _name, starts, ends = period_of(f"{period[:4]}-{month:02d}", "quarter")
        return "quarter", starts, ends
    _name, starts, ends = period_of(period, "month")
    return "month", starts, ends


def period_out(row: asyncpg.Record) -> dict[str, Any]:
    kind, starts, ends = bounds(row["period"])
    return {
        "id": row["period"],
        "kind": kind,
        "starts_on": starts,
        "ends_on": ends,
        "state": row["state"] or "open",
        "employees": row["employees"],
        "calibrated": row["calibrated"],
        "closed_at": row["closed_at"],
        "closed_by": row["closed_by"],
        "reopened_at": row["reopened_at"],
        "reopen_reason": row["reopen_reason"],
    }


def distribution(rows: Sequence[asyncpg.Record], policy: RatingPolicy) -> list[dict[str, Any]]:
    """Each letter's people before and after calibration, and their shares beside the
    guideline's. Without a result (open, never closed) the live overall gives both."""
    before: Counter[str] = Counter()
    after: Counter[str] = Counter()
    for row in rows:
        live = letter_of(row["overall"], policy)
        before[row["original_letter"] or live] += 1
        after[row["letter"] or live] += 1
    total = len(rows) or 1
    guideline = policy.guideline.model_dump()
    return [
        {
            "letter": letter,
            "guideline": guideline[letter],
            "before": before[letter],
            "before_share": round(before[letter] * 100 / total, 1),
            "after": after[letter],
            "after_share": round(after[letter] * 100 / total, 1),
        }
        for letter in LETTERS
    ]


async def list_periods(
    session: AsyncSession, principal: Principal, page: PageParams
) -> Page[PerformancePeriodOut]:
    """The organization's scored periods, newest first."""
    require_hr_admin(principal)
    before = decode_cursor(page.cursor, [str])[0] if page.cursor else None
    rows = await queries.periods(session, principal.org_id, None, before, page.limit + 1)
    shown, cursor = cut_page(rows, ["period"], page)
    return Page[PerformancePeriodOut].model_validate(
        {"items": [period_out(row) for row in shown], "next_cursor": cursor}
    )


async def scored_period(session: AsyncSession, org_id: uuid.UUID, period: str) -> asyncpg.Record:
    """The period's list row, 404 when the organization has no score in it."""
    rows = await queries.periods(session, org_id, period, None, 1)
    if not rows:
        raise NotFound(_("No such performance period"))
    return rows[0]


async def read_period(
    session: AsyncSession, principal: Principal, period: str
) -> PerformancePeriodDetailOut:
    require_hr_admin(principal)
    return await period_detail(session, principal.org_id, period)


async def period_detail(
    session: AsyncSession, org_id: uuid.UUID, period: str
) -> PerformancePeriodDetailOut:
    row = await scored_period(session, org_id, period)
    policy = await effective(session, org_id)
    letters = await queries.letters(session, org_id, period)
    return PerformancePeriodDetailOut.model_validate(
        period_out(row) | {"distribution": distribution(letters, policy)}
    )


async def period_results(
    session: AsyncSession, principal: Principal, period: str, page: PageParams
) -> Page[PeriodResultOut]:
    """A closed period's results (none before the first close), by employee id."""
    require_hr_admin(principal)
    await scored_period(session, principal.org_id, period)
    after = decode_cursor(page.cursor, [uuid.UUID])[0] if page.cursor else None
    rows = await queries.results(session, principal.org_id, period, after, page.limit + 1)
    shown, cursor = cut_page(rows, ["employee_id"], page)
    note_reads(
        principal, [row["employee_id"] for row in shown], DataClass.EVALUATION, "performance_score"
    )
    items = [
        dict(row) | {"employee": {"id": row["employee_id"], "name": row["employee_name"]}}
        for row in shown
    ]
    return Page[PeriodResultOut].model_validate({"items": items, "next_cursor": cursor})
