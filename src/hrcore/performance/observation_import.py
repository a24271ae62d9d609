"""Metric observations from CSV or XLSX through imports' flow (`POST /imports/metric-observations`):
one row per observation — `employee_number` or `department` (code or path of names),
`indicator`, `value`, `observed_at` (ISO date or moment; without a zone it is the
organization's local time), `external_id`, optionally `source` (`import` when left out).

Each row is refused for the reasons the batch endpoint refuses an item (`ingestion.refusals`:
the same texts), and the file is then all or nothing as every import is. The rows are
written through the batch endpoint's own use case (`ingestion.ingest`), in chunks of its
largest batch: a row already stored is left unchanged, a changed value is a correction kept
as the next revision and audited, and the touched live scores are recomputed in the worker."""

from __future__ import annotations

import math
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.i18n import Text, _, render
from hrcore.identity import api as identity
from hrcore.imports import api as imports
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.performance import ingestion
from hrcore.performance.schemas import MAX_BATCH, ObservationIn

KIND = "metric_observations"
DEFAULT_SOURCE = "import"
COLUMN_OF_FIELD = {"employee_id": "employee_number", "department_id": "department"}


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _moment(text: str, zone: ZoneInfo) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


class _Rows:
    """The file's rows converted to observations, and every problem on its row and column."""

    def __init__(self) -> None:
        self.items: list[ObservationIn] = []
        self.numbers: list[int] = []
        self.errors: list[imports.RowError] = []

    def fail(self, row: int, column: str, message: Text | str) -> None:
        self.errors.append(imports.RowError(row=row, field=column, message=render(message)))


def _subject(
    number: int,
    cells: dict[str, str],
    employees: dict[str, uuid.UUID],
    departments: dict[str, uuid.UUID],
    rows: _Rows,
) -> dict[str, Any] | None:
    employee, department = cells.get("employee_number", ""), cells.get("department", "")
    if bool(employee) == bool(department):
        rows.fail(
            number, "employee_number", _("name exactly one of employee_number and department")
        )
        return None
    if employee:
        if employee not in employees:
            rows.fail(number, "employee_number", _("no such employee"))
            return None
        return {"employee_id": employees[employee]}
    found = departments.get(department) or departments.get(department.strip("/").casefold())
    if found is None:
        rows.fail(number, "department", _("no such department"))
        return None
    return {"department_id": found}


def _convert(
    number: int,
    cells: dict[str, str],
    subject: dict[str, Any] | None,
    zone: ZoneInfo,
    rows: _Rows,
) -> None:
    value = _number(cells.get("value", ""))
    moment = _moment(cells.get("observed_at", ""), zone)
    if value is None:
        rows.fail(number, "value", _("the value must be a finite number"))
    if moment is None:
        rows.fail(number, "observed_at", _("a date (YYYY-MM-DD) or an ISO 8601 moment"))
    if subject is None or value is None or moment is None:
        return
    values = subject | {
        "indicator": cells.get("indicator", ""),
        "value": value,
        "observed_at": moment,
        "source": cells.get("source") or DEFAULT_SOURCE,
        "external_id": cells.get("external_id", ""),
    }
    try:
        rows.items.append(ObservationIn.model_validate(values))
        rows.numbers.append(number)
    except ValidationError as exc:
        for error in exc.errors():
            column = str(error["loc"][0]) if error["loc"] else "file"
            rows.fail(number, column, _("not a valid {column}", column=column))


def _refused_column(item: ObservationIn, repeated: bool) -> str:
    """The column a refusal of `ingestion.refusals` is about (the subject is checked here)."""
    if not math.isfinite(item.value):
        return "value"
    return "external_id" if repeated else "indicator"


async def check(
    session: AsyncSession, principal: Principal, table: imports.Rows
) -> imports.Checked:
    """Every row converted and refused for the batch endpoint's reasons; nothing written.
    Lookups: employees by number and departments by code or path (one statement each), the
    time zone, then the batch endpoint's checks over all the rows at once."""
    org_id = principal.org_id
    employees = await people.employee_ids_by_number(
        session, org_id, list({c["employee_number"] for _, c in table if c.get("employee_number")})
    )
    departments = await org.department_lookup(session, org_id)
    zone = ZoneInfo(await identity.org_timezone(session, org_id))
    rows = _Rows()
    for number, cells in table:
        _convert(number, cells, _subject(number, cells, employees, departments, rows), zone, rows)
    refused = await ingestion.refusals(session, org_id, rows.items)
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(rows.items):
        key = (item.source, item.external_id)
        if index in refused:
            rows.fail(rows.numbers[index], _refused_column(item, key in seen), refused[index])
        else:
            seen.add(key)
    return imports.Checked(plan=rows.items, errors=rows.errors)


async def write(
    session: AsyncSession, principal: Principal, plan: list[ObservationIn], report: imports.Report
) -> int:
    """The checked rows through the batch endpoint's use case, a batch at a time; how many
    were recorded or corrected (repeats of stored rows are left as they are)."""
    written = 0
    for start in range(0, len(plan), MAX_BATCH):
        outcome = await ingestion.ingest(session, principal, plan[start : start + MAX_BATCH])
        written += outcome.recorded + outcome.corrected
        await report(min(start + MAX_BATCH, len(plan)))
    return written


OBSERVATIONS = imports.ImportKind(
    kind=KIND,
    required=("indicator", "value", "observed_at", "external_id"),
    optional=("employee_number", "department", "source"),
    check=check,
    write=write,
)
