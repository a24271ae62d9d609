"""Reads: the observations (filtered, cursor-paginated) and an employee's live scores.

Both are one statement at the driver whose rows go straight into the response model (the
names of employees, departments and schemes joined in), after the access check.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.pagination import Page, PageParams, cut_page, decode_cursor
from hrcore.performance import access, ingestion_scope, repository
from hrcore.performance.schemas import EmployeePerformanceOut, ObservationOut

PERIODS_SHOWN = 24
"""The newest periods an employee's performance shows (two years of months)."""
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)


async def observations(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    employee_id: uuid.UUID | None,
    indicator: str | None,
    observed_from: datetime | None,
    observed_before: datetime | None,
) -> Page[ObservationOut]:
    """Every stored revision, oldest first, for HR admins and metrics keys (a key limited to
    departments: theirs, `ingestion_scope`)."""
    access.require_metrics_writer(principal)
    window = (observed_from or EARLIEST, observed_before or LATEST)
    if window[1] <= window[0]:
        raise Unprocessable(
            _("The window is empty"),
            errors=[
                FieldError(field="query.observed_before", message=_("must be after observed_from"))
            ],
        )
    after = decode_cursor(page.cursor, [uuid.UUID])[0] if page.cursor else None
    reach = await ingestion_scope.key_reach(session, principal)
    rows = (
        await repository.observations(
            session, principal.org_id, window, employee_id, indicator, after, page.limit + 1
        )
        if reach is None
        else await repository.scoped_observations(
            session, principal.org_id, window, employee_id, indicator, after, page.limit + 1, reach
        )
    )
    shown, cursor = cut_page(rows, ["id"], page)
    items = [
        dict(row)
        | {
            "employee": {"id": row["employee_id"], "name": row["employee_name"]}
            if row["employee_id"]
            else None,
            "department": {"id": row["department_id"], "name": row["department_name"]}
            if row["department_id"]
            else None,
        }
        for row in shown
    ]
    return Page[ObservationOut].model_validate({"items": items, "next_cursor": cursor})


async def employee_performance(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID
) -> EmployeePerformanceOut:
    """The employee's newest period scores, explained (404 outside the caller's reach)."""
    employee = await access.viewable_employee(session, principal, employee_id)
    rows = await repository.scores_of(session, principal.org_id, employee.id, PERIODS_SHOWN)
    periods = [
        dict(row) | {"scheme": {"id": row["scheme_id"], "name": row["scheme_name"]}} for row in rows
    ]
    return EmployeePerformanceOut.model_validate(
        {"employee": {"id": employee.id, "name": employee.full_name}, "periods": periods}
    )
