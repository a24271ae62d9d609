"""Accounts and audit events as the API shows them: names beside their ids (`{id, name}`),
so an accounts or audit screen needs no lookup per row.

One batched lookup per kind of name per page, none when the page names nothing of that
kind: the linked employees and department scopes (of accounts and of keys) through the
`Directory` (people's and org's api; identity does not import them), the acting users and
integration keys here.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.audit import AuditEvent
from hrcore.core.references import refs_by_ids
from hrcore.identity.directory import Directory
from hrcore.identity.models import ApiKey, User
from hrcore.identity.schemas import ApiKeyOut, AuditEventOut, UserOut


async def user_views(
    session: AsyncSession, directory: Directory, org_id: uuid.UUID, users: Sequence[User]
) -> list[UserOut]:
    """Accounts with their employee's and department scope's names."""
    employees = await directory.people.employee_refs(
        session, org_id, [u.employee_id for u in users if u.employee_id is not None]
    )
    scopes = await directory.org.department_refs(
        session, org_id, [u.department_scope_id for u in users if u.department_scope_id]
    )
    return [
        UserOut(
            **_columns(user, UserOut, "employee", "department_scope"),
            employee=employees.get(user.employee_id) if user.employee_id else None,
            department_scope=scopes.get(user.department_scope_id)
            if user.department_scope_id
            else None,
        )
        for user in users
    ]


async def api_key_views(
    session: AsyncSession, directory: Directory, org_id: uuid.UUID, keys: Sequence[ApiKey]
) -> list[ApiKeyOut]:
    """Integration keys with the departments they are limited to, named."""
    departments = await directory.org.department_refs(
        session, org_id, list({d for key in keys for d in key.department_ids or []})
    )
    return [
        ApiKeyOut(
            **_columns(key, ApiKeyOut, "department_scope"),
            department_scope=[departments[d] for d in key.department_ids if d in departments]
            if key.department_ids
            else None,
        )
        for key in keys
    ]


async def audit_views(
    session: AsyncSession, org_id: uuid.UUID, events: Sequence[AuditEvent]
) -> list[AuditEventOut]:
    """Audit events with who acted: a user's display name, an integration key's name."""
    users = await refs_by_ids(session, User.display_name, org_id, _actors(events, "user"))
    keys = await refs_by_ids(session, ApiKey.name, org_id, _actors(events, "api_key"))
    return [
        AuditEventOut(
            **_columns(event, AuditEventOut, "actor"),
            actor=(users if event.actor_kind == "user" else keys).get(event.actor_id)
            if event.actor_id is not None
            else None,
        )
        for event in events
    ]


def _columns(row: object, model: type[BaseModel], *links: str) -> dict[str, Any]:
    """The response's fields read from the row, all but its links."""
    return {name: getattr(row, name) for name in model.model_fields if name not in links}


def _actors(events: Sequence[AuditEvent], kind: str) -> list[uuid.UUID]:
    return [e.actor_id for e in events if e.actor_kind == kind and e.actor_id is not None]
