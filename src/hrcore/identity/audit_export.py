"""The audit log as CSV (`GET /audit-events?format=csv`), for an auditor to keep and to check
outside hrcore: in chain order, each row with its `seq`, its `hash` and the previous event's
hash, and the hashed fields exactly as the recipe reads them (docs/privacy.md, "The hash
recipe"). Streamed a batch per short transaction up to the chain's head when the export
began, so an organization's whole trail never sits in memory and new events do not creep in.
Column names are the JSON fields' (identifiers, not prose, so a script can rely on them);
cells a spreadsheet would run as formulas are quoted (`core.spreadsheets.inert`)."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import StrEnum

from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import SessionMaker, fetch, tenant_transaction
from hrcore.core.pdf import content_disposition
from hrcore.core.responses import Responses
from hrcore.core.spreadsheets import inert


class AuditExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


COLUMNS = (
    "seq",
    "hash",
    "previous_hash",
    "id",
    "created_at",
    "actor_kind",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "request_id",
)
BATCH = 2_000
CSV_RESPONSE: Responses = {
    200: {
        "content": {"text/csv": {"schema": {"type": "string"}}},
        "description": "A page of events (JSON), or with `format=csv` every matching event "
        "in chain order with `seq`, `hash` and `previous_hash`.",
    }
}

HEAD = "SELECT coalesce(max(seq), 0) FROM audit_events WHERE org_id = $1"
ROWS = """
SELECT e.seq, e.hash, p.hash AS previous_hash, e.id,
       to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at,
       e.actor_kind, e.actor_id, coalesce(u.display_name, k.name) AS actor_name,
       e.action, e.object_type, e.object_id, e.before::text AS before, e.after::text AS after,
       e.request_id
FROM audit_events e
LEFT JOIN audit_events p ON p.org_id = e.org_id AND p.seq = e.seq - 1
LEFT JOIN users u ON e.actor_kind = 'user' AND u.org_id = e.org_id AND u.id = e.actor_id
LEFT JOIN api_keys k ON e.actor_kind = 'api_key' AND k.org_id = e.org_id AND k.id = e.actor_id
WHERE e.org_id = $1 AND e.seq > $2 AND e.seq <= $3
  AND ($4::text IS NULL OR e.object_type = $4)
  AND ($5::uuid IS NULL OR e.object_id = $5)
  AND ($6::uuid IS NULL OR e.actor_id = $6)
  AND ($7::text IS NULL OR e.action = $7)
ORDER BY e.seq
LIMIT $8
"""


@dataclass(frozen=True)
class AuditFilter:
    object_type: str | None
    object_id: uuid.UUID | None
    actor_id: uuid.UUID | None
    action: str | None


async def csv_response(
    session: AsyncSession, sessionmaker: SessionMaker, org_id: uuid.UUID, only: AuditFilter
) -> StreamingResponse:
    """The export as a download; the caller has been checked and the tenant set."""
    [(head,)] = await fetch(session, HEAD, org_id)
    filename = "audit-events.csv"
    return StreamingResponse(
        _lines(sessionmaker, org_id, head, only),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition(filename, filename)},
    )


async def _lines(
    sessionmaker: SessionMaker, org_id: uuid.UUID, head: int, only: AuditFilter
) -> AsyncIterator[bytes]:
    yield _csv([list(COLUMNS)]).encode("utf-8-sig")
    after = 0
    while after < head:
        async with tenant_transaction(sessionmaker, org_id) as session:
            rows = await fetch(
                session,
                ROWS,
                org_id,
                after,
                head,
                only.object_type,
                only.object_id,
                only.actor_id,
                only.action,
                BATCH,
            )
        if not rows:
            return
        yield _csv([[_cell(row[name]) for name in COLUMNS] for row in rows]).encode()
        after = rows[-1]["seq"]


def _cell(value: object) -> str:
    if value is None:
        return ""
    return inert(value) if isinstance(value, str) else str(value)


def _csv(rows: list[list[str]]) -> str:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    return text.getvalue()
