"""DingTalk directory sync: employees created, updated, moved and exited as the directory
says. These are system changes, audited with actor None."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.errors import Conflict, Unprocessable
from hrcore.core.i18n import _
from hrcore.org import api as org
from hrcore.people import repository
from hrcore.people.audit_trail import AUDITED_EMPLOYEE_FIELDS, audit_employee_changes, snapshot
from hrcore.people.employees import hire, require_free_number
from hrcore.people.employment_events import apply_event, record_event
from hrcore.people.models import Employee
from hrcore.people.schemas import EmploymentEventCreate


@dataclass(frozen=True)
class DirectoryUser:
    """A user as the directory describes them; None fields are left as they are."""

    dingtalk_user_id: str
    full_name: str
    employee_number: str | None = None
    department_id: uuid.UUID | None = None
    hire_date: date | None = None


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
                _(
                    "Employee number '{number}' belongs to another DingTalk user",
                    number=user.employee_number,
                )
            )
    if employee is None:
        if not user.employee_number or user.department_id is None:
            raise Unprocessable(_("A new employee needs an employee number and a department"))
        await org.require_department(session, org_id, user.department_id)
        await require_free_number(session, org_id, user.employee_number)
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
        await hire(session, None, employee)
        return "created"
    before = snapshot(employee, AUDITED_EMPLOYEE_FIELDS)
    employee.dingtalk_user_id = user.dingtalk_user_id
    employee.full_name = user.full_name
    number = user.employee_number
    if number and number != employee.employee_number:
        await require_free_number(session, org_id, number)
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
        await apply_event(session, employee, move)
        await record_event(session, None, employee, move, applied_at=func.now())
    await session.flush()
    changed = audit_employee_changes(session, None, employee, before)
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
    before = snapshot(employee, AUDITED_EMPLOYEE_FIELDS)
    leave = EmploymentEventCreate(kind="exit", effective_date=max(on, employee.hire_date))
    await apply_event(session, employee, leave)
    await record_event(session, None, employee, leave, applied_at=func.now())
    await session.flush()
    audit_employee_changes(session, None, employee, before)
    return True
