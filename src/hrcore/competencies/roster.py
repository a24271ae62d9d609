"""Each employee's post as competencies keeps it (`competency_roster`), so a ranking over a
whole organization reads its candidates beside their scores in one statement of its own:
people's named query answered them as three 95,000-element arrays that went back into the
ranking statement (docs/performance.md, issue 21).

people stays the authority: a row is re-read from people's published queries whenever an
employment event of the employee is recorded, applied, ended early or withdrawn (a
subscribed job, `FOLLOW_JOB`), and before each ranking the employees created since the
roster's newest row without such an event (the demo data, rows written directly) are read
in the same way (`fill_in`). A correction of department, position or status that records
no employment event (HR's `PATCH /employees/{id}`) reaches the roster with the employee's
next event only: people announces none (docs/competencies.md, "Matching")."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch
from hrcore.core.jobs import JobContext
from hrcore.people import api as people

FOLLOW_JOB = "competencies.follow_post"

# Employees of the organization the roster has not seen: those with a newer id than its
# newest row (ids grow with time, `core.models.new_id`) — two index reads, where comparing
# every id took 70–140 ms at 100,000 employees. The newest id comes first, on its own: as a
# subquery in the same statement it could not bound the index scan under the tenant policy
# (a sub-plan is not leakproof). Only `id` and `org_id` of people's table, as a name join
# reads them (docs/architecture.md).
_NEWEST = """
SELECT employee_id FROM competency_roster WHERE org_id = $1 ORDER BY employee_id DESC LIMIT 1
"""
_UNSEEN = "SELECT id FROM employees WHERE org_id = $1 AND id > $2::uuid ORDER BY id"

# $2 the employees that exist, $3 those of them active with $4 their departments and $5
# their positions (parallel arrays); the others are kept as not active.
_WRITE = """
INSERT INTO competency_roster AS roster (org_id, employee_id, department_id, position_id, active)
SELECT $1, asked.employee_id, found.department_id, found.position_id, found.employee_id IS NOT NULL
  FROM unnest($2::uuid[]) AS asked(employee_id)
  LEFT JOIN unnest($3::uuid[], $4::uuid[], $5::uuid[])
       AS found(employee_id, department_id, position_id) USING (employee_id)
ON CONFLICT (org_id, employee_id) DO UPDATE
   SET department_id = excluded.department_id, position_id = excluded.position_id,
       active = excluded.active
"""


async def follow(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> None:
    """Bring these employees' rows to what people answers now (two statements of people's,
    one write); an employee people no longer has keeps no row here (the row went with it)."""
    if not employee_ids:
        return
    existing = list(await people.employee_summaries(session, org_id, employee_ids))
    if not existing:
        return
    active = await people.active_people_among(session, org_id, existing)
    await fetch(
        session, _WRITE, org_id, existing, active.ids, active.department_ids, active.position_ids
    )


async def fill_in(session: AsyncSession, org_id: uuid.UUID) -> None:
    """Read from people the employees created since the roster's newest row without an
    event reaching it (demo data, rows written directly): two statements when there is
    none."""
    newest = await fetch(session, _NEWEST, org_id)
    since = newest[0]["employee_id"] if newest else uuid.UUID(int=0)
    unseen = [row["id"] for row in await fetch(session, _UNSEEN, org_id, since)]
    await follow(session, org_id, unseen)


async def follow_post(ctx: JobContext) -> None:
    """Subscribed to people's employment events: the employee's row follows their record."""
    if ctx.org_id is None:
        return
    await follow(ctx.session, ctx.org_id, [uuid.UUID(ctx.payload["employee_id"])])
