"""Departments and positions as other domains refer to them: ids in request bodies checked
(422 when unknown), names for links, tree paths and subtrees, job families, and the lookups
an import resolves codes and name paths with. No access check: the caller's use case has
made its own."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.i18n import _
from hrcore.core.references import ref_by_id, referenced_row, refs_by_ids
from hrcore.core.schemas import Ref
from hrcore.org import repository
from hrcore.org.models import Department, Position

NO_PATH = "//"
"""A path prefix no department has (paths are `/<id>/…`): a subtree that matches nothing."""


@dataclass(frozen=True)
class PositionInfo:
    """What other domains read of a position: drafting terms, opening a vacancy for it."""

    id: uuid.UUID
    title: str
    department_id: uuid.UUID
    grade: str
    is_management: bool


async def require_department(
    session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID, field: str = "department_id"
) -> Ref:
    """A department referenced in a request body: 422 when it is not in this organization."""
    department = await referenced_row(
        session,
        Department,
        org_id,
        department_id,
        field=field,
        title=_("Unknown department"),
        message=_("no such department"),
    )
    return Ref(id=department.id, name=department.name)


async def require_position(
    session: AsyncSession, org_id: uuid.UUID, position_id: uuid.UUID, field: str = "position_id"
) -> PositionInfo:
    """A position referenced in a request body: 422 when it is not in this organization."""
    position = await referenced_row(
        session,
        Position,
        org_id,
        position_id,
        field=field,
        title=_("Unknown position"),
        message=_("no such position"),
    )
    return PositionInfo(
        position.id, position.title, position.department_id, position.grade, position.is_management
    )


async def department_ref(
    session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID
) -> Ref | None:
    return await ref_by_id(session, Department.name, org_id, department_id)


async def department_refs(
    session: AsyncSession, org_id: uuid.UUID, department_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Ref]:
    """Links to many departments in one query (for another domain's reports)."""
    return await refs_by_ids(session, Department.name, org_id, department_ids)


async def subtree_ids(
    session: AsyncSession, org_id: uuid.UUID, root_id: uuid.UUID
) -> list[uuid.UUID]:
    """The ids of a department and every department below it, in one query (a named query:
    another domain filters its own rows by them). An unknown root has an empty subtree."""
    return await repository.subtree_of(session, org_id, root_id)


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
    return await refs_by_ids(session, Position.title, org_id, position_ids)


async def position_families(
    session: AsyncSession, org_id: uuid.UUID, position_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str | None]:
    """Each position's job family (None when it has none), in one query."""
    return await repository.position_families(session, org_id, list(set(position_ids)))


async def positions_in_families(
    session: AsyncSession, org_id: uuid.UUID, families: Sequence[str]
) -> list[uuid.UUID]:
    """The ids of the positions in these job families, in one query (none for no families)."""
    if not families:
        return []
    return await repository.positions_in_families(session, org_id, list(set(families)))


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
