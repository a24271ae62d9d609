"""Coalesced live-score recomputes: ingestion marks the (employee, month) keys it touched as
stale in its own transaction and makes sure one recompute job of the organization is pending
(`outbox.enqueue_once`); the job recomputes the stale keys, whoever marked them. A burst of
100 batches so costs a few recomputes, each over everything stale so far, instead of 100.

Why nothing is lost and nobody waits long: the job reads the stale keys without locking
them, recomputes, and at its end deletes only the rows whose `marks` are still what it read;
a batch that marked a key again meanwhile (its upsert adds a mark) leaves it stale for the
next job, which the batch's `enqueue_once` guarantees to start after its commit. A batch
thus never waits for a running recompute (it did when the job held its keys locked: a
10,000-item request hit the statement timeout), and a failed attempt leaves everything
stale for its retry. One recompute of an organization runs at a time
(`pg_try_advisory_xact_lock`): a second defers itself, so two never read the same keys.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import outbox
from hrcore.core.db import fetch
from hrcore.performance.live_scores import RECOMPUTE_JOB

DRAIN_LIMIT = 500
"""Stale keys one job recomputes, the oldest first; a job that takes this many enqueues the
next, so a backlog is worked off in bounded transactions: 4,000 and 1,000 keys ran past
the 15 s statement timeout on a loaded machine (bench/run_ingestion.py)."""

MARK = """
INSERT INTO performance_stale_scores AS stale (org_id, employee_id, month)
SELECT $1, t.employee_id, t.month
FROM unnest($2::uuid[], $3::text[]) AS t(employee_id, month)
ORDER BY t.employee_id, t.month
ON CONFLICT (org_id, employee_id, month) DO UPDATE SET marks = stale.marks + 1
"""
"""In key order (two batches lock shared keys in the same order: no deadlock); a key already
stale keeps its older `since`."""

ALONE = "SELECT pg_try_advisory_xact_lock(hashtextextended('performance.recompute:' || $1, 0))"

PICK = """
SELECT employee_id, month, marks
FROM performance_stale_scores
WHERE org_id = $1
ORDER BY since, employee_id, month
LIMIT $2
"""

CLEAR = """
DELETE FROM performance_stale_scores s
USING (
    SELECT k.employee_id, k.month
    FROM performance_stale_scores k
    JOIN unnest($2::uuid[], $3::text[], $4::int[]) AS t(employee_id, month, marks)
      ON k.employee_id = t.employee_id AND k.month = t.month AND k.marks = t.marks
    WHERE k.org_id = $1
    ORDER BY k.employee_id, k.month
    FOR UPDATE OF k
) unchanged
WHERE s.org_id = $1 AND s.employee_id = unchanged.employee_id AND s.month = unchanged.month
"""
"""Locks in key order, as `MARK` does (a delete in any other order deadlocked with a
batch marking the same keys); a row a batch marked meanwhile fails the `marks` check once
its lock is released and stays."""


@dataclass(frozen=True)
class Picked:
    """The stale keys a job took, as read (`clear` needs their marks)."""

    keys: list[tuple[uuid.UUID, str, int]]

    @property
    def months(self) -> dict[str, list[str]]:
        """`{employee id: months}`, as the recompute takes them."""
        months: dict[str, list[str]] = defaultdict(list)
        for employee_id, month, _ in self.keys:
            months[str(employee_id)].append(month)
        return dict(months)


async def mark(session: AsyncSession, org_id: uuid.UUID, months: Mapping[str, set[str]]) -> None:
    """Mark these employees' months stale and make sure a recompute job will read them
    after this transaction commits. Call it last in the transaction."""
    keys = sorted((employee, month) for employee, some in months.items() for month in some)
    if not keys:
        return
    employees, periods = zip(*keys, strict=True)
    await fetch(session, MARK, org_id, list(employees), list(periods))
    await outbox.enqueue_once(session, RECOMPUTE_JOB, org_id=org_id)


async def pick(session: AsyncSession, org_id: uuid.UUID) -> Picked | None:
    """Up to `DRAIN_LIMIT` stale keys for this job, or None when another recompute of the
    organization is running (the caller defers). Taking the limit enqueues the next job."""
    if not (await fetch(session, ALONE, str(org_id)))[0][0]:
        return None
    rows = await fetch(session, PICK, org_id, DRAIN_LIMIT)
    if len(rows) == DRAIN_LIMIT:
        await outbox.enqueue_once(session, RECOMPUTE_JOB, org_id=org_id)
    return Picked([(row["employee_id"], row["month"], row["marks"]) for row in rows])


async def clear(session: AsyncSession, org_id: uuid.UUID, picked: Picked) -> None:
    """Delete the picked keys no batch marked again since: last in the job's transaction,
    so a batch's upsert waits for the job's commit only, never for its recompute."""
    if picked.keys:
        employees, months, marks = zip(*picked.keys, strict=True)
        await fetch(session, CLEAR, org_id, list(employees), list(months), list(marks))
