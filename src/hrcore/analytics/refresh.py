"""Keeping the figures current: an event marks a figure stale for the people it names (or
wholly), in the emitter's transaction, and makes sure one refresh job of the organization
is pending (`outbox.enqueue_once`); the job recollects those people's facts through the
figure's `collect`, replaces them, and recounts only the rollup cells they touched.

The marks work as performance's stale scores do (`performance/score_queue.py`): only
inserted and deleted, one refresh of an organization at a time (advisory lock), a mark
committed after the job read the marks stays for the next job."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics.catalog import FIGURES
from hrcore.analytics.figures import Fact, Figure
from hrcore.core import outbox
from hrcore.core.db import fetch
from hrcore.core.models import new_ids

REFRESH_JOB = "analytics.refresh"
INSERT_BATCH = 20_000

MARK = """
INSERT INTO analytics_stale (id, org_id, figure, employee_id)
SELECT t.id, $1, t.figure, t.employee_id
FROM unnest($2::uuid[], $3::text[], $4::uuid[]) AS t(id, figure, employee_id)
"""

ALONE = "SELECT pg_try_advisory_xact_lock(hashtextextended('analytics.refresh:' || $1, 0))"

PICK = "SELECT id, figure, employee_id FROM analytics_stale WHERE org_id = $1"

CLEAR = "DELETE FROM analytics_stale WHERE org_id = $1 AND id = ANY($2::uuid[])"

DROP_FACTS = """
WITH gone AS (
    DELETE FROM analytics_facts
    WHERE org_id = $1 AND figure = $2::text
      AND ($3::uuid[] IS NULL OR employee_id = ANY($3::uuid[]))
    RETURNING step, dimension, department_id, date_trunc('month', occurred_on)::date AS month
)
SELECT DISTINCT step, dimension, department_id, month FROM gone
"""

ADD_FACTS = """
INSERT INTO analytics_facts (
    id, org_id, figure, step, dimension, subject_type, subject_id, employee_id,
    department_id, occurred_on, value, reason_key, reason_params, refreshed_at
)
SELECT t.id, $1, $2::text, t.step, t.dimension, t.subject_type, t.subject_id, t.employee_id,
       t.department_id, t.occurred_on, t.value, t.reason_key, t.reason_params::jsonb, $3
FROM unnest(
    $4::uuid[], $5::text[], $6::text[], $7::text[], $8::uuid[], $9::uuid[], $10::uuid[],
    $11::date[], $12::numeric[], $13::text[], $14::text[]
) AS t(id, step, dimension, subject_type, subject_id, employee_id, department_id,
       occurred_on, value, reason_key, reason_params)
"""

DROP_CELLS = """
WITH cells AS (
    SELECT * FROM unnest($3::text[], $4::text[], $5::uuid[], $6::date[])
        AS c(step, dimension, department_id, month)
)
DELETE FROM analytics_rollups r USING cells c
WHERE r.org_id = $1 AND r.figure = $2::text AND r.step = c.step AND r.dimension = c.dimension
  AND r.department_id IS NOT DISTINCT FROM c.department_id AND r.month = c.month
"""

COUNT_CELLS = """
WITH cells AS (
    SELECT * FROM unnest($3::text[], $4::text[], $5::uuid[], $6::date[])
        AS c(step, dimension, department_id, month)
)
INSERT INTO analytics_rollups (
    id, org_id, figure, step, dimension, department_id, month, count, value_sum
)
SELECT gen_random_uuid(), $1, $2::text, f.step, f.dimension, f.department_id,
       date_trunc('month', f.occurred_on)::date, count(*), sum(f.value)
FROM analytics_facts f
JOIN cells c ON f.step = c.step AND f.dimension = c.dimension
    AND f.department_id IS NOT DISTINCT FROM c.department_id
    AND date_trunc('month', f.occurred_on)::date = c.month
WHERE f.org_id = $1 AND f.figure = $2::text
GROUP BY f.step, f.dimension, f.department_id, date_trunc('month', f.occurred_on)::date
"""

DROP_ALL_CELLS = "DELETE FROM analytics_rollups WHERE org_id = $1 AND figure = $2::text"

COUNT_ALL_CELLS = """
INSERT INTO analytics_rollups (
    id, org_id, figure, step, dimension, department_id, month, count, value_sum
)
SELECT gen_random_uuid(), $1, $2::text, step, dimension, department_id,
       date_trunc('month', occurred_on)::date, count(*), sum(value)
FROM analytics_facts
WHERE org_id = $1 AND figure = $2::text
GROUP BY step, dimension, department_id, date_trunc('month', occurred_on)::date
"""

STAMP = """
INSERT INTO analytics_refreshes (org_id, figure, refreshed_at) VALUES ($1, $2::text, $3)
ON CONFLICT (org_id, figure) DO UPDATE SET refreshed_at = EXCLUDED.refreshed_at
"""

DUE = """
SELECT f.figure
FROM unnest($2::text[], $3::int[]) AS f(figure, every_minutes)
LEFT JOIN analytics_refreshes r ON r.org_id = $1 AND r.figure = f.figure
WHERE r.refreshed_at IS NULL
   OR r.refreshed_at < $4::timestamptz - make_interval(mins => f.every_minutes)
