"""Employees, employment events, ratings, growth profiles and the panoramic profile.

Visibility lives here because every domain asks the same two questions — whom may this caller
see, and whose work data may they change — and must get the same answers:
`visible_employee_ids`, `ensure_can_view` and `ensure_can_manage`.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, events
from hrcore.core.authz import Principal, Scope
from hrcore.core.clock import Clock
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.schemas import Ref
from hrcore.identity import service as identity
from hrcore.org import api as org
from hrcore.people import repository
from hrcore.people.models import Employee as Employee  # noqa: PLC0414 (for other domains)
from hrcore.people.models import EmploymentEvent, GrowthProfile, PerformanceRating
from hrcore.people.schemas import (
    CurrentPost,
    EmployeeCreate,
    EmployeeImport,
    EmployeeOut,
    EmployeePatch,
    EmployeeSort,
    EmployeeStatus,
    EmploymentEventCreate,
    EmploymentEventOut,
    GrowthProfileIn,
    GrowthProfileOut,
    PanoramicProfile,
    PerformanceRatingCreate,
    PerformanceRatingOut,
    PositionRef,
    ProfileBasics,
)

CONTACT_FIELDS = ("email", "phone")
AUDITED_EMPLOYEE_FIELDS = (
    "employee_number",
    "full_name",
    "email",
    "phone",
    "department_id",
    "position_id",
    "manager_id",
    "hire_date",
    "status",
    "dingtalk_user_id",
)
TREND_YEARS = 3
"""Full calendar years in the performance trend, before the current (partial) one."""
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


EMPLOYMENT_EVENT_RECORDED = "employment_event.recorded"
"""Emitted (core.events) for every recorded employment event; payload: event_id,
employee_id, kind."""


# --- references used by other domains -----------------------------------------------------


async def require_employee(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, field: str = "employee_id"
) -> Employee:
    """An employee referenced in a request body: 422 when it is not in this organization."""
    employee = await repository.employee_by_id(session, org_id, employee_id)
    if employee is None:
        raise Unprocessable(
            "Unknown employee", errors=[FieldError(field=field, message="no such employee")]
        )
    return employee


async def employee_ref(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID
) -> Ref | None:
    employee = await repository.employee_by_id(session, org_id, employee_id)
    return Ref(id=employee.id, name=employee.full_name) if employee else None


# --- reach: who may see and manage whom ---------------------------------------------------


def _is_hr_writer(principal: Principal) -> bool:
    """HR admins, and integration keys HR gave `employees:write`."""
    return principal.is_hr_admin or principal.has_scope(Scope.EMPLOYEES_WRITE)


def can_see_contact(principal: Principal) -> bool:
    """Contact data is minimized: HR admins only."""
    return principal.is_hr_admin


async def _reach(
    session: AsyncSession, principal: Principal, *, include_self: bool
) -> ColumnElement[bool]:
    """The employees a user reaches: reports (direct and indirect) and the department subtree."""
    viewer = (
        await repository.employee_by_id(session, principal.org_id, principal.employee_id)
        if principal.employee_id is not None
        else None
    )
    return repository.reach_condition(
        self_id=viewer.id if viewer and include_self else None,
        reports_prefix=viewer.reports_prefix if viewer else None,
        subtree=await _department_scope(session, principal),
    )


async def visibility(
    session: AsyncSession, principal: Principal, *, key_scope: Scope | None = None
) -> ColumnElement[bool] | None:
    """A condition on `employees` for the rows the caller may see; `None` means all of the org.

    Users see themselves, their direct and indirect reports, and (department heads) their
    department subtree; HR admins everyone. Integration keys see everyone for a read that
    names the scope it needs (`key_scope`) when they hold it, and are refused (403) otherwise:
    a read that names none is not open to keys.
    """
    if principal.kind == "api_key":
        principal.require_key_scope(key_scope)
        return None
    if principal.is_hr_admin:
        return None
    return await _reach(session, principal, include_self=True)


async def visible_employee_ids(
    session: AsyncSession, principal: Principal, *, key_scope: Scope | None = None
) -> Select[Any] | None:
    """A SELECT of the employee ids the caller may see (`None`: the whole organization).

    Other domains embed it with `.in_(...)` so their lists stay one query. Integration keys
    need `key_scope` (see `visibility`).
    """
    condition = await visibility(session, principal, key_scope=key_scope)
    return None if condition is None else repository.ids_where(principal.org_id, condition)


def employee_names(org_id: uuid.UUID) -> Select[Any]:
    """A SELECT of `(id, full_name)` of the organization's employees, for another domain to
    join where its list shows names (one query instead of a lookup after it)."""
    return repository.names(org_id)


def own_employee_ids(principal: Principal) -> Select[Any]:
    """A SELECT of the caller's own employee id (matches nothing for a user without one)."""
    return repository.ids_where(principal.org_id, Employee.id == principal.employee_id)


