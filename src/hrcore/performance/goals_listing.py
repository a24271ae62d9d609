"""`GET /goals`: the goals a caller reads as a flat list, newest first, for the screens that
filter rather than browse the alignment tree (an employee's goals of any period, a
department's open ones, HR's drafts).

The reach is the tree's (`goals_access.reach`): HR every goal, anyone else the goals of the
departments they head, of the employees they reach and every goal above those. One statement
for the page, then the tree's fixed few for linked key results' values.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.pagination import Page, PageParams, cut_page, decode_cursor
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_reads
from hrcore.performance import goals_access, goals_repository
from hrcore.performance.goals_reading import measured_goals, owners
from hrcore.performance.goals_schemas import PerformanceGoalOut


@dataclass(frozen=True)
class GoalFilters:
    """Each None: any."""

    employee_id: uuid.UUID | None = None
    department_id: uuid.UUID | None = None
    level: str | None = None
    period: str | None = None
    status: str | None = None


async def goals(
    session: AsyncSession, principal: Principal, page: PageParams, filters: GoalFilters
) -> Page[PerformanceGoalOut]:
    """A page of the goals the caller reads matching `filters`, each with its progress."""
    caller = await goals_access.reach(session, principal)
    after = decode_cursor(page.cursor, [uuid.UUID])[0] if page.cursor else None
    rows = await goals_repository.listed(
        session,
        principal.org_id,
        caller.everything,
        caller.department_ids,
        caller.employee_ids,
        filters=(
            filters.employee_id,
            filters.department_id,
            filters.level,
            filters.period,
            filters.status,
        ),
        after=after,
        limit=page.limit + 1,
    )
    shown, cursor = cut_page(rows, ["id"], page)
    note_reads(principal, owners(shown), DataClass.EVALUATION, "performance_goal")
    items = await measured_goals(session, principal.org_id, shown)
    return Page[PerformanceGoalOut].model_validate({"items": items, "next_cursor": cursor})
