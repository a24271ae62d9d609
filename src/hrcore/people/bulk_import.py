"""Bulk import of employees: every row checked before any is written, then created with
hire events, ratings and audit events (the `imports` domain parses files and calls this)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.i18n import _, render
from hrcore.people import access, repository
from hrcore.people.audit_trail import AUDITED_EMPLOYEE_FIELDS, snapshot
from hrcore.people.models import Employee, EmploymentEvent, PerformanceRating
from hrcore.people.schemas import EmployeeImport


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str


ProgressCallback = Callable[[int], Awaitable[None]]
IMPORT_CHUNK = 1000


async def check_import(
    session: AsyncSession, principal: Principal, rows: Sequence[EmployeeImport]
) -> list[RowError]:
    """Every reason the rows cannot be imported together (empty: they can), in one pass.

    Numbers must be new and unique in the file; managers must be in the file or the
    organization; managers within the file must not form a cycle.
    """
    access.require_hr_writer(principal)
    numbers = {row.employee.employee_number for row in rows}
    managers = {row.manager_number for row in rows if row.manager_number}
    existing = await repository.employees_by_numbers(
        session, principal.org_id, sorted(numbers | managers)
    )
    errors: list[RowError] = []
    first_row: dict[str, int] = {}
    for row in rows:
        number = row.employee.employee_number
        if number in existing:
            errors.append(
                RowError(
                    row.row, "employee_number", render(_("{number} already exists", number=number))
                )
            )
        elif number in first_row:
            errors.append(
                RowError(
                    row.row,
                    "employee_number",
                    render(_("{number} repeats row {row}", number=number, row=first_row[number])),
                )
            )
        first_row.setdefault(number, row.row)
        manager = row.manager_number
        if manager and manager not in existing and manager not in numbers:
            errors.append(
                RowError(
                    row.row, "manager_number", render(_("no employee {number}", number=manager))
                )
            )
        if manager == number:
            errors.append(
                RowError(row.row, "manager_number", render(_("an employee cannot manage themself")))
            )
    errors.extend(_manager_cycles(rows))
    return errors


def _manager_cycles(rows: Sequence[EmployeeImport]) -> list[RowError]:
    """Rows whose manager chain, followed through the file, comes back to them."""
    manager_of = {row.employee.employee_number: row.manager_number for row in rows}
    cyclic: list[RowError] = []
    for row in rows:
        seen = {row.employee.employee_number}
        current = row.manager_number
        while current in manager_of and current not in seen:
            seen.add(current)
            current = manager_of[current]
        if current == row.employee.employee_number and row.manager_number != current:
            cyclic.append(
                RowError(row.row, "manager_number", render(_("the manager chain forms a cycle")))
            )
    return cyclic


def _managers_first(rows: Sequence[EmployeeImport]) -> list[EmployeeImport]:
    """Order rows so each manager in the file comes before their reports."""
    by_number = {row.employee.employee_number: row for row in rows}
    ordered: list[EmployeeImport] = []
    placed: set[str] = set()

    def place(row: EmployeeImport) -> None:
        number = row.employee.employee_number
        if number in placed:
            return
        placed.add(number)
        manager = by_number.get(row.manager_number or "")
        if manager is not None:
            place(manager)
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered


async def import_employees(
    session: AsyncSession,
    principal: Principal,
    rows: Sequence[EmployeeImport],
    *,
    on_progress: ProgressCallback | None = None,
) -> int:
    """Create checked rows (see `check_import`) with hire events, ratings and audit events.

    Flushes in chunks and reports progress after each; the caller's transaction (or
    savepoint) makes it all or nothing.
    """
    access.require_hr_writer(principal)
    org_id = principal.org_id
    managers = [row.manager_number for row in rows if row.manager_number]
    known = await repository.employees_by_numbers(session, org_id, sorted(set(managers)))
    done = 0
    for row in _managers_first(rows):
        employee = Employee(org_id=org_id, **row.employee.model_dump(exclude={"manager_id"}))
        manager = known.get(row.manager_number or "")
        employee.manager_id = manager.id if manager else None
        employee.manager_path = manager.reports_prefix if manager else "/"
        known[employee.employee_number] = employee
        _add_imported(session, principal, employee, row)
        done += 1
        if done % IMPORT_CHUNK == 0:
            await session.flush()
            if on_progress is not None:
                await on_progress(done)
    await session.flush()
    if on_progress is not None:
        await on_progress(done)
    return done


def _add_imported(
    session: AsyncSession, principal: Principal, employee: Employee, row: EmployeeImport
) -> None:
    session.add(employee)
    session.add(
        EmploymentEvent(
            org_id=employee.org_id,
            employee_id=employee.id,
            kind="hire",
            effective_date=employee.hire_date,
            department_id=employee.department_id,
            position_id=employee.position_id,
        )
    )
    for rating in row.ratings:
        session.add(
            PerformanceRating(
                org_id=employee.org_id,
                employee_id=employee.id,
                rated_by=principal.user_id,
                **rating.model_dump(),
            )
        )
    audit.record(
        session,
        principal,
        "employee.imported",
        "employee",
        employee.id,
        org_id=employee.org_id,
        after=snapshot(employee, AUDITED_EMPLOYEE_FIELDS) | {"row": row.row},
    )
