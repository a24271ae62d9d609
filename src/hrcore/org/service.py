"""Departments, positions and position descriptions."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.schemas import Ref
from hrcore.org import repository
from hrcore.org.models import Department


async def require_department(
    session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID, field: str = "department_id"
) -> Department:
    """A department referenced in a request body: 422 when it is not in this organization."""
    department = await repository.department_by_id(session, org_id, department_id)
    if department is None:
        raise Unprocessable(
            "Unknown department", errors=[FieldError(field=field, message="no such department")]
        )
    return department


async def department_ref(
    session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID
) -> Ref | None:
    department = await repository.department_by_id(session, org_id, department_id)
    return Ref(id=department.id, name=department.name) if department else None


async def subtree_ids(session: AsyncSession, org_id: uuid.UUID, root_id: uuid.UUID) -> Select[Any]:
    """A sub-select of the ids in a department's subtree, to embed in another domain's query.

    An unknown root yields a select that matches nothing, so callers need no special case.
    """
    root = await repository.department_by_id(session, org_id, root_id)
    return repository.subtree_ids(org_id, root.path if root else "\x00")