async def _department_scope(session: AsyncSession, principal: Principal) -> Select[Any] | None:
    if not principal.is_dept_head or principal.department_scope is None:
        return None
    return await org.subtree_ids(session, principal.org_id, principal.department_scope)


async def ensure_can_view(
    session: AsyncSession,
    principal: Principal,
    employee_id: uuid.UUID,
    *,
    key_scope: Scope | None = None,
) -> Employee:
    """The employee, or 404 when outside the caller's reach (existence must not leak).
    Integration keys need `key_scope` (see `visibility`)."""
    if principal.kind == "api_key" or principal.is_hr_admin:
        principal.require_key_scope(key_scope)
        employee = await repository.employee_by_id(session, principal.org_id, employee_id)
    else:
        employee = await repository.employee_in_reach(
            session,
            principal.org_id,
            employee_id,
            viewer_id=principal.employee_id,
            subtree=await _department_scope(session, principal),
            include_self=True,
        )
    if employee is None:
        raise NotFound("No such employee")
    return employee


async def ensure_can_manage(
    session: AsyncSession, principal: Principal, employee: Employee
) -> None:
    """Work-data writes (ratings, evaluations): HR, the department head over the employee's
    department, or a manager up the chain — never on oneself.

    403 when the caller may see the employee but not do this; 404 when they cannot see it.
    """
    if principal.employee_id == employee.id:
        raise Forbidden("Nobody may do this on themself")
    if _is_hr_writer(principal):
        return
    if principal.kind == "api_key":
        raise Forbidden("This integration key lacks the employees:write scope")
    managed = await repository.employee_in_reach(
        session,
        principal.org_id,
        employee.id,
        viewer_id=principal.employee_id,
        subtree=await _department_scope(session, principal),
        include_self=False,
    )
    if managed is not None:
        return
    # Today everyone a user sees but themself is someone they manage; when visibility grows
    # (mentors, raters) this keeps 403 for the visible and 404 for the rest.
    await ensure_can_view(session, principal, employee.id)
    raise Forbidden("Only the employee's managers, department head or HR may do this")


async def _find(session: AsyncSession, principal: Principal, employee_id: uuid.UUID) -> Employee:
    """For writes: HR writers find any employee of the org, others only within reach."""
    if not _is_hr_writer(principal):
        return await ensure_can_view(session, principal, employee_id)
    employee = await repository.employee_by_id(session, principal.org_id, employee_id)
    if employee is None:
        raise NotFound("No such employee")
    return employee


async def _find_for_hr_write(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID
) -> Employee:
    """404 outside reach first, then 403 for a visible employee the caller may not change."""
    employee = await _find(session, principal, employee_id)
    _require_hr_writer(principal)
    return employee


def _require_hr_writer(principal: Principal) -> None:
    if not _is_hr_writer(principal):
        raise Forbidden("Only an HR admin may change employee records")


# --- employees ----------------------------------------------------------------------------


def employee_view(employee: Employee, principal: Principal) -> EmployeeOut:
    """The employee as this caller may see it: contact data trimmed for non-HR."""
    out = EmployeeOut.model_validate(employee)
    if can_see_contact(principal):
        return out
    return out.model_copy(update=dict.fromkeys(CONTACT_FIELDS))


async def list_employees(
    session: AsyncSession, principal: Principal, page: PageParams, filters: EmployeeFilters
) -> tuple[list[Employee], str | None]:
    """One keyset page, always inside the caller's reach."""
    statement = await _filtered(session, principal, filters)
    return await paginate(session, statement, [SORT_KEYS[filters.sort], Employee.id], page)


async def _filtered(
    session: AsyncSession, principal: Principal, filters: EmployeeFilters
) -> Select[Any]:
    visible = await visibility(session, principal, key_scope=Scope.ORG_READ)
    subtree = None
    if filters.department_id is not None and filters.include_subtree:
        subtree = await org.subtree_ids(session, principal.org_id, filters.department_id)
    return repository.employees_query(
        principal.org_id,
        visible=visible,
        department_ids=subtree,
        department_id=filters.department_id if subtree is None else None,
        status=filters.status,
        manager_id=filters.manager_id,
        position_id=filters.position_id,
        q=filters.q,
    )


