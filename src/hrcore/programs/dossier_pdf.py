"""The dossier as a PDF, rendered by the worker from the JSON its reader saw: one document
per participant, audience and content; failed ones retried on the next request, lost files
rendered again, superseded ones pruned by a daily cron."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, i18n, outbox, pdf
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.db import SessionMaker
from hrcore.core.i18n import _
from hrcore.core.storage import StoredObjectMissing, storage_for
from hrcore.identity import api as identity
from hrcore.programs import access, documents, dossier, repository
from hrcore.programs.models import DossierDocument
from hrcore.programs.schemas import Dossier
from hrcore.settings import Settings

DOSSIER_JOB = "programs.generate_dossier_document"
DOSSIER_DOCUMENT = "program_dossier_document"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DossierPdf:
    """What a reader of the PDF gets: `content` once ready; `error` when the last generation
    failed (it is queued again, so the next request sees the new attempt)."""

    document: DossierDocument
    file_name: str
    """Whose and which: the run's and the participant's names (`Content-Disposition`)."""
    content: bytes | None = None
    error: str | None = None


def _fingerprint(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _queue(session: AsyncSession, document: DossierDocument) -> None:
    outbox.enqueue(session, DOSSIER_JOB, {"document_id": str(document.id)}, org_id=document.org_id)


async def _document_for(
    session: AsyncSession, principal: Principal, view: Dossier, audience: str
) -> DossierDocument:
    """The document of exactly this content for this audience, queued when new."""
    # The reader's language is part of the content: each language is its own document.
    content = view.model_dump(mode="json") | {"locale": i18n.current_locale()}
    key: dict[str, Any] = {
        "org_id": principal.org_id,
        "participant_id": view.participant.id,
        "audience": audience,
        "fingerprint": _fingerprint(content),
    }
    document = await repository.dossier_document(session, **key)
    if document is not None:
        return document
    created = await repository.add_dossier_document(session, key | {"content": content})
    document = await repository.dossier_document(session, **key)
    assert document is not None  # inserted now or by a concurrent request that committed
    if created:
        _queue(session, document)
        audit.record(
            session,
            principal,
            "program_dossier_document.requested",
            DOSSIER_DOCUMENT,
            document.id,
            org_id=document.org_id,
            after={"audience": audience, "fingerprint": document.fingerprint},
        )
    return document


def _retry(session: AsyncSession, principal: Principal, document: DossierDocument) -> str:
    """Queue a failed document again; returns the failure's reason."""
    reason = document.error or "unknown"
    document.status, document.attempts = "pending", document.attempts + 1
    _queue(session, document)
    audit.record(
        session,
        principal,
        "program_dossier_document.retried",
        DOSSIER_DOCUMENT,
        document.id,
        org_id=document.org_id,
        before={"status": "failed", "error": reason},
        after={"status": "pending", "attempts": document.attempts},
    )
    return reason


async def dossier_pdf(
    session: AsyncSession,
    principal: Principal,
    run_id: uuid.UUID,
    participant_id: uuid.UUID,
    clock: Clock,
    settings: Settings,
) -> DossierPdf:
    """The PDF of the dossier the caller sees, keyed by audience and content: the
    participant's own trimmed copy (`self`) or everyone else's (`full`)."""
    view = await dossier.dossier(session, principal, run_id, participant_id, clock)
    full = access.reads_full_dossier(principal, view.participant.employee.id)
    audience = "full" if full else "self"
    document = await _document_for(session, principal, view, audience)
    file_name = f"{view.run.name}-{view.participant.employee.name}.pdf"
    if document.status == "failed":
        return DossierPdf(document, file_name, error=_retry(session, principal, document))
    if document.status == "ready" and document.storage_key:
        try:
            content = await storage_for(settings).get(document.storage_key)
            return DossierPdf(document, file_name, content)
        except StoredObjectMissing:
            _regenerate_lost(session, principal, document)
    return DossierPdf(document, file_name)


def _regenerate_lost(
    session: AsyncSession, principal: Principal, document: DossierDocument
) -> None:
    """The stored file is gone (storage restored from an older backup, deleted by hand):
    render it again from the content the row keeps, and say so in the log and the audit."""
    logger.error(
        "dossier document %s: stored file %s is missing", document.id, document.storage_key
    )
    lost = {"status": "ready", "storage_key": document.storage_key, "sha256": document.sha256}
    document.status, document.storage_key = "pending", None
    document.attempts += 1
    _queue(session, document)
    audit.record(
        session,
        principal,
        "program_dossier_document.regenerated",
        DOSSIER_DOCUMENT,
        document.id,
        org_id=document.org_id,
        before=lost,
        after={"status": "pending"},
    )


async def generate_dossier_document(
    session: AsyncSession,
    org_id: uuid.UUID,
    document_id: uuid.UUID,
    settings: Settings,
    clock: Clock,
) -> str:
    """Render and store one pending dossier document; returns its status.

    Idempotent: only a pending document is rendered. A rendering error (an unreadable font)
    marks it failed with the reason, shown to the next reader, whose request queues it again;
    a storage error propagates, so the job retries with backoff.
    """
    document = await repository.dossier_document_by_id(session, org_id, document_id)
    if document is None or document.status != "pending":
        return document.status if document else "gone"
    try:
        with i18n.using(document.content.get("locale")):
            text = documents.dossier_text(Dossier.model_validate(document.content))
            title = _("Development dossier {participant}", participant=document.participant_id)
            content = await asyncio.to_thread(
                pdf.render_pdf,
                text,
                font_path=pdf.font_path(settings),
                title=str(title),
                created_at=document.created_at,
            )
    except Exception as exc:  # rendering only reads the font and lays text out: final
        document.status, document.error = "failed", f"{type(exc).__name__}: {exc}"[:2000]
        logger.warning("dossier document %s: generation failed: %s", document_id, exc)
        return document.status
    key = f"{org_id}/program-dossiers/{document.participant_id}/{document.id}.pdf"
    await storage_for(settings).put(key, content, pdf.MEDIA_TYPE)
    document.storage_key, document.size = key, len(content)
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.status, document.error, document.generated_at = "ready", None, clock.now()
    return document.status


PRUNE_BATCH = 500


async def prune_dossier_documents(
    sessionmaker: SessionMaker, clock: Clock, settings: Settings
) -> int:
    """The daily cron: dossier PDFs superseded by a newer one for the same participant and
    audience go, stored file first, `dossier_document_retention_days` after they were made
    (every export of a changed dossier adds a document). A storage failure leaves the row,
    so the next run deletes both. Each deletion is audited. Returns how many were deleted."""
    made_before = clock.now() - timedelta(days=settings.dossier_document_retention_days)
    storage = storage_for(settings)

    async def prune(session: AsyncSession, org_id: uuid.UUID) -> int:
        deleted = 0
        while True:
            old = await repository.superseded_dossier_documents(
                session, org_id, made_before, PRUNE_BATCH
            )
            for document in old:
                if document.storage_key:
                    await storage.delete(document.storage_key)
                await session.delete(document)
            await session.flush()
            await audit.record_many(
                session,
                None,
                "program_dossier_document.pruned",
                DOSSIER_DOCUMENT,
                [
                    (d.id, {"participant_id": str(d.participant_id), "sha256": d.sha256})
                    for d in old
                ],
                org_id=org_id,
            )
            deleted += len(old)
            if len(old) < PRUNE_BATCH:
                return deleted

    return await identity.for_each_organization(
        sessionmaker, prune, label="pruning dossier documents"
    )
