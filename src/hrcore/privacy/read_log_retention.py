"""What the retention rules purge of the read-access log (docs/privacy.md, "Retention and
legal holds"): entries older than the rule's period, never younger than three years — the
log is the record of processing PIPL Art. 55–56 keeps at least that long, like the audit
trail. The application role may not delete from the append-only log: the purge goes through
`purge_read_access_events`, a function owned by the schema owner that deletes only the
caller's organization's entries older than the three-year floor (migration 0087), so even
a faulty caller cannot shorten the log.

Due items are `(entry id, the person whose data was read, the day it was read)`; an entry
about a person under legal hold is spared."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch
from hrcore.core.retention import DueRecords

FLOOR_DAYS = 3 * 365
"""The shortest period a rule may keep the log (the database function enforces three years)."""

_DUE = """
    FROM read_access_events e
    WHERE e.org_id = $1 AND e.occurred_at < $2
      AND e.occurred_at < now() - interval '3 years'
      AND NOT (e.subject_employee_id = ANY($3::uuid[]))
"""
ENTRIES = DueRecords(
    "e.id, e.subject_employee_id, (e.occurred_at AT TIME ZONE 'UTC')::date", _DUE, "e.id"
)
entries_due = ENTRIES.due
"""Entries read before the cutoff (and three years ago), by id."""
entries_due_count = ENTRIES.count
PURGE = "SELECT purge_read_access_events($1::uuid[]) AS id"


async def purge_entries(session: AsyncSession, entry_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """Delete the entries (the due read selected them by the rule's cutoff) through the
    owner's function, which re-checks the organization and the floor; answers those deleted."""
    rows = await fetch(session, PURGE, list(entry_ids))
    return [row["id"] for row in rows]
