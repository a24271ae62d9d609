"""Departments mirrored from the DingTalk directory (integrations calls this).

These are system changes: audited with actor None, and idempotent, so a sync may repeat.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.errors import Conflict
from hrcore.core.i18n import _
from hrcore.org import repository
from hrcore.org.departments import blocker_list, department_snapshot, ensure_code_free, refuse_cycle
from hrcore.org.models import Department

DIRECTORY_CODE_PREFIX = "dingtalk-"
"""Code of a department created from the DingTalk directory: `dingtalk-<dept id>`."""


def _directory_snapshot(department: Department) -> dict[str, Any]:
    return {**department_snapshot(department), "dingtalk_dept_id": department.dingtalk_dept_id}


async def department_ids_for_dingtalk(
    session: AsyncSession, org_id: uuid.UUID, dingtalk_dept_ids: Sequence[str]
) -> dict[str, uuid.UUID]:
    """Our department ids by DingTalk department id (unknown ids are absent)."""
    return await repository.department_ids_by_dingtalk_ids(session, org_id, set(dingtalk_dept_ids))


async def dingtalk_dept_ids(
    session: AsyncSession, org_id: uuid.UUID, department_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """DingTalk department ids of our departments (unlinked ones are absent)."""
    return await repository.dingtalk_ids_of_departments(session, org_id, set(department_ids))


async def apply_directory_department(
    session: AsyncSession,
    org_id: uuid.UUID,
    *,
    dingtalk_dept_id: str,
    name: str,
    parent_dingtalk_dept_id: str | None,
) -> str:
    """Create or update the department linked to a DingTalk department; idempotent.

    Returns "created", "updated" or "unchanged". A parent that is not (yet) synced leaves a
    new department at the top and an existing one where it is. Moves refuse cycles (422).
    """
    await repository.lock_tree(session, org_id)
    department = await repository.department_by_dingtalk_id(session, org_id, dingtalk_dept_id)
    parent = None
    if parent_dingtalk_dept_id is not None and parent_dingtalk_dept_id != dingtalk_dept_id:
        parent = await repository.department_by_dingtalk_id(
            session, org_id, parent_dingtalk_dept_id
        )
    if department is None:
        await _create(session, org_id, dingtalk_dept_id, name, parent)
        return "created"
    before = _directory_snapshot(department)
    department.name = name
    if parent is not None and parent.id != department.parent_id:
        refuse_cycle(department, parent)
        await repository.move_subtree(session, department, f"{parent.path}{department.id}/")
        department.parent_id = parent.id
    await session.flush()
    changed_before, changed_after = audit.changes(before, _directory_snapshot(department))
    if not changed_after:
        return "unchanged"
    action = "department.moved" if "parent_id" in changed_after else "department.updated"
    audit.record(
        session,
        None,
        action,
        "department",
        department.id,
        org_id=org_id,
        before=changed_before,
        after=changed_after,
    )
    return "updated"


async def _create(
    session: AsyncSession,
    org_id: uuid.UUID,
    dingtalk_dept_id: str,
    name: str,
    parent: Department | None,
) -> None:
    code = f"{DIRECTORY_CODE_PREFIX}{dingtalk_dept_id}"
    await ensure_code_free(session, org_id, code)
    department = Department(
        org_id=org_id,
        name=name,
        code=code,
        parent_id=parent.id if parent else None,
        path="",
        dingtalk_dept_id=dingtalk_dept_id,
    )
    department.path = f"{parent.path if parent else '/'}{department.id}/"
    session.add(department)
    await session.flush()
    audit.record(
        session,
        None,
        "department.created",
        "department",
        department.id,
        org_id=org_id,
        after=_directory_snapshot(department),
    )


async def remove_directory_department(
    session: AsyncSession, org_id: uuid.UUID, dingtalk_dept_id: str
) -> bool:
    """Delete the department linked to a DingTalk department; False when there is none.

    Only an empty department goes: 409 naming what still refers to it.
    """
    department = await repository.department_by_dingtalk_id(session, org_id, dingtalk_dept_id)
    if department is None:
        return False
    blockers = await repository.department_blockers(session, org_id, department.id)
    if blockers:
        raise Conflict(
            _(
                "Department '{name}' (DingTalk {dingtalk_id}) still has {blockers}; move or "
                "remove them first",
                name=department.name,
                dingtalk_id=dingtalk_dept_id,
                blockers=blocker_list(blockers),
            )
        )
    before = _directory_snapshot(department)
    await session.delete(department)
    await session.flush()
    audit.record(
        session,
        None,
        "department.deleted",
        "department",
        department.id,
        org_id=org_id,
        before=before,
    )
    return True
