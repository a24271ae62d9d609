"""What privacy's retention rules purge of reviews (docs/privacy.md, "Retention and legal
holds"): the raw answers of a cycle — each rater's scores, comment, evidence and attached
files — a given time after the cycle was aggregated. Results stay as computed: the figures,
the rater counts and the comments the result shows were stored when the cycle was
aggregated, so no result changes when its raw answers go.

Due items are `(assignment id, participant's employee id, day the cycle closed)`: never the
rater, who stays anonymous. An assignment is left alone while its participant or its rater
is under legal hold (`excluding`). Purging re-applies the condition, so it changes nothing
twice."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch
from hrcore.core.retention import DueRecords
from hrcore.files import api as files
from hrcore.reviews.access import FILES_SUBJECT

_STILL_HELD = "(a.answers <> '{}'::jsonb OR a.comment IS NOT NULL OR a.evidence <> '[]'::jsonb)"
_DUE = f"""
    FROM review_assignments a
    JOIN review_cycles c ON c.org_id = a.org_id AND c.id = a.cycle_id
    JOIN review_participants p ON p.org_id = a.org_id AND p.id = a.participant_id
    WHERE a.org_id = $1 AND c.status = 'aggregated' AND c.closed_at < $2
      AND {_STILL_HELD}
      AND a.rater_employee_id <> ALL($3::uuid[]) AND p.employee_id <> ALL($3::uuid[])
"""
RAW_ANSWERS = DueRecords(
    "a.id, p.employee_id, (c.closed_at AT TIME ZONE 'UTC')::date", _DUE, "a.id"
)
raw_answers_due = RAW_ANSWERS.due
"""Assignments with answers of cycles aggregated and closed before the cutoff, by id."""
raw_answers_due_count = RAW_ANSWERS.count
DELETE_RAW_ANSWERS = f"""
UPDATE review_assignments a SET answers = '{{}}'::jsonb, comment = NULL, evidence = '[]'::jsonb,
    updated_at = now(), version = a.version + 1
FROM review_cycles c
WHERE a.org_id = $1 AND a.id = ANY($2::uuid[]) AND c.org_id = a.org_id AND c.id = a.cycle_id
  AND c.status = 'aggregated' AND {_STILL_HELD}
RETURNING a.id
"""  # noqa: S608 (this module's constants only)


async def delete_raw_answers(
    session: AsyncSession, org_id: uuid.UUID, assignment_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """Blank the assignments' answers, comment and evidence and detach their files (files'
    hourly purge deletes the bytes); the assignment, its status and its cycle's results
    stay. Answers the assignments changed."""
    rows = await fetch(session, DELETE_RAW_ANSWERS, org_id, list(assignment_ids))
    purged = [row[0] for row in rows]
    await files.detach_all(session, org_id, FILES_SUBJECT, purged)
    return purged