async def matching_employee_ids(
    session: AsyncSession, principal: Principal, filters: EmployeeFilters, *, limit: int
) -> list[uuid.UUID]:
    """The ids the employee list would show with these filters (in the caller's reach), at
    most `limit` — for another domain selecting people "by query"."""
    statement = await _filtered(session, principal, filters)
    ids = statement.with_only_columns(Employee.id).order_by(Employee.id).limit(limit)
    return list(await session.scalars(ids))


async def create_employee(
    session: AsyncSession, principal: Principal, body: EmployeeCreate
) -> Employee:
    """A new employee and its `hire` event (HR only)."""
    _require_hr_writer(principal)
    org_id = principal.org_id
    await org.require_department(session, org_id, body.department_id)
    await _require_position(session, org_id, body.position_id)
    manager = None
    if body.manager_id is not None:
        manager = await require_employee(session, org_id, body.manager_id, field="manager_id")
    await _require_free_number(session, org_id, body.employee_number)
    employee = Employee(org_id=org_id, **body.model_dump())
    employee.manager_path = manager.reports_prefix if manager else "/"
    session.add(employee)
    await session.flush()
    audit.record(
        session,
        principal,
        "employee.created",
        "employee",
        employee.id,
        org_id=org_id,
        after=_snapshot(employee, AUDITED_EMPLOYEE_FIELDS),
    )
    hire = EmploymentEventCreate(
        kind="hire",
        effective_date=body.hire_date,
        department_id=body.department_id,
        position_id=body.position_id,
    )
    await _record_event(session, principal, employee, hire)
    return employee


async def update_employee(
    session: AsyncSession,
    principal: Principal,
    employee_id: uuid.UUID,
    body: EmployeePatch,
    *,
    if_match: str | None,
) -> Employee:
    """Correct an employee record (HR only); career moves go through events instead."""
    employee = await _find_for_hr_write(session, principal, employee_id)
    check_version(employee.version, if_match=if_match, body_version=body.version)
    fields = body.model_dump(exclude_unset=True, exclude={"version"})
    await _check_patch(session, employee, fields)
    before = _snapshot(employee, AUDITED_EMPLOYEE_FIELDS)
    if "manager_id" in fields and fields["manager_id"] != employee.manager_id:
        await _change_manager(session, employee, fields.pop("manager_id"))
    for name, value in fields.items():
        setattr(employee, name, value)
    await session.flush()
    _audit_changes(session, principal, employee, before)
    return employee


async def _check_patch(session: AsyncSession, employee: Employee, fields: dict[str, Any]) -> None:
    org_id = employee.org_id
    if fields.get("department_id") is not None:
        await org.require_department(session, org_id, fields["department_id"])
    await _require_position(session, org_id, fields.get("position_id"))
    if fields.get("manager_id") is not None:
        await _require_acyclic_manager(session, employee, fields["manager_id"])
    number = fields.get("employee_number")
    if number is not None and number != employee.employee_number:
        await _require_free_number(session, org_id, number)


async def _change_manager(
    session: AsyncSession, employee: Employee, manager_id: uuid.UUID | None
) -> None:
    """Point the employee at a new manager and re-root everyone below them."""
    manager = (
        await require_employee(session, employee.org_id, manager_id, field="manager_id")
        if manager_id is not None
        else None
    )
    old_prefix = employee.reports_prefix
    employee.manager_id = manager_id
    employee.manager_path = manager.reports_prefix if manager else "/"
    await repository.move_reports(session, employee.org_id, old_prefix, employee.reports_prefix)


async def _require_acyclic_manager(
    session: AsyncSession, employee: Employee, manager_id: uuid.UUID
) -> None:
    """The proposed manager exists and the employee is not already above them."""
    manager = await require_employee(session, employee.org_id, manager_id, field="manager_id")
    if manager.id == employee.id or f"/{employee.id}/" in manager.manager_path:
        raise Unprocessable(
            "The manager chain would form a cycle",
            errors=[FieldError(field="manager_id", message="the employee is above this manager")],
        )


async def _require_free_number(session: AsyncSession, org_id: uuid.UUID, number: str) -> None:
    if await repository.employee_by_number(session, org_id, number) is not None:
        raise Conflict(f"Employee number {number!r} is taken")


async def _require_position(
    session: AsyncSession,
    org_id: uuid.UUID,
    position_id: uuid.UUID | None,
    field: str = "position_id",
) -> None:
    if position_id is not None:
        await org.require_position(session, org_id, position_id, field=field)


