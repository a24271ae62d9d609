"""An amendment version's PDF: generated in the worker, read by the employee and HR.

Every version gets one document, rendered from the organization's template (`documents`),
stored with its SHA-256 and never regenerated once ready, so the same version always gives
the same bytes. A template that fails on the data marks the version failed with the reason;
a stored file that has vanished is rendered again, and refused if the words would differ.
A ready current version asks the employee to confirm it (`confirmation`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.contracts import amendments, confirmation, documents, repository
from hrcore.contracts.models import Amendment, AmendmentVersion
from hrcore.contracts.terms import AMENDMENT_SUBJECT
from hrcore.core import audit, outbox, pdf
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict
from hrcore.core.i18n import _, bilingual
from hrcore.core.storage import StoredObjectMissing, storage_for
from hrcore.identity import api as identity
from hrcore.people import api as people
from hrcore.settings import Settings

logger = logging.getLogger("hrcore.contracts")

GENERATE_JOB = "contracts.generate_document"
PDF = "application/pdf"


def queue_document(session: AsyncSession, version: AmendmentVersion) -> None:
    """Have the worker render and store the version's PDF (`generate_document`)."""
    outbox.enqueue(
        session,
        GENERATE_JOB,
        {"amendment_id": str(version.amendment_id), "number": version.number},
        org_id=version.org_id,
    )


@dataclass(frozen=True)
class Document:
    """The current version's document: `content` is None while it is being generated;
    `content_disposition` names whose amendment and which version it is."""

    version: AmendmentVersion
    content: bytes | None
    content_disposition: str = ""


async def get_document(
    session: AsyncSession, principal: Principal, amendment_id: uuid.UUID, settings: Settings
) -> Document:
    amendment, version = await amendments.get_amendment(session, principal, amendment_id)
    if version.document_status == "pending":
        return Document(version, None)
    if version.document_status == "failed" or version.document_key is None:
        raise Conflict(
            _(
                "The document could not be generated: {document_error}",
                document_error=version.document_error,
            )
        )
    try:
        content = await storage_for(settings).get(version.document_key)
    except StoredObjectMissing:
        _regenerate_lost(session, principal, version)
        return Document(version, None)
    employee = await people.require_employee(session, amendment.org_id, amendment.employee_id)
    number = employee.employee_number
    disposition = pdf.content_disposition(
        f"变更协议-{number}-{employee.full_name}-v{version.number}.pdf",
        f"amendment-{number}-v{version.number}.pdf",
    )
    return Document(version, content, disposition)


def _regenerate_lost(
    session: AsyncSession, principal: Principal, version: AmendmentVersion
) -> None:
    """The stored PDF is gone: render the version again. The row keeps the lost file's
    SHA-256, so `generate_document` refuses a rendering that differs (the template changed
    since): the employee must never be shown other words than those they were given."""
    logger.error("amendment %s v%d: stored file missing", version.amendment_id, version.number)
    version.document_status, version.document_key = "pending", None
    queue_document(session, version)
    audit.record(
        session,
        principal,
        "contract_amendment.document_regenerated",
        AMENDMENT_SUBJECT,
        version.amendment_id,
        org_id=version.org_id,
        before={"version": version.number, "sha256": version.document_sha256},
        after={"status": "pending"},
    )


async def _template_body(session: AsyncSession, org_id: uuid.UUID) -> str:
    row = await repository.template(session, org_id)
    return row.body if row else documents.DEFAULT_TEMPLATE


async def _context(
    session: AsyncSession, amendment: Amendment, version: AmendmentVersion
) -> dict[str, Any]:
    """What a template may use (`documents.ALLOWED_VARIABLES`)."""
    org_id = amendment.org_id
    employee = await people.require_employee(session, org_id, amendment.employee_id)
    contract = await repository.contract_by_id(session, org_id, amendment.contract_id)
    assert contract is not None  # contracts are never deleted (RESTRICT)
    return {
        "organization": {"name": await identity.org_name(session, org_id)},
        "employee": {"name": employee.full_name, "number": employee.employee_number},
        "contract": {
            "kind": contract.kind,
            "kind_label": bilingual(documents.CONTRACT_KINDS.get(contract.kind, contract.kind)),
            "status": contract.status,
            "status_label": bilingual(contract.status),
            "start_date": contract.start_date.isoformat(),
            "end_date": contract.end_date.isoformat() if contract.end_date else None,
            "work_location": contract.work_location,
            "pay_terms_ref": contract.pay_terms_ref,
        },
        "amendment": {
            "version": version.number,
            "effective_date": version.effective_date.isoformat(),
            "end_date": version.end_date.isoformat() if version.end_date else None,
            "note": version.note,
        },
        "changes": [documents.displayed_change(change) for change in version.changes],
    }


def _whose(context: dict[str, Any]) -> str:
    employee = context["employee"]
    return f"{employee['number']} {employee['name']}"


async def generate_document(
    session: AsyncSession,
    org_id: uuid.UUID,
    amendment_id: uuid.UUID,
    number: int,
    settings: Settings,
    clock: Clock,
) -> str:
    """Render, store and record one version's document; returns the version's document status.

    Idempotent: a ready version is left alone, and the PDF of a version is byte-for-byte the
    same on every run. A template error is the data's fault and final (the version is marked
    failed with the reason); any other error (storage down) propagates, so the job retries.
    """
    version = await repository.version(session, org_id, amendment_id, number, for_update=True)
    amendment = await repository.amendment_by_id(session, org_id, amendment_id)
    if version is None or amendment is None or version.document_status == "ready":
        return version.document_status if version else "gone"
    try:
        context = await _context(session, amendment, version)
        text = documents.render_text(await _template_body(session, org_id), context)
    except documents.GenerationFailed as exc:
        version.document_status, version.document_error = "failed", str(exc)[:2000]
        logger.warning("amendment %s v%d: generation failed: %s", amendment_id, number, exc)
        return version.document_status
    content = await asyncio.to_thread(
        pdf.render_pdf,
        text,
        font_path=pdf.font_path(settings),
        title=f"变更协议 / Contract amendment {_whose(context)} v{number}",
        created_at=version.created_at,
    )
    digest = hashlib.sha256(content).hexdigest()
    if version.document_sha256 not in (None, digest):
        version.document_status = "failed"
        version.document_error = (
            "The stored document was lost and the template has changed since: rendering it "
            f"again gives other text (lost file SHA-256 {version.document_sha256})"
        )
        logger.error("amendment %s v%d: %s", amendment_id, number, version.document_error)
        return version.document_status
    key = f"{org_id}/contract-amendments/{amendment_id}/v{number}.pdf"
    await storage_for(settings).put(key, content, PDF)
    version.document_key, version.document_size = key, len(content)
    version.document_sha256 = digest
    version.document_status, version.document_error = "ready", None
    version.generated_at = clock.now()
    if amendment.current_version == number and amendment.status == "draft":
        await confirmation.ask_to_confirm(session, amendment, clock)
    return version.document_status
