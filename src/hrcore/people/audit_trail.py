"""What the audit log keeps of an employee and an employment event, as JSON."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit, events
from hrcore.core.authz import Principal
from hrcore.core.masking import mask_id_number
from hrcore.people.models import Employee

EMPLOYEE_DINGTALK_LINKED = "employee.dingtalk_linked"
"""An employee became a DingTalk user, or another one (`{employee_id}`): what DingTalk offers
people (their tasks as to-dos) can now reach them."""

AUDITED_EMPLOYEE_FIELDS = (
    "employee_number",
    "full_name",
    "email",
    "phone",
    "personal_phone",
    "id_number",
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
    "exit_reason",
)


MASKED_IN_AUDIT = {"id_number": mask_id_number}
"""Sensitive fields the audit log keeps masked: it records that they changed, not the
values (docs/privacy.md)."""


def snapshot(row: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of a row, as the audit log stores them."""
    found = {name: _jsonable(getattr(row, name)) for name in names}
    for name, mask in MASKED_IN_AUDIT.items():
        if found.get(name) is not None:
            found[name] = mask(found[name])
    return found


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
    (`actor=None`: a system change, such as the directory sync), and the domain event
    `EMPLOYEE_DINGTALK_LINKED` when it links a DingTalk user. True when one changed."""
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
    if changed_after.get("dingtalk_user_id"):
        payload = {"employee_id": str(employee.id)}
        events.emit(session, EMPLOYEE_DINGTALK_LINKED, payload, org_id=employee.org_id)
    return bool(changed_after)