def _snapshot(row: object, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _jsonable(getattr(row, name)) for name in names}


def _jsonable(value: Any) -> Any:
    """Audit rows are JSON: ids and amounts as strings, dates in ISO 8601."""
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _audit_changes(
    session: AsyncSession, principal: Principal, employee: Employee, before: dict[str, Any]
) -> None:
    changed_before, changed_after = audit.changes(
        before, _snapshot(employee, AUDITED_EMPLOYEE_FIELDS)
    )
    if changed_after:
        audit.record(
            session,
            principal,
            "employee.updated",
            "employee",
            employee.id,
            org_id=employee.org_id,
            before=changed_before,
            after=changed_after,
        )


# --- employment events --------------------------------------------------------------------

EVENT_FIELDS = (
    "employee_id",
    "kind",
    "effective_date",
    "end_date",
    "department_id",
    "position_id",
    "title",
    "leads_team",
    "allowance",
)


async def list_events(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID, page: PageParams
) -> tuple[list[EmploymentEvent], str | None]:
    await ensure_can_view(session, principal, employee_id, key_scope=Scope.PROFILES_READ)
    statement = repository.events_query(principal.org_id, employee_id)
    keys = [EmploymentEvent.effective_date, EmploymentEvent.id]
    return await paginate(session, statement, keys, page)


async def add_event(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID, body: EmploymentEventCreate
) -> EmploymentEvent:
    """Record a career move (HR only) and apply it to the employee's current post or status."""
    employee = await _find_for_hr_write(session, principal, employee_id)
    if body.department_id is not None:
        await org.require_department(session, employee.org_id, body.department_id)
    await _require_position(session, employee.org_id, body.position_id)
    _require_event_fits(employee, body)
    before = _snapshot(employee, AUDITED_EMPLOYEE_FIELDS)
    _apply_event(employee, body)
    event = await _record_event(session, principal, employee, body)
    _audit_changes(session, principal, employee, before)
    return event


def _require_event_fits(employee: Employee, body: EmploymentEventCreate) -> None:
    if body.kind == "hire" and employee.status != "exited":
        raise Conflict("The employee is employed; only an exited employee can be re-hired")
    if body.kind != "hire" and employee.status == "exited":
        raise Conflict("The employee has exited; re-hire them first")
    if body.kind != "hire" and body.effective_date < employee.hire_date:
        raise Unprocessable(
            "The event precedes the hire date",
            errors=[FieldError(field="effective_date", message="before hire_date")],
        )


def _apply_event(employee: Employee, body: EmploymentEventCreate) -> None:
    """Transfers, promotions and re-hires move the current post; exits end employment.

    A temporary post is held on top of the current post, which it leaves unchanged.
    """
    if body.kind == "temporary_post":
        return
    if body.department_id is not None:
        employee.department_id = body.department_id
    if body.position_id is not None:
        employee.position_id = body.position_id
    if body.kind == "exit":
        employee.status = "exited"
    elif body.kind == "hire":
        employee.status = "active"
        employee.hire_date = body.effective_date


async def _record_event(
    session: AsyncSession, principal: Principal, employee: Employee, body: EmploymentEventCreate
) -> EmploymentEvent:
    event = EmploymentEvent(org_id=employee.org_id, employee_id=employee.id, **body.model_dump())
    session.add(event)
    await session.flush()
    audit.record(
        session,
        principal,
        "employment_event.created",
        "employment_event",
        event.id,
        org_id=employee.org_id,
        after=_snapshot(event, EVENT_FIELDS),
    )
    _announce(session, event)
    return event


def _announce(session: AsyncSession, event: EmploymentEvent) -> None:
    """Tell subscribed domains (contracts drafts an amendment) through the outbox."""
    events.emit(
        session,
        EMPLOYMENT_EVENT_RECORDED,
        {"event_id": str(event.id), "employee_id": str(event.employee_id), "kind": event.kind},
        org_id=event.org_id,
    )


async def employment_event(
    session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID
) -> EmploymentEvent | None:
    """One recorded event, for domains reacting to `EMPLOYMENT_EVENT_RECORDED`."""
    return await repository.event_by_id(session, org_id, event_id)


@dataclass(frozen=True)
class VacatedPost:
    """The post an employee gave up through an exit, promotion or transfer."""

    employee_id: uuid.UUID
    position_id: uuid.UUID
    department_id: uuid.UUID | None
    kind: str


