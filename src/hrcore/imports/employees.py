"""The employee import: one row per employee — number, name, department (code or path),
hire date; optionally contact data, position, manager (in the file or already employed),
status and `rating:<period>` columns. People checks the rows together and creates them."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.i18n import _, render
from hrcore.core.validation_messages import translated_message
from hrcore.imports.kinds import Checked, ImportKind, Report, RowError, Rows
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.people.api import EmployeeCreate, EmployeeImport, PerformanceRatingCreate

REQUIRED_COLUMNS = ("employee_number", "full_name", "department", "hire_date")
OPTIONAL_COLUMNS = ("email", "phone", "position_code", "manager_number", "status")
RATING_PREFIX = "rating:"
LETTERS = ("A", "B", "C", "D")
COLUMN_OF_FIELD = {"department_id": "department", "position_id": "position_code"}


Fail = Callable[[str, str], None]


@dataclass(frozen=True)
class Lookups:
    departments: Mapping[str, uuid.UUID]
    positions: Mapping[str, uuid.UUID]


async def check(session: AsyncSession, principal: Principal, rows: Rows) -> Checked:
    """Every row converted and checked together (numbers, managers, cycles), nothing written."""
    lookups = Lookups(
        departments=await org.department_lookup(session, principal.org_id),
        positions=await org.position_lookup(session, principal.org_id),
    )
    imports, errors = _convert(rows, lookups)
    checked = await people.check_import(session, principal, imports)
    errors += [RowError(row=e.row, field=_column(e.field), message=e.message) for e in checked]
    return Checked(plan=imports, errors=errors)


async def write(
    session: AsyncSession, principal: Principal, plan: list[EmployeeImport], report: Report
) -> int:
    return await people.import_employees(session, principal, plan, on_progress=report)


EMPLOYEES = ImportKind(
    kind="employees",
    required=REQUIRED_COLUMNS,
    optional=OPTIONAL_COLUMNS,
    prefixes=(RATING_PREFIX,),
    check=check,
    write=write,
)


def _column(field: str) -> str:
    return COLUMN_OF_FIELD.get(field, field)


def _convert(rows: Rows, lookups: Lookups) -> tuple[list[EmployeeImport], list[RowError]]:
    """Rows to typed imports; every problem of every row is collected, not just the first."""
    imports: list[EmployeeImport] = []
    errors: list[RowError] = []
    for number, cells in rows:
        row, row_errors = _convert_row(number, cells, lookups)
        errors += row_errors
        if row is not None:
            imports.append(row)
    return imports, errors


def _convert_row(
    number: int, cells: dict[str, str], lookups: Lookups
) -> tuple[EmployeeImport | None, list[RowError]]:
    errors: list[RowError] = []

    def fail(column: str, message: str) -> None:
        errors.append(RowError(row=number, field=column, message=message))

    department = cells.get("department", "")
    department_id = lookups.departments.get(department) or lookups.departments.get(
        department.strip("/").casefold()
    )
    if department and department_id is None:
        fail(
            "department",
            render(_("no department with code or path {value}", value=repr(department))),
        )
    position_code = cells.get("position_code", "")
    position_id = lookups.positions.get(position_code) if position_code else None
    if position_code and position_id is None:
        fail("position_code", render(_("no position with code {value}", value=repr(position_code))))
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
            fail(_column(str(error["loc"][0])), render(translated_message(error)))
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
            fail(column, "; ".join(render(translated_message(e)) for e in exc.errors()))
    return ratings
