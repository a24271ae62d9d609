"""An integration key limited to department subtrees pushes observations only for them.

A key created with `department_ids` (identity) reaches the employees whose current department
is in one of those subtrees and the departments in them; every other item of its batch is
refused with that reason, the others land. A key without departments, HR and the sources
inside hrcore are not limited. At most two statements per batch of a limited key (the items'
employees, then the paths of the key's departments and the items'), none otherwise.

Such a key reads back (`GET /metric-observations`) only the observations of the departments
in its subtrees and of the active employees in them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.i18n import Text, _
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.performance.schemas import ObservationIn


async def outside_key_scope(
    session: AsyncSession,
    actor: Principal,
    items: Sequence[ObservationIn],
    refused: dict[int, Text],
) -> dict[int, Text]:
    """Why each item not refused yet is outside the key's departments, by index."""
    roots = actor.key_departments
    pending = {i: item for i, item in enumerate(items) if i not in refused}
    if roots is None or not pending:
        return {}
    employees = await people.employee_summaries(
        session, actor.org_id, list({i.employee_id for i in pending.values() if i.employee_id})
    )
    department_of = {
        index: item.department_id
        if item.department_id is not None
        else employees[item.employee_id].department_id
        if item.employee_id in employees
        else None
        for index, item in pending.items()
    }
    wanted = {d for d in department_of.values() if d is not None} | set(roots)
    paths = await org.department_paths(session, actor.org_id, list(wanted))
    prefixes = [paths[root] for root in roots if root in paths]

    def inside(department: uuid.UUID | None) -> bool:
        path = paths.get(department) if department is not None else None
        return path is not None and any(path.startswith(prefix) for prefix in prefixes)

    return {
        index: _("outside the departments this integration key is limited to")
        for index, department in department_of.items()
        if not inside(department)
    }


async def key_reach(
    session: AsyncSession, actor: Principal
) -> tuple[list[uuid.UUID], list[uuid.UUID]] | None:
    """(employees, departments) a limited key reads observations of; None: not limited.
    Three statements per department the key names."""
    if actor.key_departments is None:
        return None
    employees: set[uuid.UUID] = set()
    departments: set[uuid.UUID] = set()
    for root in sorted(actor.key_departments):
        departments.update(await org.subtree_ids(session, actor.org_id, root))
        employees.update(await people.active_employees_in_subtree(session, actor.org_id, root))
    return sorted(employees), sorted(departments)
