"""Recomputing every profile of an organization at once, set-based: what HR runs after
changing the source weights or the half-life (`hrcore competencies recompute-all`).

Employees go in batches by id, each batch its own transaction and four statements however
many people it holds: the next ids (locking their profiles as the per-employee recompute
does, so a job running meanwhile never stores the same snapshot), their evidence, their
newest snapshots, and one insert of the snapshots that changed (a fifth publishes the moved
scores to webhook subscribers, as the per-employee job does). The figures are
`profiles.compute` — the per-employee recompute's own rule — and a snapshot is stored only
where `profiles.same_profile` says a figure changed, so a second run writes nothing.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import profile_events, profiles
from hrcore.core.clock import Clock
from hrcore.core.db import SessionMaker, fetch, set_tenant, unit_of_work
from hrcore.settings import Settings

BATCH = 1_000

NEXT_BATCH_LOCKED = """
SELECT batch.id, pg_advisory_xact_lock(hashtextextended('competency_profile:' || batch.id, 0))
  FROM (SELECT id FROM employees
         WHERE org_id = $1 AND ($2::uuid IS NULL OR id > $2)
         ORDER BY id
         LIMIT $3) AS batch
 ORDER BY batch.id
"""

EVIDENCE_OF_MANY = """
SELECT employee_id, id, competency_id, value, source_kind, source_id, observed_at,
       source_weight, note
  FROM competency_evidence
 WHERE org_id = $1 AND employee_id = ANY($2::uuid[])
 ORDER BY employee_id, observed_at, id
"""

NEWEST_SNAPSHOTS = """
SELECT DISTINCT ON (employee_id) employee_id, figures
  FROM competency_profiles
 WHERE org_id = $1 AND employee_id = ANY($2::uuid[])
 ORDER BY employee_id, computed_at DESC, id DESC
"""

INSERT_SNAPSHOTS = """
INSERT INTO competency_profiles (id, org_id, employee_id, computed_at, figures, scores)
SELECT gen_random_uuid(), $1, changed.employee_id, $2, changed.figures, changed.scores
  FROM jsonb_to_recordset($3::jsonb) AS changed(employee_id uuid, figures jsonb, scores jsonb)
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
    """The next `size` employees after `after` (by id) in four statements, and a fifth that
    publishes each stored snapshot whose scores moved to webhook subscribers as the
    per-employee job does (more only when someone subscribes)."""
    ids = [row["id"] for row in await fetch(session, NEXT_BATCH_LOCKED, org_id, after, size)]
    if not ids:
        return BatchResult(None, 0, 0)
    evidence: dict[uuid.UUID, list[asyncpg.Record]] = defaultdict(list)
    for row in await fetch(session, EVIDENCE_OF_MANY, org_id, ids):
        evidence[row["employee_id"]].append(row)
    newest = {
        row["employee_id"]: row["figures"]
        for row in await fetch(session, NEWEST_SNAPSHOTS, org_id, ids)
    }
    changed = _changed(ids, evidence, newest, settings, now)
    if changed:
        await fetch(session, INSERT_SNAPSHOTS, org_id, now, json.dumps(changed))
    stored = [(uuid.UUID(snapshot["employee_id"]), snapshot["figures"]) for snapshot in changed]
    await profile_events.publish_many(
        session,
        org_id,
        [
            (employee_id, newest.get(employee_id) or [], figures, now)
            for employee_id, figures in stored
        ],
    )
    return BatchResult(ids[-1], len(ids), len(changed))


def _changed(
    ids: Sequence[uuid.UUID],
    evidence: dict[uuid.UUID, list[asyncpg.Record]],
    newest: dict[uuid.UUID, list[dict[str, Any]]],
    settings: Settings,
    now: datetime,
) -> list[dict[str, Any]]:
    """The new snapshots of the batch: each employee whose figures differ from their newest
    snapshot (someone without evidence or snapshot has nothing to store)."""
    changed = []
    for employee_id in ids:
        figures = profiles.compute(
            evidence.get(employee_id, []),
            kind_weights=settings.competency_source_weights,
            half_life_days=settings.competency_evidence_half_life_days,
            now=now,
        )
        before = newest.get(employee_id)
        if before is None and not figures:
            continue
        if before is not None and profiles.same_profile(before, figures):
            continue
        changed.append(
            {
                "employee_id": str(employee_id),
                "figures": figures,
                "scores": profiles.scores_of(figures),
            }
        )
    return changed
