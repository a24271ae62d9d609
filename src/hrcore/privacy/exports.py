"""Own-data exports 「我的数据」 (PIPL Art. 45): the person asks, the worker gathers everything
hrcore holds about them (`exports_content`) and stores it as JSON and a readable PDF in the
language they asked in; only that person downloads it (404 for anyone else, HR included),
until it expires (410 after; a daily cron deletes the files). Each step is audited."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, i18n, outbox, pdf
from hrcore.core.authz import Principal, own_employee_id, require_user
from hrcore.core.clock import Clock
from hrcore.core.db import SessionMaker, get_or_404
from hrcore.core.errors import Conflict, Gone, NotFound
from hrcore.core.i18n import N_, Moment, _
from hrcore.core.pagination import Page, PageParams, paginate
from hrcore.core.storage import storage_for
from hrcore.identity import api as identity
from hrcore.notifications import api as notifications
from hrcore.privacy import exports_content, exports_text
from hrcore.privacy.exports_models import DataExport
from hrcore.privacy.exports_schemas import DataExportFormat, DataExportOut
from hrcore.privacy.requests_settings import deadlines
from hrcore.settings import Settings

EXPORT_JOB = "privacy.build_data_export"
SUBJECT = "data_export"
JSON_TYPE = "application/json"
logger = logging.getLogger(__name__)


async def start(session: AsyncSession, principal: Principal, clock: Clock) -> DataExportOut:
    """The caller asks for an export of their data (404 without an employee record); the
    worker builds it. One pending export at a time (409)."""
    require_user(principal)
    employee_id = own_employee_id(principal)
    pending = await session.scalar(
        select(DataExport.id).where(
            DataExport.org_id == principal.org_id,
            DataExport.employee_id == employee_id,
            DataExport.status == "pending",
        )
    )
    if pending is not None:
        raise Conflict(_("An export of your data is being built already"))
    export = DataExport(
        org_id=principal.org_id,
        employee_id=employee_id,
        requested_by=principal.id,
        locale=i18n.current_locale(),
        status="pending",
        requested_at=clock.now(),
    )
    session.add(export)
    await session.flush()
    outbox.enqueue(session, EXPORT_JOB, {"export_id": str(export.id)}, org_id=export.org_id)
    audit.record(
        session,
        principal,
        "data_export.requested",
        SUBJECT,
        export.id,
        org_id=export.org_id,
        after={"employee_id": str(employee_id), "locale": export.locale},
    )
    return DataExportOut.model_validate(export)


async def own_export(
    session: AsyncSession, principal: Principal, export_id: uuid.UUID
) -> DataExport:
    """The caller's export; 404 for anyone else's, HR included."""
    require_user(principal)
    export = await get_or_404(
        session, DataExport, principal.org_id, export_id, what=N_("data export")
    )
    if export.requested_by != principal.id or export.employee_id != principal.employee_id:
        raise NotFound(_("No such data export"))
    return export


async def list_exports(
    session: AsyncSession, principal: Principal, page: PageParams
) -> Page[DataExportOut]:
    """The caller's exports, newest first."""
    require_user(principal)
    employee_id = own_employee_id(principal)
    rows, cursor = await paginate(
        session,
        select(DataExport).where(
            DataExport.org_id == principal.org_id,
            DataExport.employee_id == employee_id,
            DataExport.requested_by == principal.id,
        ),
        [DataExport.requested_at, DataExport.id],
        page,
        descending=True,
    )
    return Page[DataExportOut](
        items=[DataExportOut.model_validate(row) for row in rows], next_cursor=cursor
    )


async def download(
    session: AsyncSession,
    principal: Principal,
    export_id: uuid.UUID,
    kind: DataExportFormat,
    clock: Clock,
    settings: Settings,
) -> tuple[bytes, str, str]:
    """The file's bytes, media type and name: 409 until ready, 410 once expired. Audited."""
    export = await own_export(session, principal, export_id)
    now = clock.now()
    if export.status == "expired" or (export.expires_at is not None and export.expires_at <= now):
        zone = await identity.org_timezone(session, export.org_id)
        expired = Moment(export.expires_at or now, zone)
        raise Gone(_("This export expired on {moment}", moment=expired))
    if export.status != "ready":
        raise Conflict(_("This export is not ready"))
    key = export.json_key if kind == DataExportFormat.JSON else export.pdf_key
    assert key is not None, "a ready export has both files"
    content = await storage_for(settings).get(key)
    audit.record(
        session,
        principal,
        "data_export.downloaded",
        SUBJECT,
        export.id,
        org_id=export.org_id,
        after={"format": kind.value},
    )
    media = JSON_TYPE if kind == DataExportFormat.JSON else pdf.MEDIA_TYPE
    return content, media, f"hrcore-my-data-{export.id}.{kind.value}"


