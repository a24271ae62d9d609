"""Recomputing every profile of an organization at once, set-based: what HR runs after
changing the source weights or the half-life (`hrcore competencies recompute-all`).

Employees go in batches by id, each batch its own transaction and two statements however
many people it holds: the next ids (locking their profiles as the per-employee recompute
does, so a job running meanwhile never stores the same snapshot), then
`profiles.RECOMPUTE` — the per-employee recompute's own statement — which computes their
figures in the database and inserts a snapshot for each whose figures changed, so a second
run writes nothing. A third publishes the moved scores to webhook subscribers, as the
per-employee job does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import profile_events, profiles
from hrcore.core.clock import Clock
from hrcore.core.db import SessionMaker, fetch, set_tenant, unit_of_work
from hrcore.settings import Settings

BATCH = 1_000

# The batch's ids, each profile locked; and no JIT compilation for the rest of the batch's
# transaction: compiling the recompute's plan cost a third of its CPU time (0.2 s a batch
# of 1,000, measured in docs/performance.md), more than it saved.
NEXT_BATCH_LOCKED = """
SELECT batch.id, pg_advisory_xact_lock(hashtextextended('competency_profile:' || batch.id, 0))
  FROM (SELECT id FROM employees
         WHERE org_id = $1 AND ($2::uuid IS NULL OR id > $2)
         ORDER BY id
         LIMIT $3) AS batch
 CROSS JOIN (SELECT set_config('jit', 'off', true)) AS no_jit
 ORDER BY batch.id
"""


@dataclass(frozen=True)
class Recomputed:
    """A whole run: employees recomputed, snapshots stored."""

    employees: int
    stored: int


async def recompute_all(
    sessionmaker: SessionMaker,
    org_id: uuid.UUID,
    settings: Settings,
    clock: Clock,
    size: int = BATCH,
) -> Recomputed:
    """Every employee of the organization as of one moment, a transaction per batch: a
    failure loses at most the batch under way, and running again stores only what is still
    missing."""
    now = clock.now()
    after: uuid.UUID | None = None
    employees = stored = 0
    while True:
        async with unit_of_work(sessionmaker) as session:
            await set_tenant(session, org_id)
            batch = await recompute_batch(session, org_id, after, settings, now, size)
        if batch.last_id is None:
            return Recomputed(employees, stored)
        after = batch.last_id
        employees += batch.employees
        stored += batch.stored


@dataclass(frozen=True)
class BatchResult:
    """One batch: the last employee id it reached (None when there was nobody left), how
    many employees it recomputed and how many snapshots it stored."""

    last_id: uuid.UUID | None
    employees: int
    stored: int


async def recompute_batch(
    session: AsyncSession,
    org_id: uuid.UUID,
    after: uuid.UUID | None,
    settings: Settings,
    now: datetime,
    size: int = BATCH,
) -> BatchResult:
    """The next `size` employees after `after` (by id) in two statements, and when it stored
    snapshots a third that publishes each whose scores moved to webhook subscribers as the
    per-employee job does (more only when someone subscribes)."""
    ids = [row["id"] for row in await fetch(session, NEXT_BATCH_LOCKED, org_id, after, size)]
    if not ids:
        return BatchResult(None, 0, 0)
    stored = await profiles.recompute_many(session, org_id, ids, settings, now)
    if stored:
        await profile_events.publish_many(session, org_id, stored)
    return BatchResult(ids[-1], len(ids), len(stored))
