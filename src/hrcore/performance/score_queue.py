"""Coalesced live-score recomputes: ingestion marks the (employee, month) keys it touched as
stale in its own transaction and makes sure one recompute job of the organization is pending
(`outbox.enqueue_once`); the job recomputes the stale keys, whoever marked them. A burst of
100 batches so costs a few recomputes, each over everything stale so far, instead of 100.

Why nothing is lost and nobody waits: a mark is a row of its own, only inserted (by the
batch) and deleted (by the job that read it), never updated. The job reads the marks
without locking, recomputes, and at its end deletes exactly the marks it read; a mark
committed after its read stays for the next job, which the marking batch's `enqueue_once`
guarantees to start after its commit. So a batch never waits for a running recompute (an
upserted mark did: a 10,000-item request waited on a recompute's row locks past the
statement timeout), and a failed attempt leaves everything stale for its retry. One
recompute of an organization runs at a time (`pg_try_advisory_xact_lock`): a second
defers itself, so two never read the same marks.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import outbox
from hrcore.core.db import fetch
from hrcore.core.models import new_ids
from hrcore.performance.live_scores import RECOMPUTE_JOB

DRAIN_LIMIT = 2_000
"""Stale keys one job recomputes, the oldest first; a job that takes this many enqueues the
next, so a backlog is worked off in bounded transactions. On bench/run_ingestion.py (quiet
machine): 500 keys a job left scores current 54 s p95 behind, 2,000 35 s (fewer recomputes
of keys marked again), 5,000 ran past the 15 s statement timeout."""


MARK = """
INSERT INTO performance_stale_scores (id, org_id, employee_id, month)
SELECT t.id, $1, t.employee_id, t.month
FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS t(id, employee_id, month)
"""

ALONE = "SELECT pg_try_advisory_xact_lock(hashtextextended('performance.recompute:' || $1, 0))"

PICK = """
SELECT employee_id, month, array_agg(id) AS ids
FROM performance_stale_scores
WHERE org_id = $1
GROUP BY employee_id, month
ORDER BY min(since), employee_id, month
LIMIT $2
"""
"""The oldest stale keys with every mark of each."""

CLEAR = """
DELETE FROM performance_stale_scores WHERE org_id = $1 AND id = ANY($2::uuid[])
"""


@dataclass(frozen=True)
class Picked:
    """The stale keys a job took and the marks it read of them (what `clear` deletes)."""

    keys: list[tuple[uuid.UUID, str]]
    marks: list[uuid.UUID]

    @property
    def months(self) -> dict[str, list[str]]:
        """`{employee id: months}`, as the recompute takes them."""
        months: dict[str, list[str]] = defaultdict(list)
        for employee_id, month in self.keys:
            months[str(employee_id)].append(month)
        return dict(months)


async def mark(session: AsyncSession, org_id: uuid.UUID, months: Mapping[str, set[str]]) -> None:
    """Mark these employees' months stale and make sure a recompute job will read them
    after this transaction commits. Call it last in the transaction."""
    keys = sorted((employee, month) for employee, some in months.items() for month in some)
    if not keys:
        return
    employees, periods = zip(*keys, strict=True)
    await fetch(session, MARK, org_id, new_ids(len(keys)), list(employees), list(periods))
    await outbox.enqueue_once(session, RECOMPUTE_JOB, org_id=org_id)


async def alone(session: AsyncSession, org_id: uuid.UUID) -> bool:
    """Take the organization's recompute lock for this transaction, if no one holds it."""
    return bool((await fetch(session, ALONE, str(org_id)))[0][0])


async def pick(session: AsyncSession, org_id: uuid.UUID) -> Picked | None:
    """Up to `DRAIN_LIMIT` stale keys for this job, or None when another recompute of the
    organization is running (the caller defers). Taking the limit enqueues the next job."""
    if not await alone(session, org_id):
        return None
    rows = await fetch(session, PICK, org_id, DRAIN_LIMIT)
    if len(rows) == DRAIN_LIMIT:
        await outbox.enqueue_once(session, RECOMPUTE_JOB, org_id=org_id)
    return Picked(
        [(row["employee_id"], row["month"]) for row in rows],
        [mark for row in rows for mark in row["ids"]],
    )


async def clear(session: AsyncSession, org_id: uuid.UUID, picked: Picked) -> None:
    """Delete the marks the job read, last in its transaction; later marks stay."""
    if picked.marks:
        await fetch(session, CLEAR, org_id, picked.marks)
