"""Queries of check-ins and feedback: SQL written once, run at the driver (`core.db.fetch`)
with the names of employees and competencies joined in (the read-only name join
docs/architecture.md allows). No business rules here."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch

CHECK_INS = """
SELECT c.id, c.manager_id, m.full_name AS manager_name, c.report_id,
       r.full_name AS report_name, c.scheduled_at, c.status, c.closed_at, c.agenda,
       c.shared_notes, n.text AS private_note, c.created_at, c.version
FROM check_ins c
JOIN employees m ON m.org_id = c.org_id AND m.id = c.manager_id
JOIN employees r ON r.org_id = c.org_id AND r.id = c.report_id
LEFT JOIN check_in_private_notes n
       ON n.org_id = c.org_id AND n.check_in_id = c.id AND n.author_id = $2
WHERE c.org_id = $1
  AND ($3::bool OR c.manager_id = $2 OR c.report_id = $2)
  AND ($4::uuid IS NULL OR c.manager_id = $4 OR c.report_id = $4)
  AND ($5::text IS NULL OR c.status = $5)
  AND ($6::timestamptz IS NULL OR (c.scheduled_at, c.id) < ($6, $7::uuid))
ORDER BY c.scheduled_at DESC, c.id DESC
LIMIT $8
"""
"""A page of check-ins, newest first: the caller's own (`$3` false) or the organization's,
with the caller's own private note (joined by author: nobody else's can come back)."""

CHECK_IN = """
SELECT c.id, c.manager_id, m.full_name AS manager_name, c.report_id,
       r.full_name AS report_name, c.scheduled_at, c.status, c.closed_at, c.agenda,
       c.shared_notes, n.text AS private_note, c.created_at, c.version,
       (SELECT coalesce(json_agg(json_build_object(
                   'id', a.id, 'title', a.title, 'assignee_id', a.assignee_id,
                   'assignee_name', e.full_name, 'due_on', a.due_on, 'task_id', a.task_id)
                   ORDER BY a.created_at, a.id), '[]')
          FROM check_in_action_items a
          JOIN employees e ON e.org_id = a.org_id AND e.id = a.assignee_id
         WHERE a.org_id = c.org_id AND a.check_in_id = c.id) AS action_items
FROM check_ins c
JOIN employees m ON m.org_id = c.org_id AND m.id = c.manager_id
JOIN employees r ON r.org_id = c.org_id AND r.id = c.report_id
LEFT JOIN check_in_private_notes n
       ON n.org_id = c.org_id AND n.check_in_id = c.id AND n.author_id = $2
WHERE c.org_id = $1 AND c.id = $3
"""
"""One check-in with the caller's private note and its action items (assignees named)."""


async def check_ins(
    session: AsyncSession,
    org_id: uuid.UUID,
    viewer_id: uuid.UUID | None,
    *,
    everyone: bool,
    employee_id: uuid.UUID | None,
    status: str | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[asyncpg.Record]:
    moment, last = after if after is not None else (None, None)
    return await fetch(
        session, CHECK_INS, org_id, viewer_id, everyone, employee_id, status, moment, last, limit
    )


async def check_in(
    session: AsyncSession, org_id: uuid.UUID, viewer_id: uuid.UUID | None, check_in_id: uuid.UUID
) -> asyncpg.Record | None:
    rows = await fetch(session, CHECK_IN, org_id, viewer_id, check_in_id)
    return rows[0] if rows else None


FEEDBACK = """
SELECT f.id, f.giver_id, g.full_name AS giver_name, f.receiver_id,
       r.full_name AS receiver_name, f.kind, f.text, f.visibility, f.competency_id,
       k.name AS competency_name, f.indicator, f.created_at
FROM feedback f
JOIN employees g ON g.org_id = f.org_id AND g.id = f.giver_id
JOIN employees r ON r.org_id = f.org_id AND r.id = f.receiver_id
LEFT JOIN competencies k ON k.org_id = f.org_id AND k.id = f.competency_id
WHERE f.org_id = $1
  AND ($2::uuid IS NULL OR f.receiver_id = $2)
  AND ($3::uuid IS NULL OR f.giver_id = $3)
  AND (f.visibility = ANY($4::text[]) OR f.giver_id = $5 OR f.receiver_id = $5)
  AND ($6::timestamptz IS NULL OR (f.created_at, f.id) < ($6, $7::uuid))
  AND ($9::uuid IS NULL OR f.id = $9)
ORDER BY f.created_at DESC, f.id DESC
LIMIT $8
"""
"""A page of feedback, newest first: received by `$2` and/or given by `$3`, of the
visibilities `$4` — and any the viewer `$5` gave or received, whatever its visibility
(`$9`: only that one)."""


async def feedback(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    receiver_id: uuid.UUID | None,
    giver_id: uuid.UUID | None,
    visibilities: Sequence[str],
    viewer_id: uuid.UUID | None,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
    only: uuid.UUID | None = None,
) -> list[asyncpg.Record]:
    moment, last = after if after is not None else (None, None)
    return await fetch(
        session,
        FEEDBACK,
        org_id,
        receiver_id,
        giver_id,
        list(visibilities),
        viewer_id,
        moment,
        last,
        limit,
        only,
    )