async def vacated_post(
    session: AsyncSession, org_id: uuid.UUID, event_id: uuid.UUID
) -> VacatedPost | None:
    """For domains reacting to `EMPLOYMENT_EVENT_RECORDED` (talent opens vacancies): the
    position the event took the employee off, or None when it left their post unchanged.

    An exit keeps the employee's last post on the row; a promotion or transfer to another
    position left the post set by the previous post-changing event."""
    event = await repository.event_by_id(session, org_id, event_id)
    if event is None or event.kind not in ("exit", "promotion", "transfer"):
        return None
    if event.kind == "exit":
        employee = await repository.employee_by_id(session, org_id, event.employee_id)
        if employee is None or employee.position_id is None:
            return None
        return VacatedPost(employee.id, employee.position_id, employee.department_id, event.kind)
    if event.position_id is None:
        return None
    previous = await repository.post_event_before(session, org_id, event)
    left = previous.position_id if previous else None
    if previous is None or left is None or left == event.position_id:
        return None
    return VacatedPost(event.employee_id, left, previous.department_id, event.kind)


# --- performance ratings ------------------------------------------------------------------


async def list_ratings(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID, page: PageParams
) -> tuple[list[PerformanceRating], str | None]:
    await ensure_can_view(session, principal, employee_id, key_scope=Scope.RATINGS_READ)
    statement = repository.ratings_query(principal.org_id, employee_id)
    keys = [PerformanceRating.period, PerformanceRating.id]
    return await paginate(session, statement, keys, page)


async def add_rating(
    session: AsyncSession,
    principal: Principal,
    employee_id: uuid.UUID,
    body: PerformanceRatingCreate,
) -> PerformanceRating:
    """One rating per period: a second one is a 409 (ratings are not silently overwritten)."""
    employee = await _find(session, principal, employee_id)
    await ensure_can_manage(session, principal, employee)
    existing = await repository.rating_for_period(
        session, principal.org_id, employee_id, body.period
    )
    if existing is not None:
        raise Conflict(f"The employee already has a rating for {body.period}")
    rating = PerformanceRating(
        org_id=principal.org_id, employee_id=employee_id, rated_by=principal.user_id
    )
    for name, value in body.model_dump().items():
        setattr(rating, name, value)
    session.add(rating)
    await session.flush()
    audit.record(
        session,
        principal,
        "performance_rating.created",
        "performance_rating",
        rating.id,
        org_id=principal.org_id,
        after=body.model_dump(mode="json") | {"employee_id": str(employee_id)},
    )
    return rating


# --- bulk import --------------------------------------------------------------------------


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
    _require_hr_writer(principal)
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
            errors.append(RowError(row.row, "employee_number", f"{number} already exists"))
        elif number in first_row:
            errors.append(
                RowError(row.row, "employee_number", f"{number} repeats row {first_row[number]}")
            )
        first_row.setdefault(number, row.row)
        manager = row.manager_number
        if manager and manager not in existing and manager not in numbers:
            errors.append(RowError(row.row, "manager_number", f"no employee {manager}"))
        if manager == number:
            errors.append(RowError(row.row, "manager_number", "an employee cannot manage themself"))
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
            cyclic.append(RowError(row.row, "manager_number", "the manager chain forms a cycle"))
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
    _require_hr_writer(principal)
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
        after=_snapshot(employee, AUDITED_EMPLOYEE_FIELDS) | {"row": row.row},
    )


# --- growth profile -----------------------------------------------------------------------

GROWTH_SECTIONS = ("skills", "certifications", "external_trainings", "career_plan")


def _own_employee_id(principal: Principal) -> uuid.UUID:
    if principal.employee_id is None:
        raise NotFound("Your account is not linked to an employee")
    return principal.employee_id


def _growth_view(employee_id: uuid.UUID, profile: GrowthProfile | None) -> GrowthProfileOut:
    if profile is None:
        return GrowthProfileOut(
            employee_id=employee_id,
            skills=[],
            certifications=[],
            external_trainings=[],
            career_plan=None,
            submitted_at=None,
            version=0,
        )
    return GrowthProfileOut.model_validate(
        _snapshot(profile, GROWTH_SECTIONS)
        | {
            "employee_id": employee_id,
            "submitted_at": profile.submitted_at,
            "version": profile.version,
        }
    )


async def get_growth_profile(session: AsyncSession, principal: Principal) -> GrowthProfileOut:
    """The caller's own profile; version 0 and empty sections before the first submission."""
    employee_id = _own_employee_id(principal)
    profile = await repository.growth_profile(session, principal.org_id, employee_id)
    return _growth_view(employee_id, profile)


