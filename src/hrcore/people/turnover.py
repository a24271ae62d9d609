"""Employment spells for turnover (analytics' retention): who was employed from when to
when, why they left, where they count and whether they manage. Plain data, two statements
for any number of people."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

PEOPLE = """
SELECT e.id, e.department_id, e.hire_date,
       (p.is_management IS true OR EXISTS (
           SELECT 1 FROM employees r
           WHERE r.org_id = e.org_id AND r.manager_id = e.id AND r.status = 'active'
       )) AS manages
FROM employees e
LEFT JOIN positions p ON p.org_id = e.org_id AND p.id = e.position_id
WHERE e.org_id = $1 AND ($2::uuid[] IS NULL OR e.id = ANY($2::uuid[]))
"""

MOVES = """
SELECT id, employee_id, kind, effective_date, exit_reason
FROM employment_events
WHERE org_id = $1 AND kind IN ('hire', 'exit') AND effective_date <= $3
  AND ($2::uuid[] IS NULL OR employee_id = ANY($2::uuid[]))
ORDER BY employee_id, effective_date, kind DESC
"""
"""Hires and exits in effect by `$3`, hires before exits on one day (`kind DESC`): hired
and gone the same day is a spell. By date rather than `applied_at`: imported and seeded
hires are recorded without it; a move dated ahead is not in effect either way."""


@dataclass(frozen=True)
class EmploymentSpell:
    """One stretch of employment: from a hire to an exit (None: still employed). The
    department is the employee's current one — for a leaver, their last — as team
    turnover counts it, so a person's spells all count in one place."""

    employee_id: uuid.UUID
    department_id: uuid.UUID
    manages: bool
    """Holds a management position or has active direct reports (now, or when they left)."""
    started_on: date
    ended_on: date | None
    exit_event_id: uuid.UUID | None
    exit_reason: str | None


async def employment_spells(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID] | None,
    today: date,
) -> list[EmploymentSpell]:
    """Every spell of these employees (None: everyone) by `today`, from their hires and exits;
    without any hire event (a record made before hires were events), the hire date on
    record starts the first spell."""
    wanted = list(employee_ids) if employee_ids is not None else None
    people = await fetch(session, PEOPLE, org_id, wanted)
    moves: dict[uuid.UUID, list[asyncpg.Record]] = defaultdict(list)
    for row in await fetch(session, MOVES, org_id, wanted, today):
        moves[row["employee_id"]].append(row)
    spells = []
    for person in people:
        steps = [
            (m["effective_date"], m["kind"], m["id"], m["exit_reason"]) for m in moves[person["id"]]
        ]
        if not any(kind == "hire" for _day, kind, _id, _reason in steps):
            steps.insert(0, (person["hire_date"], "hire", None, None))
        started: date | None = None
        for day, kind, event_id, reason in steps:
            if kind == "hire" and started is None:
                started = day
            elif kind == "exit" and started is not None:
                spells.append(_spell(person, started, day, event_id, reason))
                started = None
        if started is not None:
            spells.append(_spell(person, started, None, None, None))
    return spells


def _spell(
    person: asyncpg.Record,
    started: date,
    ended: date | None,
    event_id: uuid.UUID | None,
    reason: str | None,
) -> EmploymentSpell:
    return EmploymentSpell(
        person["id"], person["department_id"], person["manages"], started, ended, event_id, reason
    )
