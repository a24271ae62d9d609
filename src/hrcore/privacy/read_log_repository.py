"""Queries of the read-access log. Who read and about whom are named in the page's own
statement: the names of users, integration keys and employees are joined as bare tables of
`id`, `org_id` and the name (architecture.md, "Names beside ids"), never their models."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, column, func, select, table
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import String

from hrcore.core.pagination import PageParams, paginate_rows
from hrcore.privacy.read_log_models import ReadAccessEvent

_users = table(
    "users", column("id", UUID(as_uuid=True)), column("org_id"), column("display_name", String)
)
_api_keys = table("api_keys", column("id", UUID(as_uuid=True)), column("org_id"), column("name"))
_employees = table(
    "employees", column("id", UUID(as_uuid=True)), column("org_id"), column("full_name", String)
)

_event = ReadAccessEvent
_PAGE_KEYS = [_event.occurred_at, _event.id]


def _events_with_names() -> Select[Any]:
    actor_name = func.coalesce(_users.c.display_name, _api_keys.c.name).label("actor_name")
    return (
        select(
            _event.id,
            _event.occurred_at,
            _event.actor_kind,
            _event.actor_id,
            actor_name,
            _event.subject_employee_id,
            _employees.c.full_name.label("subject_name"),
            _event.data_class,
            _event.what,
            _event.operation,
            _event.purpose,
            _event.masked,
            _event.request_id,
        )
        .outerjoin(
            _users,
            and_(
                _event.actor_kind == "user",
                _users.c.id == _event.actor_id,
                _users.c.org_id == _event.org_id,
            ),
        )
        .outerjoin(
            _api_keys,
            and_(
                _event.actor_kind == "api_key",
                _api_keys.c.id == _event.actor_id,
                _api_keys.c.org_id == _event.org_id,
            ),
        )
        .outerjoin(
            _employees,
            and_(
                _employees.c.id == _event.subject_employee_id,
                _employees.c.org_id == _event.org_id,
            ),
        )
    )


_EVENTS_WITH_NAMES = _events_with_names()


async def events_page(
    session: AsyncSession,
    org_id: uuid.UUID,
    page: PageParams,
    *,
    subject_employee_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
    data_class: str | None = None,
    occurred_from: datetime | None = None,
    occurred_to: datetime | None = None,
) -> tuple[Sequence[Any], str | None]:
    """One page of the organization's events, newest first, with the readers' and the
    subjects' names; each filter given narrows it (the subject and the actor have an index
    each)."""
    statement = _EVENTS_WITH_NAMES.where(_event.org_id == org_id)
    if subject_employee_id is not None:
        statement = statement.where(_event.subject_employee_id == subject_employee_id)
    if actor_id is not None:
        statement = statement.where(_event.actor_id == actor_id)
    if data_class is not None:
        statement = statement.where(_event.data_class == data_class)
    if occurred_from is not None:
        statement = statement.where(_event.occurred_at >= occurred_from)
    if occurred_to is not None:
        statement = statement.where(_event.occurred_at < occurred_to)
    return await paginate_rows(session, statement, _PAGE_KEYS, page, descending=True)
