"""Exports of lists (`/exports`): the requester asks for a list's rows in a format, checked
against their scope as the list itself would be (404/403/422 at once); the worker writes
them with core.spreadsheets' streaming writer, in the requester's scope and language as
they are when it runs, and stores the file; only the requester downloads it (404 for anyone
else), until it expires (410 after; a daily cron deletes the files). Each step is audited."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics import drill_down, exports_tables, window
from hrcore.analytics.exports_models import SpreadsheetExport
from hrcore.analytics.exports_schemas import (
    AnalyticsPeopleFilters,
    SpreadsheetExportIn,
    SpreadsheetExportOut,
)
from hrcore.core import audit, i18n, outbox, spreadsheets
from hrcore.core.authz import Principal, require_user
from hrcore.core.clock import Clock
from hrcore.core.db import SessionMaker, get_or_404
from hrcore.core.errors import Conflict, Gone, NotFound, ProblemError
from hrcore.core.i18n import N_, Moment, _
from hrcore.core.pagination import Page, PageParams, paginate
from hrcore.core.spreadsheets import SheetFormat
from hrcore.core.storage import storage_for
from hrcore.identity import api as identity
from hrcore.settings import Settings

EXPORT_JOB = "analytics.build_export"
SUBJECT = "spreadsheet_export"
LINK_DAYS = 7
"""How long a built export stays downloadable."""


async def _drill(
    session: AsyncSession, principal: Principal, filters: AnalyticsPeopleFilters, clock: Clock
) -> drill_down.Drill:
    return await drill_down.drill(
        session,
        principal,
        filters.figure,
        filters.department_id,
        window.WindowQuery(filters.start, filters.end),
        filters.step,
        filters.dimension,
        clock,
    )


async def request(
    session: AsyncSession, principal: Principal, body: SpreadsheetExportIn, clock: Clock
) -> SpreadsheetExportOut:
    """Checks the list's filters as the list would (an unknown figure or a department
    beyond reach 404, a reader of no analytics 403, a bad step or window 422), fixes the
    window and queues the build."""
    require_user(principal)
    asked = await _drill(session, principal, body.filters, clock)
    filters = body.filters.model_copy(update={"start": asked.window[0], "end": asked.window[1]})
    export = SpreadsheetExport(
        org_id=principal.org_id,
        requested_by=principal.id,
        kind=body.kind.value,
        filters=filters.model_dump(mode="json"),
        format=body.format.value,
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
        "spreadsheet_export.requested",
        SUBJECT,
        export.id,
        org_id=export.org_id,
        after={"kind": export.kind, "format": export.format, "filters": export.filters},
    )
    return SpreadsheetExportOut.model_validate(export)


async def own_export(
    session: AsyncSession, principal: Principal, export_id: uuid.UUID
) -> SpreadsheetExport:
    """The caller's export; 404 for anyone else's, HR included."""
    require_user(principal)
    export = await get_or_404(
        session, SpreadsheetExport, principal.org_id, export_id, what=N_("export")
    )
    if export.requested_by != principal.id:
        raise NotFound(_("No such export"))
    return export


async def list_mine(
    session: AsyncSession, principal: Principal, page: PageParams
) -> Page[SpreadsheetExportOut]:
    """The caller's exports, newest first."""
    require_user(principal)
    rows, cursor = await paginate(
        session,
        select(SpreadsheetExport).where(
            SpreadsheetExport.org_id == principal.org_id,
            SpreadsheetExport.requested_by == principal.id,
        ),
        [SpreadsheetExport.requested_at, SpreadsheetExport.id],
        page,
        descending=True,
    )
    return Page[SpreadsheetExportOut](
        items=[SpreadsheetExportOut.model_validate(row) for row in rows], next_cursor=cursor
    )


