"""The department tree: list, read, create, rename, move and delete (HR admins write).

Each department keeps its materialized `path`; creating under a parent and moving take the
per-org tree lock first, so two crossing moves cannot build a cycle.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.concurrency import check_version
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import N_, Lines, _
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.references import referenced_row, refs_by_ids
from hrcore.core.schemas import Ref
from hrcore.org import repository
from hrcore.org.access import find_department, require_reader, require_writer
from hrcore.org.models import Department
from hrcore.org.references import NO_PATH
from hrcore.org.schemas import DepartmentCreate, DepartmentOut, DepartmentPatch, DepartmentSort

DEPARTMENT_SORT_KEYS = {"tree": Department.path, "name": Department.name}


@dataclass(frozen=True)
class DepartmentFilters:
    parent_id: uuid.UUID | None = None
    root_id: uuid.UUID | None = None
    q: str | None = None
    sort: DepartmentSort = "tree"


def department_view(department: Department, parents: Mapping[uuid.UUID, Ref]) -> DepartmentOut:
    """The department with its parent's link from `parents` (`department_views` reads them)."""
    ancestors = [uuid.UUID(part) for part in department.path.strip("/").split("/")[:-1]]
    return DepartmentOut(
        id=department.id,
        name=department.name,
        code=department.code,
        parent_id=department.parent_id,
        parent=parents.get(department.parent_id) if department.parent_id else None,
        ancestor_ids=ancestors,
        depth=len(ancestors),
        created_at=department.created_at,
        version=department.version,
    )


async def department_views(
    session: AsyncSession, rows: Sequence[Department]
) -> list[DepartmentOut]:
    """Departments with their parents' names, read in one statement however many rows."""
    if not rows:
        return []
    parent_ids = [row.parent_id for row in rows if row.parent_id is not None]
    parents = await refs_by_ids(session, Department.name, rows[0].org_id, parent_ids)
    return [department_view(row, parents) for row in rows]


def department_snapshot(department: Department) -> dict[str, Any]:
    """What an audit event records of a department."""
    return {
        "name": department.name,
        "code": department.code,
        "parent_id": str(department.parent_id) if department.parent_id else None,
        "path": department.path,
    }


def refuse_cycle(department: Department, parent: Department) -> None:
    """422 when `parent` lies inside the department's own subtree."""
    if parent.path.startswith(department.path):
        raise Unprocessable(
            _("A department cannot move under itself or one of its sub-departments"),
            errors=[FieldError(field="parent_id", message=_("inside the department's subtree"))],
        )


async def ensure_code_free(session: AsyncSession, org_id: uuid.UUID, code: str) -> None:
    if await repository.department_code_taken(session, org_id, code):
        raise Conflict(_("A department with code '{code}' exists", code=code))


async def _parent(session: AsyncSession, org_id: uuid.UUID, parent_id: uuid.UUID) -> Department:
    return await referenced_row(
        session,
        Department,
        org_id,
        parent_id,
        field="parent_id",
        title=_("Unknown department"),
        message=_("no such department"),
    )


async def list_departments(
    session: AsyncSession, principal: Principal, page: PageParams, filters: DepartmentFilters
) -> tuple[list[Department], str | None]:
    require_reader(principal)
    prefix = None
    if filters.root_id is not None:
        root = await repository.department_by_id(session, principal.org_id, filters.root_id)
        prefix = root.path if root else NO_PATH
    statement = repository.departments_query(
        principal.org_id, parent_id=filters.parent_id, path_prefix=prefix, q=filters.q
    )
    keys = [DEPARTMENT_SORT_KEYS[filters.sort], Department.id]
    return await paginate(session, statement, keys, page)


async def get_department(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID
) -> Department:
    require_reader(principal)
    return await find_department(session, principal, department_id)


async def create_department(
    session: AsyncSession, principal: Principal, body: DepartmentCreate
) -> Department:
    require_writer(principal)
    parent = None
    if body.parent_id is not None:
        await repository.lock_tree(session, principal.org_id)
        parent = await _parent(session, principal.org_id, body.parent_id)
    await ensure_code_free(session, principal.org_id, body.code)
    department = Department(
        org_id=principal.org_id, name=body.name, code=body.code, parent_id=body.parent_id, path=""
    )
    department.path = f"{parent.path if parent else '/'}{department.id}/"
    session.add(department)
    await session.flush()
    audit.record(
        session,
        principal,
        "department.created",
        "department",
        department.id,
        org_id=principal.org_id,
        after=department_snapshot(department),
    )
    return department


async def update_department(
    session: AsyncSession,
    principal: Principal,
    department_id: uuid.UUID,
    body: DepartmentPatch,
    *,
    if_match: str | None,
) -> Department:
    """Rename, re-code or move. A move takes the tree lock before reading any path."""
    require_writer(principal)
    fields = body.model_dump(exclude_unset=True, exclude={"version"})
    if "parent_id" in fields:
        await repository.lock_tree(session, principal.org_id)
    department = await find_department(session, principal, department_id)
    check_version(department.version, if_match=if_match, body_version=body.version)
    before = department_snapshot(department)
    if fields.get("code", department.code) != department.code:
        await ensure_code_free(session, principal.org_id, fields["code"])
    for name in ("name", "code"):
        if name in fields:
            setattr(department, name, fields[name])
    if "parent_id" in fields and fields["parent_id"] != department.parent_id:
        await _move(session, principal, department, fields["parent_id"])
    await session.flush()
    changed_before, changed_after = audit.changes(before, department_snapshot(department))
    if changed_after:
        action = "department.moved" if "parent_id" in changed_after else "department.updated"
        audit.record(
            session,
            principal,
            action,
            "department",
            department.id,
            org_id=principal.org_id,
            before=changed_before,
            after=changed_after,
        )
    return department


async def _move(
    session: AsyncSession,
    principal: Principal,
    department: Department,
    parent_id: uuid.UUID | None,
) -> None:
    """Re-parent the department; refuse a parent inside its own subtree (a cycle)."""
    parent_path = "/"
    if parent_id is not None:
        parent = await _parent(session, principal.org_id, parent_id)
        refuse_cycle(department, parent)
        parent_path = parent.path
    await repository.move_subtree(session, department, f"{parent_path}{department.id}/")
    department.parent_id = parent_id


async def delete_department(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID, *, if_match: str | None
) -> None:
    """Only an empty department goes: nothing may be left pointing at a deleted one."""
    require_writer(principal)
    department = await find_department(session, principal, department_id)
    check_version(department.version, if_match=if_match, body_version=None)
    blockers = await repository.department_blockers(session, principal.org_id, department.id)
    if blockers:
        listed = blocker_list(blockers)
        raise Conflict(
            _("The department still has {listed}; move or remove them first", listed=listed)
        )
    before = department_snapshot(department)
    await session.delete(department)
    await session.flush()
    audit.record(
        session,
        principal,
        "department.deleted",
        "department",
        department.id,
        org_id=principal.org_id,
        before=before,
    )


_BLOCKERS = {
    "sub_departments": N_("sub departments"),
    "positions": N_("positions"),
    "employees": N_("employees"),
    "employment_history": N_("employment history"),
}


def blocker_list(blockers: list[str]) -> Lines:
    """What still refers to a department (`sub departments`, `positions`…), from the
    repository's names, each in the reader's language."""
    return Lines([_(_BLOCKERS[name]) for name in blockers], separator=N_(", "))
