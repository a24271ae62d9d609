"""Uploading, reading and attaching files, and purging the ones nothing references.

An upload is checked from its bytes (size, then the format its magic numbers say, against
`HRCORE_FILE_ALLOWED_TYPES`), stored through `core.storage` under `<org>/files/<id>` and
recorded with its uploader, size, SHA-256, recognised type and cleaned name. A submission or
an answer that names it attaches it to that object (`attach`); from then on whoever may see
the object may read it. What nothing references is deleted after
`HRCORE_FILE_UNREFERENCED_RETENTION_HOURS`, and so are stored bytes no row names (an upload
whose commit failed after its bytes were stored).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_user
from hrcore.core.clock import Clock
from hrcore.core.db import SessionMaker
from hrcore.core.errors import (
    FieldError,
    NotFound,
    PayloadTooLarge,
    Unprocessable,
    UnsupportedMediaType,
)
from hrcore.core.i18n import _
from hrcore.core.storage import (
    DocumentStorage,
    StorageUnavailable,
    StoredObjectMissing,
    storage_for,
)
from hrcore.files import access, repository
from hrcore.files.models import StoredFile
from hrcore.files.schemas import FileOut
from hrcore.files.sniffing import clean_name, sniff
from hrcore.identity import api as identity
from hrcore.people import api as people
from hrcore.settings import Settings

logger = logging.getLogger(__name__)
PURGE_BATCH = 500


async def upload(
    session: AsyncSession,
    principal: Principal,
    *,
    content: bytes,
    file_name: str | None,
    settings: Settings,
    clock: Clock,
) -> StoredFile:
    """Store one file for the caller (a user: a key submits nothing). 413 over the size
    limit, 415 when its bytes are not an accepted format, 422 when empty."""
    require_user(principal)
    if not content:
        raise Unprocessable(
            _("The file is empty"), errors=[FieldError(field="file", message=_("empty"))]
        )
    if len(content) > settings.file_max_bytes:
        raise PayloadTooLarge(
            _("A file may have at most {limit} bytes", limit=settings.file_max_bytes)
        )
    name = clean_name(file_name)
    media_type = sniff(content, name)
    if media_type is None or media_type not in settings.file_allowed_types:
        raise UnsupportedMediaType(
            _(
                "This kind of file is not accepted; accepted: {types}",
                types=", ".join(settings.file_allowed_types),
            )
        )
    row = StoredFile(
        org_id=principal.org_id,
        file_name=name,
        content_type=media_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=principal.id,
        employee_id=principal.employee_id,
        uploaded_at=clock.now(),
    )
    row.storage_key = f"{principal.org_id}/files/{row.id}"
    # Stored before the row commits: a failed commit leaves bytes no row names, never a
    # row without its bytes.
    await storage_for(settings).put(row.storage_key, content, media_type)
    session.add(row)
    await session.flush()
    audit.record(
        session,
        principal,
        "file.uploaded",
        "file",
        row.id,
        org_id=principal.org_id,
        after={"file_name": name, "content_type": media_type, "size": row.size},
    )
    return row


async def view(session: AsyncSession, row: StoredFile) -> FileOut:
    """The file's metadata, its uploader named (one statement)."""
    uploader = None
    if row.employee_id is not None:
        refs = await people.employee_refs(session, row.org_id, [row.employee_id])
        uploader = refs.get(row.employee_id)
    return FileOut(
        id=row.id,
        file_name=row.file_name,
        content_type=row.content_type,
        size=row.size,
        sha256=row.sha256,
        uploaded_at=row.uploaded_at,
        uploader=uploader,
        attached=row.subject_id is not None,
    )


async def content(
    session: AsyncSession, principal: Principal, file_id: uuid.UUID, settings: Settings
) -> tuple[StoredFile, bytes]:
    """The file and its bytes, for whoever may read it (else 404)."""
    row = await access.readable_file(session, principal, file_id)
    try:
        data = await storage_for(settings).get(row.storage_key)
    except StoredObjectMissing:
        logger.error("file %s: stored object %s is missing", row.id, row.storage_key)
        raise NotFound(_("The content of this file is missing from the storage")) from None
    return row, data