async def submit_growth_profile(
    session: AsyncSession,
    principal: Principal,
    clock: Clock,
    body: GrowthProfileIn,
    *,
    if_match: str | None,
) -> GrowthProfileOut:
    """Replace the caller's profile and stamp `submitted_at`; version 0 creates it."""
    employee_id = _own_employee_id(principal)
    profile = await repository.growth_profile(session, principal.org_id, employee_id)
    check_version(profile.version if profile else 0, if_match=if_match, body_version=body.version)
    if body.career_plan is not None:
        await _require_position(
            session,
            principal.org_id,
            body.career_plan.target_position_id,
            field="career_plan.target_position_id",
        )
    before = _snapshot(profile, GROWTH_SECTIONS) if profile else {}
    if profile is None:
        profile = GrowthProfile(org_id=principal.org_id, employee_id=employee_id)
        session.add(profile)
    for name, value in body.model_dump(mode="json", exclude={"version"}).items():
        setattr(profile, name, value)
    profile.submitted_at = clock.now()
    await session.flush()
    changed_before, changed_after = audit.changes(before, _snapshot(profile, GROWTH_SECTIONS))
    audit.record(
        session,
        principal,
        "growth_profile.submitted",
        "growth_profile",
        profile.id,
        org_id=principal.org_id,
        before=changed_before,
        after=changed_after,
    )
    return _growth_view(employee_id, profile)


# --- panoramic profile --------------------------------------------------------------------


def tenure_years(hire_date: date, today: date) -> float:
    """Years since hire, to one decimal; never negative for a future hire date."""
    return max(0.0, round((today - hire_date).days / 365.25, 1))


async def org_today(session: AsyncSession, org_id: uuid.UUID, clock: Clock) -> date:
    """Today's date where the organization is, not where the server is."""
    timezone = await identity.org_timezone(session, org_id)
    return clock.now().astimezone(ZoneInfo(timezone)).date()


async def panoramic_profile(
    session: AsyncSession, principal: Principal, employee_id: uuid.UUID, clock: Clock
) -> PanoramicProfile:
    """Everything about one employee in a fixed number of statements, whatever its history.
    An integration key needs `profiles:read`, and `ratings:read` for the performance trend."""
    employee = await ensure_can_view(session, principal, employee_id, key_scope=Scope.PROFILES_READ)
    today = await org_today(session, principal.org_id, clock)
    refs = await repository.post_refs(session, employee)
    history = await repository.history(session, principal.org_id, employee.id)
    ratings = (
        await repository.ratings_since(
            session, principal.org_id, employee.id, today.year - TREND_YEARS
        )
        if principal.kind != "api_key" or principal.has_scope(Scope.RATINGS_READ)
        else []
    )
    growth = await repository.growth_profile(session, principal.org_id, employee.id)
    events = [EmploymentEventOut.model_validate(event) for event, _ in history]
    return PanoramicProfile(
        basics=_basics(employee, refs, principal, today),
        current_post=_current_post(employee, refs, events, today),
        employment_history=events,
        management_experience=sum(1 for _, management in history if management),
        performance_trend=[PerformanceRatingOut.model_validate(rating) for rating in ratings],
        growth_profile=_growth_view(employee.id, growth) if growth else None,
        trainings=[],
        projects=[],
        peer_feedback=[],
        points=[],
        program_participation=[],
        mentoring=[],
        contracts=[] if principal.is_hr_admin else None,
    )


def _position_ref(employee: Employee, refs: Any) -> PositionRef | None:
    if employee.position_id is None:
        return None
    return PositionRef(
        id=employee.position_id,
        name=refs.position_title,
        is_management=refs.position_is_management,
    )


def _basics(employee: Employee, refs: Any, principal: Principal, today: date) -> ProfileBasics:
    view = employee_view(employee, principal)
    manager = Ref(id=employee.manager_id, name=refs.manager_name) if employee.manager_id else None
    return ProfileBasics(
        id=employee.id,
        employee_number=employee.employee_number,
        full_name=employee.full_name,
        department=Ref(id=employee.department_id, name=refs.department_name),
        position=_position_ref(employee, refs),
        manager=manager,
        hire_date=employee.hire_date,
        status=view.status,
        tenure_years=tenure_years(employee.hire_date, today),
        email=view.email,
        phone=view.phone,
    )


def _current_post(
    employee: Employee, refs: Any, events: list[EmploymentEventOut], today: date
) -> CurrentPost:
    running = [
        event
        for event in events
        if event.kind == "temporary_post"
        and event.effective_date <= today
        and (event.end_date is None or event.end_date >= today)
    ]
    return CurrentPost(
        department=Ref(id=employee.department_id, name=refs.department_name),
        position=_position_ref(employee, refs),
        temporary_posts=running,
    )


