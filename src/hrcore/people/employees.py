"""Employee records: the list in the caller's reach, hiring one, and HR's corrections
(career moves go through employment events instead)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, Scope
from hrcore.core.concurrency import check_version
from hrcore.core.db import fetch_compiled, plan_for_these_values
from hrcore.core.errors import Conflict
from hrcore.core.i18n import _
from hrcore.core.pagination import Page, PageParams, cut_page, paginate_rows
from hrcore.org import api as org
from hrcore.people import access, repository
from hrcore.people.audit_trail import AUDITED_EMPLOYEE_FIELDS, audit_employee_changes, snapshot
from hrcore.people.employment_events import mark_exited, record_event
from hrcore.people.models import Employee
from hrcore.people.references import require_employee, require_position
from hrcore.people.reporting_lines import change_manager, require_acyclic_manager
from hrcore.people.schemas import (
    EmployeeCreate,
    EmployeeOut,
    EmployeePatch,
    EmployeeSort,
    EmployeeStatus,
    EmploymentEventCreate,
)

NAMED_LINKS = {
    "department": ("department_id", "department_name"),
    "position": ("position_id", "position_title"),
    "manager": ("manager_id", "manager_name"),
}
"""Each `{id, name}` link of `EmployeeOut`: the id column it shows and the joined name."""
SORT_KEYS = {
    "full_name": Employee.full_name,
    "employee_number": Employee.employee_number,
    "hire_date": Employee.hire_date,
}


@dataclass(frozen=True)
class EmployeeFilters:
    department_id: uuid.UUID | None = None
    include_subtree: bool = False
    status: EmployeeStatus | None = None
    manager_id: uuid.UUID | None = None
    position_id: uuid.UUID | None = None
    q: str | None = None
    sort: EmployeeSort = "full_name"


async def employee_view(
    session: AsyncSession, employee: Employee, principal: Principal
) -> EmployeeOut:
    """The employee with the names of its department, position and manager: one
    statement, as a listed row (serialization masks what this caller may not see)."""
    row = await repository.listed_row(session, employee.org_id, employee.id, LISTED_COLUMNS)
    assert row is not None, "the caller holds the row"
    return EmployeeOut.model_validate(listed_item(row._mapping))


LISTED_FIELDS = [name for name in EmployeeOut.model_fields if name not in NAMED_LINKS]
LISTED_COLUMNS = [getattr(Employee, name) for name in LISTED_FIELDS]


def listed_item(row: Mapping[Any, Any]) -> dict[str, Any]:
    """A listed row (`LISTED_COLUMNS` and `repository.LISTED_NAMES`) as the response's dict:
    the names joined in the statement become the `{id, name}` links."""
    item = dict(row)
    for link, (id_key, name_key) in NAMED_LINKS.items():
        link_id, name = item[id_key], item.pop(name_key)
        item[link] = {"id": link_id, "name": name} if link_id is not None else None
    return item


async def list_employees(
    session: AsyncSession, principal: Principal, page: PageParams, filters: EmployeeFilters
) -> Page[EmployeeOut]:
    """One keyset page, always inside the caller's reach: the response's columns only, rows
    validated straight into the page (serialization masks what the caller may not see:
    core.masking). An organization-wide reader's first page without a name search — the
    mobile app's department lists — runs a statement compiled once per filter shape."""
    visible, subtree = await _reach(session, principal, filters)
    if visible is not None and filters.q is not None:
        await plan_for_these_values(session)
    if visible is None and filters.q is None and page.cursor is None:
        rows, cursor = await _common_page(session, principal, page, filters, subtree)
    else:
        statement: Select[Any] = _query(
            principal, filters, visible, subtree, joined_names=True
        ).with_only_columns(*LISTED_COLUMNS, *repository.LISTED_NAMES)
        keys = [SORT_KEYS[filters.sort], Employee.id]
        found, cursor = await paginate_rows(session, statement, keys, page)
        rows = [listed_item(row._mapping) for row in found]
    return Page[EmployeeOut].model_validate({"items": rows, "next_cursor": cursor})


async def _common_page(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    filters: EmployeeFilters,
    subtree: list[uuid.UUID] | None,
) -> tuple[Sequence[Any], str | None]:
    values: dict[str, Any] = {
        "department_ids": subtree,
        "department_id": filters.department_id if subtree is None else None,
        "status": filters.status,
        "manager_id": filters.manager_id,
        "position_id": filters.position_id,
    }
    present = frozenset(name for name, value in values.items() if value is not None)
    rows = await fetch_compiled(
        session,
        ("people.employee_list", present, filters.sort),
        lambda: repository.listed_page_statement(
            [*LISTED_COLUMNS, *repository.LISTED_NAMES], present, SORT_KEYS[filters.sort]
        ),
        org_id=principal.org_id,
        limit=page.limit + 1,
        **{name: values[name] for name in present},
    )
    items, cursor = cut_page(rows, [filters.sort, "id"], page)
    return [listed_item(row) for row in items], cursor


