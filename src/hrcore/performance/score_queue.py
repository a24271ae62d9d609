"""Coalesced live-score recomputes: ingestion marks the (employee, month) keys it touched as
stale in its own transaction and makes sure one recompute job of the organization is pending
(`outbox.enqueue_once`); the job drains the stale keys, whoever marked them. A burst of 100
batches so costs a few recomputes, each over everything stale so far, instead of 100.

Why nothing is lost: a batch's marking upserts its rows (`DO UPDATE` takes their row locks);
the drain takes rows `FOR UPDATE SKIP LOCKED`, so a row an uncommitted batch holds is left
for the job the batch's `enqueue_once` guarantees to start after its commit, and a drained
row the batch marks again after the job read it is inserted anew (the insert waits for the
job's delete). The job deletes what it drains in the transaction that saves the scores:
a failed attempt leaves the keys stale for its retry.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import outbox
from hrcore.core.db import fetch
from hrcore.performance.live_scores import RECOMPUTE_JOB

DRAIN_LIMIT = 4_000
"""Stale keys one job recomputes; more are left to the next job it enqueues, so a backlog is
worked off in bounded transactions, never one over the statement timeout."""

MARK = """
INSERT INTO performance_stale_scores AS stale (org_id, employee_id, month)
SELECT $1, t.employee_id, t.month
FROM unnest($2::uuid[], $3::text[]) AS t(employee_id, month)
ORDER BY t.employee_id, t.month
ON CONFLICT (org_id, employee_id, month) DO UPDATE SET since = stale.since
"""
"""In key order (two batches lock shared keys in the same order: no deadlock); a key already
stale keeps its older `since` but is locked until the batch commits."""

DRAIN = """
DELETE FROM performance_stale_scores s
USING (
    SELECT employee_id, month
    FROM performance_stale_scores
    WHERE org_id = $1
    ORDER BY since, employee_id, month
    LIMIT $2
    FOR UPDATE SKIP LOCKED
) picked
WHERE s.org_id = $1 AND s.employee_id = picked.employee_id AND s.month = picked.month
RETURNING s.employee_id, s.month
"""
"""The oldest stale keys first, none an uncommitted batch still holds."""


async def mark(session: AsyncSession, org_id: uuid.UUID, months: Mapping[str, set[str]]) -> None:
    """Mark these employees' months stale and make sure a recompute job will drain them
    after this transaction commits. Call it last in the transaction."""
    keys = sorted((employee, month) for employee, some in months.items() for month in some)
    if not keys:
        return
    employees, periods = zip(*keys, strict=True)
    await fetch(session, MARK, org_id, list(employees), list(periods))
    await outbox.enqueue_once(session, RECOMPUTE_JOB, org_id=org_id)


async def drain(session: AsyncSession, org_id: uuid.UUID) -> dict[str, list[str]]:
    """Take up to `DRAIN_LIMIT` stale keys (deleted with this transaction's commit) as
    `{employee id: months}`; when the limit was reached, another job is enqueued."""
    rows = await fetch(session, DRAIN, org_id, DRAIN_LIMIT)
    if len(rows) == DRAIN_LIMIT:
        await outbox.enqueue_once(session, RECOMPUTE_JOB, org_id=org_id)
    months: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        months[str(row["employee_id"])].append(row["month"])
    return dict(months)