"""

PENDING = "SELECT DISTINCT figure FROM analytics_stale WHERE org_id = $1 AND employee_id IS NULL"


async def mark(
    session: AsyncSession,
    org_id: uuid.UUID,
    figures: Sequence[str],
    employee_ids: Sequence[uuid.UUID] | None,
) -> None:
    """Mark `figures` stale for these people (None: everyone) and make sure a refresh job
    reads the marks after this transaction commits. Call it last in the transaction."""
    people: list[uuid.UUID | None] = list(employee_ids) if employee_ids is not None else [None]
    keys = [(figure, person) for figure in figures for person in people]
    if not keys:
        return
    names, persons = zip(*keys, strict=True)
    await fetch(session, MARK, org_id, new_ids(len(keys)), list(names), list(persons))
    await outbox.enqueue_once(session, REFRESH_JOB, org_id=org_id)


async def mark_due(session: AsyncSession, org_id: uuid.UUID, now: datetime) -> int:
    """Mark wholly stale the figures not refreshed within their `every_minutes` (or
    never), unless such a mark is already waiting; how many were marked."""
    names = [figure.name for figure in FIGURES.values()]
    every = [figure.every_minutes or 24 * 60 for figure in FIGURES.values()]
    due = {row["figure"] for row in await fetch(session, DUE, org_id, names, every, now)}
    due -= {row["figure"] for row in await fetch(session, PENDING, org_id)}
    if due:
        await mark(session, org_id, sorted(due), None)
    return len(due)


async def refresh(session: AsyncSession, org_id: uuid.UUID, now: datetime) -> bool:
    """Bring every stale figure of the organization up to date; False when another
    refresh of it runs (the caller hands the work to the pending job)."""
    if not (await fetch(session, ALONE, str(org_id)))[0][0]:
        return False
    marks = await fetch(session, PICK, org_id)
    people: dict[str, set[uuid.UUID] | None] = defaultdict(set)
    for row in marks:
        figure, person = row["figure"], row["employee_id"]
        wanted = people[figure]
        if person is None:
            people[figure] = None
        elif wanted is not None:
            wanted.add(person)
    for name, persons in people.items():
        figure = FIGURES.get(name)
        if figure is not None:
            await refresh_figure(session, org_id, figure, now, persons)
    if marks:
        await fetch(session, CLEAR, org_id, [row["id"] for row in marks])
    return True


async def refresh_figure(
    session: AsyncSession,
    org_id: uuid.UUID,
    figure: Figure,
    now: datetime,
    people: set[uuid.UUID] | None,
) -> None:
    """Recollect the figure's facts of `people` (None: everyone) and recount the cells."""
    wanted = sorted(people) if people is not None else None
    facts = await figure.collect(session, org_id, now, wanted)
    if wanted is not None:
        allowed = set(wanted)
        facts = [fact for fact in facts if fact.employee_id in allowed]
    touched = await fetch(session, DROP_FACTS, org_id, figure.name, wanted)
    await _insert(session, org_id, figure.name, now, facts)
    if wanted is None:
        await fetch(session, DROP_ALL_CELLS, org_id, figure.name)
        await fetch(session, COUNT_ALL_CELLS, org_id, figure.name)
    else:
        cells = {(r["step"], r["dimension"], r["department_id"], r["month"]) for r in touched}
        cells |= {
            (f.step, f.dimension, f.department_id, f.occurred_on.replace(day=1)) for f in facts
        }
        columns = [list(column) for column in zip(*cells, strict=True)] if cells else [[]] * 4
        await fetch(session, DROP_CELLS, org_id, figure.name, *columns)
        await fetch(session, COUNT_CELLS, org_id, figure.name, *columns)
    await fetch(session, STAMP, org_id, figure.name, now)


async def _insert(
    session: AsyncSession, org_id: uuid.UUID, name: str, now: datetime, facts: Sequence[Fact]
) -> None:
    """The facts in statements of `INSERT_BATCH` rows: a whole organization's rebuild
    (hundreds of thousands) stays far inside the statement timeout."""
    for start in range(0, len(facts), INSERT_BATCH):
        batch = facts[start : start + INSERT_BATCH]
        await fetch(
            session,
            ADD_FACTS,
            org_id,
            name,
            now,
            new_ids(len(batch)),
            [f.step for f in batch],
            [f.dimension for f in batch],
            [f.subject_type for f in batch],
            [f.subject_id for f in batch],
            [f.employee_id for f in batch],
            [f.department_id for f in batch],
            [f.occurred_on for f in batch],
            [f.value for f in batch],
            [f.reason_key for f in batch],
            [json.dumps(f.reason_params, default=str) for f in batch],
        )