async def attach(
    session: AsyncSession,
    *,
    org_id: uuid.UUID,
    refs: Sequence[str | uuid.UUID],
    employee_id: uuid.UUID | None,
    subject_type: str,
    subject_id: uuid.UUID,
    field: str,
) -> list[uuid.UUID]:
    """Make `refs` the files of the subject: each must be a file of the organization that
    `employee_id` (the submitter) uploaded and not attached elsewhere, else 422 naming
    `<field>.<index>` and nothing changes. Files the subject had and `refs` no longer name
    are referenced by nothing again (and purged in time)."""
    errors: list[FieldError] = []
    wanted: list[tuple[int, uuid.UUID]] = []
    for index, ref in enumerate(refs):
        try:
            file_id = ref if isinstance(ref, uuid.UUID) else uuid.UUID(ref)
        except ValueError:
            errors.append(FieldError(field=f"{field}.{index}", message=_("not a file id")))
            continue
        if any(file_id == seen for _index, seen in wanted):
            errors.append(FieldError(field=f"{field}.{index}", message=_("listed twice")))
            continue
        wanted.append((index, file_id))
    ids = [file_id for _index, file_id in wanted]
    rows = await repository.files_for_update(session, org_id, ids)
    for index, file_id in wanted:
        row = rows.get(file_id)
        if row is None or employee_id is None or row.employee_id != employee_id:
            message = _("no file of yours has this id")
        elif row.subject_id is not None and (row.subject_type, row.subject_id) != (
            subject_type,
            subject_id,
        ):
            message = _("this file is attached to something else")
        else:
            continue
        errors.append(FieldError(field=f"{field}.{index}", message=message))
    if errors:
        raise Unprocessable(_("Some attachments cannot be used"), errors=errors)
    await repository.detach_others(session, org_id, subject_type, subject_id, ids)
    for row in rows.values():
        row.subject_type, row.subject_id = subject_type, subject_id
    await session.flush()
    return ids


async def purge_unreferenced(sessionmaker: SessionMaker, clock: Clock, settings: Settings) -> int:
    """The hourly cron: files nothing references, uploaded more than the retention ago, go
    (stored bytes first: a storage failure leaves the row, so the next run deletes both), each
    audited as `file.purged`; then stored bytes under the organization's `files/` that no row
    names and older than the retention. Returns how many files and orphans were deleted."""
    before = clock.now() - timedelta(hours=settings.file_unreferenced_retention_hours)
    storage = storage_for(settings)

    async def purge(session: AsyncSession, org_id: uuid.UUID) -> int:
        deleted = 0
        while True:
            rows = await repository.unreferenced_before(session, org_id, before, PURGE_BATCH)
            for row in rows:
                await storage.delete(row.storage_key)
                await session.delete(row)
            await audit.record_many(
                session,
                None,
                "file.purged",
                "file",
                [(row.id, {"size": row.size, "sha256": row.sha256}) for row in rows],
                org_id=org_id,
                before={"attached": False},
            )
            await session.flush()
            deleted += len(rows)
            if len(rows) < PURGE_BATCH:
                return deleted + await _purge_orphans(session, storage, org_id, before)

    return await identity.for_each_organization(
        sessionmaker, purge, label="purging unreferenced files"
    )


async def _purge_orphans(
    session: AsyncSession, storage: DocumentStorage, org_id: uuid.UUID, before: datetime
) -> int:
    """Delete the organization's stored uploads that no row names, written before `before`
    (a younger one may be an upload whose row is still being committed)."""
    try:
        listed = await storage.list_under(f"{org_id}/files/")
    except StorageUnavailable:
        # the rows purged before stay purged (their bytes are gone); orphans wait an hour
        logger.warning("listing the stored uploads of %s failed", org_id, exc_info=True)
        return 0
    stale = [stored.key for stored in listed if stored.modified_at < before]
    named = await repository.named_keys(session, org_id, stale)
    orphans = [key for key in stale if key not in named]
    for key in orphans:
        await storage.delete(key)
    if orphans:
        logger.info("deleted %d stored uploads no file names in %s", len(orphans), org_id)
    return len(orphans)