async def build(
    session: AsyncSession,
    org_id: uuid.UUID,
    export_id: uuid.UUID,
    settings: Settings,
    clock: Clock,
) -> str:
    """The worker's job: gather, render and store one pending export; its status.
    Idempotent: only a pending export is built. A requester whose account is gone fails it;
    a storage error propagates, so the job retries."""
    export = await session.get(DataExport, export_id, with_for_update=True)
    if export is None or export.org_id != org_id or export.status != "pending":
        return export.status if export is not None else "gone"
    principal = await identity.principal_for_user(session, org_id, export.requested_by)
    if principal is None or principal.employee_id != export.employee_id:
        export.status, export.error = "failed", "the requesting account is gone"
        return export.status
    with i18n.using(export.locale):
        content = await exports_content.gather(session, principal, export.employee_id, clock)
        zone = await identity.org_timezone(session, org_id)
        text, title = exports_text.document(content, zone)
    data = json.dumps(content, ensure_ascii=False, indent=2, default=str).encode()
    document = await asyncio.to_thread(
        pdf.render_pdf, text, font_path=pdf.font_path(settings), title=title, created_at=clock.now()
    )
    base = f"{org_id}/data-exports/{export.id}"
    storage = storage_for(settings)
    await storage.put(f"{base}/data.json", data, JSON_TYPE)
    await storage.put(f"{base}/data.pdf", document, pdf.MEDIA_TYPE)
    days = (await deadlines(session, org_id)).export_link_days
    export.json_key, export.pdf_key = f"{base}/data.json", f"{base}/data.pdf"
    export.json_size, export.pdf_size = len(data), len(document)
    export.sections = len(content["sections"])
    export.ready_at = clock.now()
    export.expires_at = export.ready_at + timedelta(days=days)
    export.status = "ready"
    audit.record(
        session,
        None,
        "data_export.built",
        SUBJECT,
        export.id,
        org_id=org_id,
        after={"sections": export.sections, "json_size": export.json_size},
    )
    await _tell_requester(session, export)
    return export.status


async def _tell_requester(session: AsyncSession, export: DataExport) -> None:
    zone = await identity.org_timezone(session, export.org_id)
    assert export.expires_at is not None
    await notifications.notify(
        session,
        org_id=export.org_id,
        user_ids=[export.requested_by],
        kind="privacy.data_export_ready",
        title=_("Your data export is ready"),
        body=_("Download it before {moment}.", moment=Moment(export.expires_at, zone)),
        subject_type=SUBJECT,
        subject_id=export.id,
        dedupe_key=f"data_export:{export.id}:ready",
    )


async def expire(sessionmaker: SessionMaker, clock: Clock, settings: Settings) -> int:
    """The daily cron: exports past their expiry lose their files (stored files first; a
    storage failure leaves the row for the next run) and become `expired`. Audited; how many."""
    storage = storage_for(settings)
    now = clock.now()

    async def sweep(session: AsyncSession, org_id: uuid.UUID) -> int:
        rows = (
            await session.scalars(
                select(DataExport)
                .where(
                    DataExport.org_id == org_id,
                    DataExport.status == "ready",
                    DataExport.expires_at <= now,
                )
                .with_for_update(skip_locked=True)
            )
        ).all()
        for export in rows:
            for key in (export.json_key, export.pdf_key):
                if key is not None:
                    await storage.delete(key)
            export.status, export.json_key, export.pdf_key = "expired", None, None
        await session.flush()
        await audit.record_many(
            session,
            None,
            "data_export.expired",
            SUBJECT,
            [(export.id, {"employee_id": str(export.employee_id)}) for export in rows],
            org_id=org_id,
        )
        return len(rows)

    return await identity.for_each_organization(sessionmaker, sweep, label="expiring data exports")
