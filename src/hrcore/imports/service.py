"""Bulk import of employees from CSV or XLSX: every row checked, nothing half-imported.

Small files are imported within the request. Larger ones are stored and imported by the
worker, which reports progress on the import resource while it works.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, outbox
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.db import SessionMaker, get_or_404, tenant_transaction
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import N_, _
from hrcore.identity import api as identity
from hrcore.imports import parsing, repository
from hrcore.imports.models import ImportJob
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.people.api import EmployeeCreate, EmployeeImport, PerformanceRatingCreate

KIND = "employees"
JOB = "imports.employees"
REQUIRED_COLUMNS = ("employee_number", "full_name", "department", "hire_date")
OPTIONAL_COLUMNS = ("email", "phone", "position_code", "manager_number", "status")
RATING_PREFIX = "rating:"
LETTERS = ("A", "B", "C", "D")
MAX_REPORTED_ERRORS = 1000
COLUMN_OF_FIELD = {"department_id": "department", "position_id": "position_code"}


Fail = Callable[[str, str], None]


@dataclass(frozen=True)
class Lookups:
    departments: Mapping[str, uuid.UUID]
    positions: Mapping[str, uuid.UUID]


def _check_header(header: list[str]) -> None:
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    problems = [
        FieldError(field=column, message=_("required column is missing"))
        for column in REQUIRED_COLUMNS
        if column not in header
    ]
    problems += [
        FieldError(field=column, message=_("unknown column"))
        for column in header
        if column not in known and not column.startswith(RATING_PREFIX)
    ]
    if problems:
        raise Unprocessable(_("The header row does not match the import format"), errors=problems)


async def start(
    session: AsyncSession,
    principal: Principal,
    *,
    filename: str,
    content: bytes,
    inline_max_rows: int,
    clock: Clock,
) -> ImportJob:
    """Check the file's shape, record the import, and run it now or queue it."""
    require_hr_admin(principal)
    try:
        table = parsing.read_table(content, filename)
    except parsing.UnreadableFile as exc:
        raise Unprocessable(
            _("Cannot read the file: {exc}", exc=exc),
            errors=[FieldError(field="file", message=exc.args[0])],
        ) from exc
    _check_header(table.header)
    job = ImportJob(
        org_id=principal.org_id,
        kind=KIND,
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


def stalled_error(stall: timedelta) -> dict[str, Any]:
    minutes = int(stall.total_seconds() // 60)
    return _file_error(
        f"the import stopped: no progress for {minutes} minutes (the worker running it was "
        "interrupted); nothing was imported, upload the file again"
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
    lookups = Lookups(
        departments=await org.department_lookup(session, principal.org_id),
        positions=await org.position_lookup(session, principal.org_id),
    )
    rows, errors = _convert(table, lookups)
    checked = await people.check_import(session, principal, rows)
    errors += [{"row": e.row, "field": _column(e.field), "message": e.message} for e in checked]
    if errors:
        await _fail(session, job, errors, clock)
        return

    async def report(done: int) -> None:
        if progress is not None:
            await progress(done)

    async with session.begin_nested():
        created = await people.import_employees(session, principal, rows, on_progress=report)
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
    session: AsyncSession, job: ImportJob, errors: list[dict[str, Any]], clock: Clock
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


def _file_error(message: str) -> dict[str, Any]:
    return {"row": 0, "field": "file", "message": message}


def _column(field: str) -> str:
    return COLUMN_OF_FIELD.get(field, field)


def _convert(
    table: parsing.Table, lookups: Lookups
) -> tuple[list[EmployeeImport], list[dict[str, Any]]]:
    """Rows to typed imports; every problem of every row is collected, not just the first."""
    rows: list[EmployeeImport] = []
    errors: list[dict[str, Any]] = []
    for number, cells in table.rows:
        row, row_errors = _convert_row(number, cells, lookups)
        errors += row_errors
        if row is not None:
            rows.append(row)
    return rows, errors


def _convert_row(
    number: int, cells: dict[str, str], lookups: Lookups
) -> tuple[EmployeeImport | None, list[dict[str, Any]]]:
    errors: list[dict[str, Any]] = []

    def fail(column: str, message: str) -> None:
        errors.append({"row": number, "field": column, "message": message})

    department = cells.get("department", "")
    department_id = lookups.departments.get(department) or lookups.departments.get(
        department.strip("/").casefold()
    )
    if department and department_id is None:
        fail("department", f"no department with code or path {department!r}")
    position_code = cells.get("position_code", "")
    position_id = lookups.positions.get(position_code) if position_code else None
    if position_code and position_id is None:
        fail("position_code", f"no position with code {position_code!r}")
    employee = _validated_employee(cells, department_id, position_id, fail)
    ratings = _validated_ratings(cells, fail)
    if errors or employee is None:
        return None, errors
    manager = cells.get("manager_number") or None
    return EmployeeImport(
        row=number, employee=employee, manager_number=manager, ratings=ratings
    ), []


def _validated_employee(
    cells: dict[str, str],
    department_id: uuid.UUID | None,
    position_id: uuid.UUID | None,
    fail: Fail,
) -> EmployeeCreate | None:
    values = {
        "employee_number": cells.get("employee_number", ""),
        "full_name": cells.get("full_name", ""),
        "email": cells.get("email") or None,
        "phone": cells.get("phone") or None,
        "department_id": department_id or uuid.UUID(int=0),
        "position_id": position_id,
        "hire_date": cells.get("hire_date", ""),
        "status": cells.get("status") or "active",
    }
    try:
        return EmployeeCreate.model_validate(values)
    except ValidationError as exc:
        for error in exc.errors():
            fail(_column(str(error["loc"][0])), error["msg"])
        return None


def _validated_ratings(cells: dict[str, str], fail: Fail) -> list[PerformanceRatingCreate]:
    ratings = []
    for column, value in cells.items():
        if not column.startswith(RATING_PREFIX) or not value:
            continue
        period = column.removeprefix(RATING_PREFIX).strip()
        letter = value.upper()
        grade = {"letter": letter} if letter in LETTERS else {"score": value}
        try:
            ratings.append(PerformanceRatingCreate.model_validate({"period": period, **grade}))
        except ValidationError as exc:
            fail(column, "; ".join(error["msg"] for error in exc.errors()))
    return ratings
