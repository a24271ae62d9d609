"""Who reads analytics: HR admins any department subtree or the whole organization; a
department head their own subtree (another one is 404, as if it did not exist); nobody
else (403), and no integration key (figures name people through their drill-downs)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, require_hr_or_dept_head
from hrcore.core.errors import NotFound
from hrcore.core.i18n import _
from hrcore.core.schemas import Ref
from hrcore.org import api as org


@dataclass(frozen=True)
class Scope:
    """The departments a read counts (None: the whole organization) and the one named."""

    department_ids: list[uuid.UUID] | None
    department: Ref | None


async def readable_scope(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID | None
) -> Scope:
    """The subtree of `department_id` (the caller's own for a department head who names
    none), checked against the caller's reach."""
    principal.require_key_scope(None)
    require_hr_or_dept_head(principal, _("Only HR admins and department heads read analytics"))
    if principal.is_hr_admin and department_id is None:
        return Scope(None, None)
    root = department_id or principal.department_scope
    assert root is not None
    if not principal.is_hr_admin:
        assert principal.department_scope is not None
        paths = await org.department_paths(
            session, principal.org_id, [root, principal.department_scope]
        )
        own = paths.get(principal.department_scope)
        if own is None or not paths.get(root, "").startswith(own):
            raise NotFound(_("No such department"))
    department = await org.department_ref(session, principal.org_id, root)
    if department is None:
        raise NotFound(_("No such department"))
    return Scope(await org.subtree_ids(session, principal.org_id, root), department)
