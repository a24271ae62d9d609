"""Reading the read-access log: the person's own ("who looked at my data", PIPL Art. 44)
and the organization's for HR and the DPO (Art. 54)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.pagination import Page, PageParams, decode_cursor
from hrcore.core.privacy import DataClass
from hrcore.privacy import read_log_repository as repository
from hrcore.privacy.read_log_schemas import ReadAccessEventOut, ReadLogEntryOut


async def my_read_log(
    session: AsyncSession, principal: Principal, page: PageParams
) -> Page[ReadLogEntryOut]:
    """Who read the caller's data, newest first; empty for an account with no employee (an
    integration key, an HR account of no one), as every `/me/…` list is."""
    if principal.employee_id is None:
        if page.cursor is not None:
            decode_cursor(page.cursor, [datetime, uuid.UUID])  # bad input all the same
        return Page[ReadLogEntryOut](items=[], next_cursor=None)
    rows, cursor = await repository.events_page(
        session, principal.org_id, page, subject_employee_id=principal.employee_id
    )
    return Page[ReadLogEntryOut].model_validate(
        {"items": [_entry(row) for row in rows], "next_cursor": cursor}
    )


async def read_access_events(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    *,
    subject_employee_id: uuid.UUID | None,
    actor_id: uuid.UUID | None,
    data_class: DataClass | None,
    occurred_from: datetime | None,
    occurred_to: datetime | None,
) -> Page[ReadAccessEventOut]:
    """The organization's read-access events for HR admins (403 for anyone else), newest
    first, narrowed by subject, reader, data class and a time window."""
    require_hr_admin(principal)
    occurred_from, occurred_to = _aware(occurred_from), _aware(occurred_to)
    if occurred_from is not None and occurred_to is not None and occurred_to <= occurred_from:
        raise Unprocessable(
            _("The time window is empty"),
            errors=[
                FieldError(field="query.occurred_to", message=_("must be after `occurred_from`"))
            ],
        )
    rows, cursor = await repository.events_page(
        session,
        principal.org_id,
        page,
        subject_employee_id=subject_employee_id,
        actor_id=actor_id,
        data_class=data_class.value if data_class else None,
        occurred_from=occurred_from,
        occurred_to=occurred_to,
    )
    return Page[ReadAccessEventOut].model_validate(
        {"items": [_event(row) for row in rows], "next_cursor": cursor}
    )


def _aware(moment: datetime | None) -> datetime | None:
    """A moment given without an offset is read as UTC, so any two compare."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _entry(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "occurred_at": row.occurred_at,
        "actor_kind": row.actor_kind,
        "actor_id": row.actor_id,
        "actor": _ref(row.actor_id, row.actor_name),
        "data_class": row.data_class,
        "what": row.what,
        "operation": row.operation,
        "purpose": row.purpose,
        "masked": row.masked,
    }


def _event(row: Any) -> dict[str, Any]:
    return {
        **_entry(row),
        "subject_employee_id": row.subject_employee_id,
        "subject": _ref(row.subject_employee_id, row.subject_name),
        "request_id": row.request_id,
    }


def _ref(row_id: Any, name: str | None) -> dict[str, Any] | None:
    return {"id": row_id, "name": name} if name is not None else None
