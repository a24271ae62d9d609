"""Who reads training's reports: HR admins over the organization or any department's
subtree, department heads over their own subtree or a department inside it (another
department: 404, as if it did not exist); anyone else 403, integration keys too."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, require_hr_or_dept_head
from hrcore.core.errors import NotFound
from hrcore.core.i18n import _
from hrcore.org import api as org


@dataclass(frozen=True)
class Reach:
    """The departments a report covers (`None`: the whole organization) and the subtree's
    root the caller asked for, if any."""

    department_ids: list[uuid.UUID] | None
    root_id: uuid.UUID | None


async def report_reach(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID | None
) -> Reach:
    """The reach of a report for `department_id`'s subtree (None: all the caller sees)."""
    principal.require_key_scope(None)
    require_hr_or_dept_head(
        principal, _("Only HR admins and department heads read training reports")
    )
    if principal.is_hr_admin:
        if department_id is None:
            return Reach(None, None)
        return Reach(await _subtree(session, principal.org_id, department_id), department_id)
    assert principal.department_scope is not None  # a department head has one
    own = await _subtree(session, principal.org_id, principal.department_scope)
    if department_id is None or department_id == principal.department_scope:
        return Reach(own, principal.department_scope)
    if department_id not in own:
        raise NotFound(_("No such department"))
    return Reach(await _subtree(session, principal.org_id, department_id), department_id)


async def _subtree(
    session: AsyncSession, org_id: uuid.UUID, department_id: uuid.UUID
) -> list[uuid.UUID]:
    subtree = await org.subtree_ids(session, org_id, department_id)
    if not subtree:
        raise NotFound(_("No such department"))
    return subtree
