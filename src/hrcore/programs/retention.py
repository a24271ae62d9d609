"""What privacy's retention rules purge of programs (docs/privacy.md, "Retention and legal
holds"): generated dossier PDFs — a participant's evaluations and decisions as a document —
a given time after they were made, stored file included. The dossier itself is rendered
again on the next request, so nothing a reader needs is lost.

Due items are `(document id, participant's employee id, day it was made)`; a document still
being generated is never due, nor one of an employee under legal hold (`excluding`). The
stored file goes first: a storage failure leaves the row, so the next run deletes both and
nothing is left orphaned."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.db import fetch
from hrcore.core.retention import DueRecords
from hrcore.core.storage import storage_for
from hrcore.settings import Settings

_DUE = """
    FROM program_dossier_documents d
    JOIN program_participants p ON p.org_id = d.org_id AND p.id = d.participant_id
    WHERE d.org_id = $1 AND d.created_at < $2 AND d.status <> 'pending'
      AND p.employee_id <> ALL($3::uuid[])
"""
DOCUMENTS = DueRecords("d.id, p.employee_id, (d.created_at AT TIME ZONE 'UTC')::date", _DUE, "d.id")
dossier_documents_due = DOCUMENTS.due
"""Dossier documents made before the cutoff, by id."""
dossier_documents_due_count = DOCUMENTS.count
LOCK_DOCUMENTS = """
    SELECT id, storage_key FROM program_dossier_documents
    WHERE org_id = $1 AND id = ANY($2::uuid[]) AND status <> 'pending' FOR UPDATE
"""
DELETE_DOCUMENTS = (
    "DELETE FROM program_dossier_documents WHERE org_id = $1 AND id = ANY($2::uuid[]) RETURNING id"
)


async def delete_dossier_documents(
    session: AsyncSession, settings: Settings, org_id: uuid.UUID, document_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """Delete the documents' stored files, then their rows (locked first, so a download
    cannot re-render one half-way); answers the documents deleted."""
    locked = await fetch(session, LOCK_DOCUMENTS, org_id, list(document_ids))
    storage = storage_for(settings)
    for row in locked:
        if row[1]:
            await storage.delete(row[1])
    rows = await fetch(session, DELETE_DOCUMENTS, org_id, [row[0] for row in locked])
    return [row[0] for row in rows]