async def _reach(
    session: AsyncSession, principal: Principal, filters: EmployeeFilters
) -> tuple[ColumnElement[bool] | None, list[uuid.UUID] | None]:
    """The caller's visibility condition (None: the whole organization) and the requested
    department subtree's ids, if any."""
    visible = await access.visibility(session, principal, key_scope=Scope.ORG_READ)
    subtree = None
    if filters.department_id is not None and filters.include_subtree:
        subtree = await org.subtree_ids(session, principal.org_id, filters.department_id)
    return visible, subtree


def _query(
    principal: Principal,
    filters: EmployeeFilters,
    visible: ColumnElement[bool] | None,
    subtree: list[uuid.UUID] | None,
    *,
    joined_names: bool = False,
) -> Select[Any]:
    return repository.employees_query(
        principal.org_id,
        visible=visible,
        department_ids=subtree,
        department_id=filters.department_id if subtree is None else None,
        status=filters.status,
        manager_id=filters.manager_id,
        position_id=filters.position_id,
        q=filters.q,
        joined_names=joined_names,
    )


async def matching_employee_ids(
    session: AsyncSession, principal: Principal, filters: EmployeeFilters, *, limit: int
) -> list[uuid.UUID]:
    """The ids the employee list would show with these filters (in the caller's reach), at
    most `limit` — for another domain selecting people "by query"."""
    statement = _query(principal, filters, *await _reach(session, principal, filters))
    ids = statement.with_only_columns(Employee.id).order_by(Employee.id).limit(limit)
    return list(await session.scalars(ids))


async def create_employee(
    session: AsyncSession, principal: Principal, body: EmployeeCreate
) -> Employee:
    """A new employee and its `hire` event (HR only)."""
    access.require_hr_writer(principal)
    org_id = principal.org_id
    await org.require_department(session, org_id, body.department_id)
    await require_position(session, org_id, body.position_id)
    manager = None
    if body.manager_id is not None:
        manager = await require_employee(session, org_id, body.manager_id, field="manager_id")
    await require_free_number(session, org_id, body.employee_number)
    employee = Employee(org_id=org_id, **body.model_dump())
    employee.manager_path = manager.reports_prefix if manager else "/"
    await hire(session, principal, employee)
    return employee


async def hire(session: AsyncSession, actor: Principal | None, employee: Employee) -> None:
    """Add a new employee with its audit event and its `hire` employment event, on its hire
    date, department and position (HR's create and the DingTalk directory; `None`: the
    system)."""
    session.add(employee)
    await session.flush()
    audit.record(
        session,
        actor,
        "employee.created",
        "employee",
        employee.id,
        org_id=employee.org_id,
        after=snapshot(employee, AUDITED_EMPLOYEE_FIELDS),
    )
    event = EmploymentEventCreate(
        kind="hire",
        effective_date=employee.hire_date,
        department_id=employee.department_id,
        position_id=employee.position_id,
    )
    await record_event(session, actor, employee, event, applied_at=employee.created_at)


async def update_employee(
    session: AsyncSession,
    principal: Principal,
    employee_id: uuid.UUID,
    body: EmployeePatch,
    *,
    if_match: str | None,
) -> Employee:
    """Correct an employee record (HR only); career moves go through events instead. A
    status corrected to exited ends the person's sessions, as an exit event does."""
    employee = await access.find_for_hr_write(session, principal, employee_id)
    check_version(employee.version, if_match=if_match, body_version=body.version)
    fields = body.model_dump(exclude_unset=True, exclude={"version"})
    await _check_patch(session, employee, fields)
    before = snapshot(employee, AUDITED_EMPLOYEE_FIELDS)
    if "manager_id" in fields and fields["manager_id"] != employee.manager_id:
        await change_manager(session, employee, fields.pop("manager_id"))
    if fields.get("status") == "exited":
        await mark_exited(session, employee)
    for name, value in fields.items():
        setattr(employee, name, value)
    await session.flush()
    audit_employee_changes(session, principal, employee, before)
    return employee


async def _check_patch(session: AsyncSession, employee: Employee, fields: dict[str, Any]) -> None:
    org_id = employee.org_id
    if fields.get("department_id") is not None:
        await org.require_department(session, org_id, fields["department_id"])
    await require_position(session, org_id, fields.get("position_id"))
    if fields.get("manager_id") is not None:
        await require_acyclic_manager(session, employee, fields["manager_id"])
    number = fields.get("employee_number")
    if number is not None and number != employee.employee_number:
        await require_free_number(session, org_id, number)


async def require_free_number(session: AsyncSession, org_id: uuid.UUID, number: str) -> None:
    if await repository.employee_by_number(session, org_id, number) is not None:
        raise Conflict(_("Employee number '{number}' is taken", number=number))
