"""What privacy's retention rules purge of people (docs/privacy.md, "Retention and legal
holds"): a departed employee's identity (anonymised, the row and every count it is in stay)
and evaluation records (performance ratings and the growth profile, deleted), each a given
time after the exit. Named queries in plain values; the caller passes the employees under
legal hold, which nothing here touches.

Due items are `(employee id, employee id, exit day)`: the record purged is the employee's.
The exit day is the newest applied exit event's, so an employee marked exited without one
(never through an event) is never due. A purge re-applies its condition, so running it twice
over the same ids changes nothing the second time."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch
from hrcore.core.retention import DueRecords

_EXITED = """
    FROM employees e
    CROSS JOIN LATERAL (
        SELECT max(ev.effective_date) AS exited_on FROM employment_events ev
        WHERE ev.org_id = e.org_id AND ev.employee_id = e.id AND ev.kind = 'exit'
          AND ev.applied_at IS NOT NULL AND ev.withdrawn_at IS NULL
    ) x
    WHERE e.org_id = $1 AND e.status = 'exited' AND x.exited_on < $2::date
      AND e.id <> ALL($3::uuid[])
"""
_ANONYMISED = "replace(e.id::text, '-', '')"
_IDENTITY_LEFT = f" AND e.employee_number <> {_ANONYMISED}"
_EVALUATIONS_LEFT = """ AND (
    EXISTS (SELECT 1 FROM performance_ratings r WHERE r.org_id = e.org_id AND r.employee_id = e.id)
    OR EXISTS (SELECT 1 FROM growth_profiles g WHERE g.org_id = e.org_id AND g.employee_id = e.id)
)"""
IDENTITIES = DueRecords("e.id, e.id, x.exited_on", _EXITED + _IDENTITY_LEFT, "e.id", by_day=True)
departed_identities_due = IDENTITIES.due
"""Departed employees who exited before the cutoff's day, not anonymised yet, by id."""
departed_identities_due_count = IDENTITIES.count
EVALUATIONS = DueRecords(
    "e.id, e.id, x.exited_on", _EXITED + _EVALUATIONS_LEFT, "e.id", by_day=True
)
departed_evaluations_due = EVALUATIONS.due
"""Departed employees who exited before the cutoff's day and still have performance ratings
or a growth profile, by id."""
departed_evaluations_due_count = EVALUATIONS.count
ANONYMISE = f"""
UPDATE employees e SET
    full_name = '#' || right({_ANONYMISED}, 8), employee_number = {_ANONYMISED},
    email = NULL, phone = NULL, dingtalk_user_id = NULL, updated_at = now(),
    version = e.version + 1
WHERE e.org_id = $1 AND e.id = ANY($2::uuid[]) AND e.status = 'exited'
  AND e.employee_number <> {_ANONYMISED}
RETURNING e.id
"""  # noqa: S608 (this module's constants only)
DELETE_EVALUATIONS = """
WITH departed AS (
    SELECT id FROM employees WHERE org_id = $1 AND id = ANY($2::uuid[]) AND status = 'exited'
), ratings AS (
    DELETE FROM performance_ratings WHERE org_id = $1 AND employee_id IN (SELECT id FROM departed)
    RETURNING employee_id
), growth AS (
    DELETE FROM growth_profiles WHERE org_id = $1 AND employee_id IN (SELECT id FROM departed)
    RETURNING employee_id
)
SELECT employee_id FROM ratings UNION SELECT employee_id FROM growth
"""


async def anonymise_departed(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """Name → `#` and 8 characters of the id, employee number → the id, contact data and the
    DingTalk link gone; department, position, dates, events and every figure stay, so counts
    and aggregates still hold. Answers the employees changed (none already anonymised)."""
    rows = await fetch(session, ANONYMISE, org_id, list(employee_ids))
    return [row[0] for row in rows]


async def delete_departed_evaluations(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """Delete the employees' performance ratings and growth profile (career wishes, skills);
    answers the employees who had any."""
    rows = await fetch(session, DELETE_EVALUATIONS, org_id, list(employee_ids))
    return [row[0] for row in rows]
