"""Who may see and do what with competencies: everyone in the organization reads the
library and the models (they describe jobs, not people); HR admins write. A department's
heat map shows people: HR admins, the department's heads and the managers of people in it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies.models import COMPETENCIES, Competency
from hrcore.core.authz import Principal
from hrcore.core.errors import NotFound
from hrcore.core.i18n import _
from hrcore.org import api as org
from hrcore.people import api as people


def require_reader(principal: Principal) -> None:
    """Any member of the organization reads the library: authentication already checked it."""


async def readable_competency(
    session: AsyncSession, principal: Principal, competency_id: uuid.UUID
) -> Competency:
    """The organization's competency, else 404 (another organization's included)."""
    require_reader(principal)
    return await COMPETENCIES.require(session, principal.org_id, competency_id)


async def ensure_heatmap_reader(
    session: AsyncSession,
    principal: Principal,
    department_id: uuid.UUID,
    reach: Sequence[uuid.UUID] | None,
    persons: Sequence[people.EmployeePost],
) -> None:
    """HR admins (whose reach is the organization) read any department's heat map; a
    department head one inside their scope; a manager one where someone of theirs works
    (they see only those). Anyone else 404, as if the department did not exist."""
    if reach is None:
        return
    if principal.is_dept_head and principal.department_scope is not None:
        paths = await org.department_paths(
            session, principal.org_id, [department_id, principal.department_scope]
        )
        scope = paths.get(principal.department_scope)
        if scope is not None and paths.get(department_id, "").startswith(scope):
            return
    if any(person.ref.id != principal.employee_id for person in persons):
        return
    raise NotFound(_("No such department"))