# --- reporting lines for other domains ----------------------------------------------------


async def managers_of(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID | None]:
    """Each employee's direct manager (None at the top); unknown ids are absent. One query."""
    return dict(await repository.manager_ids(session, org_id, employee_ids))


@dataclass(frozen=True)
class Team:
    """An employee's working relations: who rates whom in a 360."""

    manager_id: uuid.UUID | None
    peers: list[uuid.UUID]
    reports: list[uuid.UUID]


async def teams_of(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Team]:
    """Manager, peers (active, same manager) and active direct reports, in two queries."""
    managers = await managers_of(session, org_id, employee_ids)
    wanted = set(managers) | {m for m in managers.values() if m is not None}
    reports: dict[uuid.UUID, list[uuid.UUID]] = {}
    for manager_id, report_id in await repository.active_reports(session, org_id, list(wanted)):
        reports.setdefault(manager_id, []).append(report_id)
    return {
        employee_id: Team(
            manager_id=manager_id,
            peers=[p for p in reports.get(manager_id, []) if p != employee_id]
            if manager_id is not None
            else [],
            reports=reports.get(employee_id, []),
        )
        for employee_id, manager_id in managers.items()
    }


async def active_employees_in_subtree(
    session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID
) -> list[uuid.UUID]:
    """Everyone active in a department and the departments under it."""
    subtree = await org.subtree_ids(session, org_id, department_id)
    return await repository.active_ids_where(session, org_id, subtree)


# --- directory sync (DingTalk): system changes, audited with actor None --------------------


@dataclass(frozen=True)
class DirectoryUser:
    """A user as the directory describes them; None fields are left as they are."""

    dingtalk_user_id: str
    full_name: str
    employee_number: str | None = None
    department_id: uuid.UUID | None = None
    hire_date: date | None = None


async def _record_directory_event(
    session: AsyncSession, employee: Employee, body: EmploymentEventCreate
) -> None:
    event = EmploymentEvent(org_id=employee.org_id, employee_id=employee.id, **body.model_dump())
    session.add(event)
    await session.flush()
    audit.record(
        session,
        None,
        "employment_event.created",
        "employment_event",
        event.id,
        org_id=employee.org_id,
        after=_snapshot(event, EVENT_FIELDS),
    )
    _announce(session, event)


def _audit_directory_changes(
    session: AsyncSession, employee: Employee, before: dict[str, Any]
) -> bool:
    changed_before, changed_after = audit.changes(
        before, _snapshot(employee, AUDITED_EMPLOYEE_FIELDS)
    )
    if changed_after:
        audit.record(
            session,
            None,
            "employee.updated",
            "employee",
            employee.id,
            org_id=employee.org_id,
            before=changed_before,
            after=changed_after,
        )
    return bool(changed_after)


async def apply_directory_user(
    session: AsyncSession, org_id: uuid.UUID, user: DirectoryUser, *, on: date, rehire: bool
) -> str:
    """Create or update the employee linked to a directory user; idempotent.

    The employee is found by DingTalk user id, else by employee number (and then linked, if
    not linked to another DingTalk user: 409). A new employee needs `employee_number` and
    `department_id` (422 otherwise) and gets a `hire` event; a department change is a
    `transfer` event dated `on`; `rehire` re-hires an exited employee. Returns "created",
    "updated", "rehired" or "unchanged".
    """
    employee = await repository.employee_by_dingtalk_id(session, org_id, user.dingtalk_user_id)
    if employee is None and user.employee_number:
        employee = await repository.employee_by_number(session, org_id, user.employee_number)
        if employee is not None and employee.dingtalk_user_id not in (None, user.dingtalk_user_id):
            raise Conflict(
                f"Employee number {user.employee_number!r} belongs to another DingTalk user"
            )
    if employee is None:
        if not user.employee_number or user.department_id is None:
            raise Unprocessable("A new employee needs an employee number and a department")
        await org.require_department(session, org_id, user.department_id)
        await _require_free_number(session, org_id, user.employee_number)
        hire_date = user.hire_date or on
        employee = Employee(
            org_id=org_id,
            employee_number=user.employee_number,
            full_name=user.full_name,
            department_id=user.department_id,
            hire_date=hire_date,
            status="active",
            manager_path="/",
            dingtalk_user_id=user.dingtalk_user_id,
        )
        session.add(employee)
        await session.flush()
        audit.record(
            session,
            None,
            "employee.created",
            "employee",
            employee.id,
            org_id=org_id,
            after=_snapshot(employee, AUDITED_EMPLOYEE_FIELDS),
        )
        hire = EmploymentEventCreate(
            kind="hire", effective_date=hire_date, department_id=user.department_id
        )
        await _record_directory_event(session, employee, hire)
        return "created"
    before = _snapshot(employee, AUDITED_EMPLOYEE_FIELDS)
    employee.dingtalk_user_id = user.dingtalk_user_id
    employee.full_name = user.full_name
    number = user.employee_number
    if number and number != employee.employee_number:
        await _require_free_number(session, org_id, number)
        employee.employee_number = number
    outcome = "updated"
    move: EmploymentEventCreate | None = None
    if rehire and employee.status == "exited":
        move = EmploymentEventCreate(
            kind="hire",
            effective_date=max(on, employee.hire_date),
            department_id=user.department_id,
        )
        outcome = "rehired"
    elif (
        employee.status != "exited"
        and user.department_id is not None
        and user.department_id != employee.department_id
    ):
        move = EmploymentEventCreate(
            kind="transfer",
            effective_date=max(on, employee.hire_date),
            department_id=user.department_id,
        )
    if move is not None:
        if move.department_id is not None:
            await org.require_department(session, org_id, move.department_id)
        _apply_event(employee, move)
        await _record_directory_event(session, employee, move)
    await session.flush()
    changed = _audit_directory_changes(session, employee, before)
    return outcome if changed or move is not None else "unchanged"


