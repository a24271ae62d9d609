"""Queries of the organization structure."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.org.models import Department


async def department_by_id(
    session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID
) -> Department | None:
    return await session.scalar(
        select(Department).where(Department.org_id == org_id, Department.id == department_id)
    )


def subtree_ids(org_id: uuid.UUID, root_path: str) -> Select[Any]:
    """Ids of the department at `root_path` and everything below it (one indexed prefix scan)."""
    return select(Department.id).where(
        Department.org_id == org_id, Department.path.startswith(root_path, autoescape=True)
    )
