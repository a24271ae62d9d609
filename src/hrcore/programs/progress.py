"""Where a run stands, per stage and department in the caller's reach: counts and rates
computed in SQL, and who is late."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.programs import access, repository
from hrcore.programs.schemas import ProgressOut

_COUNTS = ("participants", "completed", "completion_rate", "on_time_rate", "overdue")
"""The columns of `repository.progress_rows` after key, name, kind, position, department."""
_PROGRESS = TypeAdapter(ProgressOut)


async def progress(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, clock: Clock
) -> ProgressOut:
    """Per stage and department, in the caller's reach: counts and rates computed in SQL,
    then the late participants, their names and every department's name (one statement each).

    A run of thousands has thousands of department rows: they are gathered as plain data and
    validated in one pass, not built model by model.
    """
    access.require_reader(principal)
    run = await access.find_run(session, principal, run_id)
    visible = await people.visible_employee_ids(session, principal)
    now = clock.now()
    rows = await repository.progress_rows(session, run.org_id, run.id, now, visible)
    late = await repository.late_rows(session, run.org_id, run.id, now, visible)
    names = await people.employee_refs(session, run.org_id, [r.employee_id for r in late])
    departments = await org.department_refs(
        session,
        run.org_id,
        [r.department_id for r in late] + [row[4] for row in rows if row[4] is not None],
    )
    late_by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in late:
        late_by_key[r.key].append(
            {
                "participant_id": r.participant_id,
                "employee": {"id": r.employee_id, "name": names[r.employee_id].name},
                "department_id": r.department_id,
                "department": departments[r.department_id],
                "due_on": r.due_on,
                "status": r.status,
            }
        )
    stages: dict[str, dict[str, Any]] = {}
    positions: dict[str, int] = {}
    # Ordered by key, each stage's total (no department) first; unpacked, not read by name.
    for key, name, kind, position, department_id, *counts in rows:
        figures = dict(zip(_COUNTS, counts, strict=True))
        if department_id is None:
            stages[key] = figures | {
                "key": key,
                "name": name,
                "kind": kind,
                "departments": [],
                "late": late_by_key[key],
            }
            positions[key] = position
        else:
            figures["department_id"] = department_id
            figures["department"] = departments[department_id]
            stages[key]["departments"].append(figures)
    ordered = [stages[key] for key in sorted(stages, key=positions.__getitem__)]
    return _PROGRESS.validate_python({"run_id": run.id, "as_of": now, "stages": ordered})
