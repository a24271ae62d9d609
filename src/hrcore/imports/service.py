"""Bulk imports from CSV or XLSX: every row checked, nothing half-imported. What a file
holds and how its rows are written is its kind's (`kinds.ImportKind`: employees here, the
competency library in competencies); the flow is the same for every kind.

Small files are imported within the request. Larger ones are stored and imported by the
worker, which reports progress on the import resource while it works.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, outbox
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.db import SessionMaker, get_or_404, tenant_transaction
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import N_, _, render
from hrcore.identity import api as identity
from hrcore.imports import parsing, repository
from hrcore.imports.kinds import ImportKind, RowError, kind_of
from hrcore.imports.models import ImportJob

JOB = "imports.run"
MAX_REPORTED_ERRORS = 1000


def _check_header(kind: ImportKind, header: list[str]) -> None:
    known = set(kind.required) | set(kind.optional)
    problems = [
        FieldError(field=column, message=_("required column is missing"))
        for column in kind.required
        if column not in header
    ]
    problems += [
        FieldError(field=column, message=_("unknown column"))
        for column in header
        if column not in known and not column.startswith(kind.prefixes or ("\0",))
    ]
    if problems:
        raise Unprocessable(_("The header row does not match the import format"), errors=problems)


async def start(
    session: AsyncSession,
    principal: Principal,
    *,
    kind: str,
    filename: str,
    content: bytes,
    inline_max_rows: int,
    clock: Clock,
) -> ImportJob:
    """Check the file's shape against its kind, record the import, and run it now or
    queue it."""
    require_hr_admin(principal)
    try:
        table = parsing.read_table(content, filename)
    except parsing.UnreadableFile as exc:
        raise Unprocessable(
            _("Cannot read the file: {exc}", exc=exc),
            errors=[FieldError(field="file", message=exc.args[0])],
        ) from exc
    _check_header(kind_of(kind), table.header)
    job = ImportJob(
        org_id=principal.org_id,
        kind=kind,
        filename=filename[:255],
        file_format=table.file_format,
        total_rows=len(table.rows),
        created_by=principal.user_id,
        errors=[],
    )
    session.add(job)
    await session.flush()
    audit.record(
        session,
        principal,
        "import.started",
        "import",
        job.id,
        org_id=principal.org_id,
        after={"filename": job.filename, "rows": job.total_rows},
    )
    if job.total_rows > inline_max_rows:
        job.content = content
        outbox.enqueue(session, JOB, {"import_id": str(job.id)}, org_id=principal.org_id)
        return job
    await _import(session, principal, job, table, clock=clock, progress=None)
    await session.refresh(job)
    return job


async def get(
    session: AsyncSession,
    principal: Principal,
    import_id: uuid.UUID,
    *,
    clock: Clock,
    stall: timedelta,
) -> ImportJob:
    """The import; one that stalled is failed now rather than at the next cron, so a client
    polling it never waits on a worker that is gone."""
    require_hr_admin(principal, hide=True)
    await _fail_stalled(session, principal.org_id, clock, stall, import_id=import_id)
    return await get_or_404(session, ImportJob, principal.org_id, import_id, what=N_("import"))


def stalled_error(stall: timedelta) -> RowError:
    minutes = int(stall.total_seconds() // 60)
    return _file_error(
        render(
            _(
                "the import stopped: no progress for {minutes} minutes (the worker running it "
                "was interrupted); nothing was imported, upload the file again",
                minutes=minutes,
            )
        )
    )


async def _fail_stalled(
    session: AsyncSession,
    org_id: uuid.UUID,
    clock: Clock,
    stall: timedelta,
    *,
    import_id: uuid.UUID | None = None,
) -> int:
    now = clock.now()
    failed = await repository.fail_stalled(
        session,
        org_id,
        cutoff=now - stall,
        at=now,
        errors=[stalled_error(stall)],
        import_id=import_id,
    )
    for failed_id in failed:
        audit.record(
            session,
            None,
            "import.stalled",
            "import",
            failed_id,
            org_id=org_id,
            after={"stalled_minutes": int(stall.total_seconds() // 60)},
        )
    return len(failed)


async def fail_stalled_imports(sessionmaker: SessionMaker, clock: Clock, stall: timedelta) -> int:
    """The cron: every running import whose worker stopped reporting progress is failed.

    The import ran in the job's transaction, so a dead worker wrote none of its rows: failing
    it leaves nothing half-imported, and a late delivery of the job finds it finished."""

    async def fail(session: AsyncSession, org_id: uuid.UUID) -> int:
        return await _fail_stalled(session, org_id, clock, stall)

    return await identity.for_each_organization(sessionmaker, fail, label="failing stalled imports")


@dataclass(frozen=True)
class Progress:
    """Writes progress in short transactions of its own, so clients see it while we work."""

    sessionmaker: SessionMaker
    org_id: uuid.UUID
    import_id: uuid.UUID
    clock: Clock

    async def __call__(self, processed_rows: int, **values: Any) -> None:
        """Each report is also the heartbeat the stall rule (`fail_stalled`) reads."""
        async with tenant_transaction(self.sessionmaker, self.org_id) as session:
            await repository.set_state(
                session,
                self.org_id,
                self.import_id,
                processed_rows=processed_rows,
                heartbeat_at=self.clock.now(),
                **values,
            )


async def run_queued(
    session: AsyncSession, sessionmaker: SessionMaker, import_id: uuid.UUID, clock: Clock
) -> None:
    """The worker's side: import a stored file, as the user who uploaded it."""
    job = await session.get(ImportJob, import_id)
    if job is None or job.status not in ("queued", "running") or job.content is None:
        return  # gone, or finished by an earlier delivery of this job
    progress = Progress(sessionmaker, job.org_id, job.id, clock)
    await progress(0, status="running")
    principal = (
        await identity.principal_for_user(session, job.org_id, job.created_by)
        if job.created_by
        else None
    )
    if principal is None or not principal.is_hr_admin:
        await _fail(
            session, job, [_file_error("the uploading HR admin is no longer active")], clock
        )
        return
    table = parsing.read_table(job.content, job.filename)
    await _import(session, principal, job, table, clock=clock, progress=progress)


async def _import(
    session: AsyncSession,
    principal: Principal,
    job: ImportJob,
    table: parsing.Table,
    *,
    clock: Clock,
    progress: Progress | None,
) -> None:
    kind = kind_of(job.kind)
    checked = await kind.check(session, principal, table.rows)
    if checked.errors:
        await _fail(session, job, checked.errors, clock)
        return

    async def report(done: int) -> None:
        if progress is not None:
            await progress(done)

    async with session.begin_nested():
        created = await kind.write(session, principal, checked.plan, report)
    await repository.set_state(
        session,
        job.org_id,
        job.id,
        **repository.finished(
            clock.now(), status="succeeded", processed_rows=job.total_rows, created_rows=created
        ),
    )
    audit.record(
        session,
        principal,
        "import.succeeded",
        "import",
        job.id,
        org_id=job.org_id,
        after={"created_rows": created},
    )


async def _fail(
    session: AsyncSession, job: ImportJob, errors: list[RowError], clock: Clock
) -> None:
    errors.sort(key=lambda error: (error["row"], error["field"]))
    await repository.set_state(
        session,
        job.org_id,
        job.id,
        **repository.finished(
            clock.now(),
            status="failed",
            processed_rows=job.total_rows,
            errors=errors[:MAX_REPORTED_ERRORS],
        ),
    )


def _file_error(message: str) -> RowError:
    return {"row": 0, "field": "file", "message": message}