async def mark_left(
    session: AsyncSession, org_id: uuid.UUID, dingtalk_user_id: str, *, on: date
) -> bool:
    """The directory user left: an `exit` event dated `on` (not before the hire date).

    False when no employee is linked to the user or they have already exited (idempotent).
    """
    employee = await repository.employee_by_dingtalk_id(session, org_id, dingtalk_user_id)
    if employee is None or employee.status == "exited":
        return False
    before = _snapshot(employee, AUDITED_EMPLOYEE_FIELDS)
    leave = EmploymentEventCreate(kind="exit", effective_date=max(on, employee.hire_date))
    _apply_event(employee, leave)
    await _record_directory_event(session, employee, leave)
    await session.flush()
    _audit_directory_changes(session, employee, before)
    return True


# --- contacts for notification channels ---------------------------------------------------


@dataclass(frozen=True)
class DingTalkContact:
    """How a channel reaches an employee: their DingTalk id and department."""

    dingtalk_user_id: str | None
    department_id: uuid.UUID


async def dingtalk_contacts(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, DingTalkContact]:
    """Each known employee's DingTalk contact; unknown ids are absent. One query."""
    return {
        employee_id: DingTalkContact(dingtalk_user_id=dingtalk_id, department_id=department)
        for employee_id, dingtalk_id, department in await repository.dingtalk_contacts(
            session, org_id, employee_ids
        )
    }


@dataclass(frozen=True)
class EmployeeSummary:
    """What another domain shows of an employee in a list: a link and the department."""

    ref: Ref
    department_id: uuid.UUID
    status: str


async def employee_summaries(
    session: AsyncSession, org_id: uuid.UUID, employee_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, EmployeeSummary]:
    """Many employees in one query (for lists in other domains; the caller checked reach)."""
    rows = await repository.summaries_by_ids(session, org_id, list(dict.fromkeys(employee_ids)))
    return {
        row.id: EmployeeSummary(Ref(id=row.id, name=row.full_name), row.department_id, row.status)
        for row in rows
    }


# --- screening facts (talent pools) -------------------------------------------------------


@dataclass(frozen=True)
class ScreeningFacts:
    """Sub-selects of per-employee figures, `(employee_id, value)` each, to join in one query.

    Owned here because they read people's tables; talent pools compose them into their rules.
    """

    population: Select[Any]
    average_scores: Callable[[int], Select[Any]]
    rating_streaks: Callable[[str], Select[Any]]
    team_lead_counts: Select[Any]
    career_aspirations: Select[Any]


def screening_facts(org_id: uuid.UUID) -> ScreeningFacts:
    """Active employees and what screening rules look at, for one organization."""
    return ScreeningFacts(
        population=repository.active_population(org_id),
        average_scores=lambda periods: repository.average_scores(org_id, periods),
        rating_streaks=lambda letter: repository.rating_streaks(org_id, letter),
        team_lead_counts=repository.team_lead_counts(org_id),
        career_aspirations=repository.career_aspirations(org_id),
    )