async def download(
    session: AsyncSession,
    principal: Principal,
    export_id: uuid.UUID,
    clock: Clock,
    settings: Settings,
) -> tuple[bytes, str, str]:
    """The file's bytes, media type and name: 409 until ready, 410 once expired. Audited."""
    export = await own_export(session, principal, export_id)
    now = clock.now()
    if export.status == "expired" or (export.expires_at is not None and export.expires_at <= now):
        zone = await identity.org_timezone(session, export.org_id)
        raise Gone(
            _("This export expired on {moment}", moment=Moment(export.expires_at or now, zone))
        )
    if export.status != "ready":
        raise Conflict(_("This export is not ready"))
    assert export.file_key is not None, "a ready export has its file"
    content = await storage_for(settings).get(export.file_key)
    audit.record(
        session,
        principal,
        "spreadsheet_export.downloaded",
        SUBJECT,
        export.id,
        org_id=export.org_id,
        after={"format": export.format, "size": len(content)},
    )
    form = SheetFormat(export.format)
    name = f"hrcore-export-{export.id}.{form.value}"
    return content, spreadsheets.MEDIA_TYPES[form], name


async def build(
    session: AsyncSession,
    org_id: uuid.UUID,
    export_id: uuid.UUID,
    settings: Settings,
    clock: Clock,
) -> str:
    """The worker's job: write and store one pending export; its status. Idempotent: only
    a pending export is built. A requester whose account is gone, or whose scope no longer
    holds the filters, fails it; a storage error propagates, so the job retries."""
    export = await session.get(SpreadsheetExport, export_id, with_for_update=True)
    if export is None or export.org_id != org_id or export.status != "pending":
        return export.status if export is not None else "gone"
    principal = await identity.principal_for_user(session, org_id, export.requested_by)
    if principal is None:
        export.status, export.error = "failed", "the requesting account is gone"
        return export.status
    filters = AnalyticsPeopleFilters.model_validate(export.filters)
    with i18n.using(export.locale):
        try:
            asked = await _drill(session, principal, filters, clock)
        except ProblemError as refused:
            export.status, export.error = "failed", str(refused)
            return export.status
        header = exports_tables.people_header()

    @asynccontextmanager
    async def this_session() -> AsyncIterator[AsyncSession]:
        yield session

    form = SheetFormat(export.format)
    writer = spreadsheets.SheetWriter(form, exports_tables.people_name(asked))
    rows = exports_tables.people_rows(this_session, org_id, asked, export.locale)
    content = b"".join([chunk async for chunk in spreadsheets.write(writer, header, rows)])
    key = f"{org_id}/spreadsheet-exports/{export.id}.{form.value}"
    await storage_for(settings).put(key, content, spreadsheets.MEDIA_TYPES[form])
    export.file_key, export.size, export.rows = key, len(content), writer.rows
    export.ready_at = clock.now()
    export.expires_at = export.ready_at + timedelta(days=LINK_DAYS)
    export.status = "ready"
    audit.record(
        session,
        None,
        "spreadsheet_export.built",
        SUBJECT,
        export.id,
        org_id=org_id,
        after={"rows": export.rows, "size": export.size},
    )
    return export.status


async def expire(sessionmaker: SessionMaker, clock: Clock, settings: Settings) -> int:
    """The daily cron: exports past their expiry lose their file (the stored file first; a
    storage failure leaves the row for the next run) and become `expired`. Audited; how many."""
    storage = storage_for(settings)
    now = clock.now()

    async def sweep(session: AsyncSession, org_id: uuid.UUID) -> int:
        rows = (
            await session.scalars(
                select(SpreadsheetExport)
                .where(
                    SpreadsheetExport.org_id == org_id,
                    SpreadsheetExport.status == "ready",
                    SpreadsheetExport.expires_at <= now,
                )
                .with_for_update(skip_locked=True)
            )
        ).all()
        for export in rows:
            if export.file_key is not None:
                await storage.delete(export.file_key)
            export.status, export.file_key = "expired", None
        await session.flush()
        await audit.record_many(
            session,
            None,
            "spreadsheet_export.expired",
            SUBJECT,
            [(export.id, {"requested_by": str(export.requested_by)}) for export in rows],
            org_id=org_id,
        )
        return len(rows)

    return await identity.for_each_organization(sessionmaker, sweep, label="expiring exports")
