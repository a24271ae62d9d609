"""Departments and positions as other domains refer to them: ids in request bodies checked
(422 when unknown), names for links, tree paths and subtrees, job families, and the lookups
an import resolves codes and name paths with. No access check: the caller's use case has
made its own."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.schemas import Ref
from hrcore.org import repository
from hrcore.org.models import Department, Position

NO_PATH = "//"
"""A path prefix no department has (paths are `/<id>/…`): a subtree that matches nothing."""


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


async def require_position(
    session: AsyncSession, org_id: uuid.UUID, position_id: uuid.UUID, field: str = "position_id"
) -> Position:
    """A position referenced in a request body: 422 when it is not in this organization."""
    position = await repository.position_by_id(session, org_id, position_id)
    if position is None:
        raise Unprocessable(
            "Unknown position", errors=[FieldError(field=field, message="no such position")]
        )
    return position


async def department_ref(
    session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID
) -> Ref | None:
    department = await repository.department_by_id(session, org_id, department_id)
    return Ref(id=department.id, name=department.name) if department else None


async def department_refs(
    session: AsyncSession, org_id: uuid.UUID, department_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Ref]:
    """Links to many departments in one query (for another domain's reports)."""
    names = await repository.department_names(session, org_id, list(set(department_ids)))
    return {
        department_id: Ref(id=department_id, name=name) for department_id, name in names.items()
    }


async def subtree_ids(session: AsyncSession, org_id: uuid.UUID, root_id: uuid.UUID) -> Select[Any]:
    """A sub-select of the ids in a department's subtree, to embed in another domain's query.

    An unknown root yields a select that matches nothing, so callers need no special case.
    """
    path = await repository.department_path(session, org_id, root_id)
    return repository.subtree_ids(org_id, path or NO_PATH)


async def department_paths(
    session: AsyncSession, org_id: uuid.UUID, department_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """Tree paths (`/root/…/id/`) of these departments in one query: `a` is inside `b` when
    `a`'s path starts with `b`'s."""
    if not department_ids:
        return {}
    return await repository.paths_of(session, org_id, department_ids)


async def position_refs(
    session: AsyncSession, org_id: uuid.UUID, position_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Ref]:
    """Links to many positions in one query (for another domain's lists)."""
    titles = await repository.position_titles(session, org_id, list(set(position_ids)))
    return {position_id: Ref(id=position_id, name=title) for position_id, title in titles.items()}


async def position_families(
    session: AsyncSession, org_id: uuid.UUID, position_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str | None]:
    """Each position's job family (None when it has none), in one query."""
    return await repository.position_families(session, org_id, list(set(position_ids)))


def positions_in_families(org_id: uuid.UUID, families: Select[Any]) -> Select[Any]:
    """The ids of positions whose family is one the `families` select yields, to embed."""
    return repository.positions_in_families(org_id, families)


async def department_lookup(session: AsyncSession, org_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """Departments by code and by their path of names from the top (`Sales/East`), for imports.

    Name paths are matched case-insensitively; codes exactly.
    """
    rows = await repository.department_rows(session, org_id)
    by_id = {department_id: (parent_id, name) for department_id, parent_id, name, _ in rows}

    def name_path(department_id: uuid.UUID) -> str:
        parent_id, name = by_id[department_id]
        return f"{name_path(parent_id)}/{name}" if parent_id in by_id else name

    lookup = {code: department_id for department_id, _, _, code in rows}
    for department_id in by_id:
        lookup.setdefault(name_path(department_id).casefold(), department_id)
    return lookup


async def position_lookup(session: AsyncSession, org_id: uuid.UUID) -> dict[str, uuid.UUID]:
    """Positions by code, for imports."""
    return await repository.position_codes(session, org_id)
