"""What the audit log keeps of an employee and an employment event, as JSON."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.people.models import Employee

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
    "manager_id",
    "pay_terms_ref",
)


def snapshot(row: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of a row, as the audit log stores them."""
    return {name: _jsonable(getattr(row, name)) for name in names}


def _jsonable(value: Any) -> Any:
    """Audit rows are JSON: ids and amounts as strings, dates in ISO 8601."""
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def audit_employee_changes(
    session: AsyncSession, actor: Principal | None, employee: Employee, before: dict[str, Any]
) -> bool:
    """An `employee.updated` event with the fields that changed since `before`, if any
    (`actor=None`: a system change, such as the directory sync). True when one changed."""
    changed_before, changed_after = audit.changes(
        before, snapshot(employee, AUDITED_EMPLOYEE_FIELDS)
    )
    if changed_after:
        audit.record(
            session,
            actor,
            "employee.updated",
            "employee",
            employee.id,
            org_id=employee.org_id,
            before=changed_before,
            after=changed_after,
        )
    return bool(changed_after)
