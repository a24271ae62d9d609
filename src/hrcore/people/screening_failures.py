"""Screening's pass/fail answer for bulk evaluation: only the active employees who fail any
criterion, each with which ones, in one statement over the organization (or some of its
employees). For callers that act on failures (the mentor flagging): those who pass cost no
row, no value and no object, and the whole organization needs no id array going in.

The criteria are compiled as `screen` compiles them (`screening.compile_criteria`), so the
answer is the one `screen` gives; which criteria failed comes back as one bit each."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Integer, and_, case, false, func, literal, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import among
from hrcore.people.screening import ScreeningCriterion, compile_criteria, joined_statement
from hrcore.people.screening_queries import active_population


async def failing_screen(
    session: AsyncSession,
    org_id: uuid.UUID,
    criteria: Sequence[ScreeningCriterion],
    *,
    today: date,
    among_ids: Sequence[uuid.UUID] | None,
) -> dict[uuid.UUID, list[int]]:
    """The active employees (among `among_ids`; `None`: everyone) failing any of `criteria`,
    each with the positions of the criteria they fail, in order. One statement."""
    if not criteria:
        return {}
    population, compiled = compile_criteria(org_id, criteria, today)
    passes = [func.coalesce(criterion.passed, false()) for criterion in compiled]
    failed_bits: Any = literal(0, Integer)
    for position, passed in enumerate(passes):
        failed_bits = failed_bits + case((passed, 0), else_=1 << position)
    statement = (
        joined_statement(population, compiled)
        .with_only_columns(population.c.employee_id, failed_bits.label("failed"))
        .where(not_(and_(*passes)))
    )
    if among_ids is not None:
        statement = statement.where(among(population.c.employee_id, among_ids))
    rows = await session.execute(statement)
    return {
        employee_id: [position for position in range(len(compiled)) if failed >> position & 1]
        for employee_id, failed in rows
    }


async def active_employee_ids(session: AsyncSession, org_id: uuid.UUID) -> list[uuid.UUID]:
    """Every active employee of the organization: for a bulk evaluation over it whose
    figures come from a domain above people that reads them by id (review ratings)."""
    population = active_population(org_id).subquery()
    return list(await session.scalars(select(population.c.employee_id)))
