"""What a development plan's actions ask of what they name. Programs sits above
competencies, so competencies declares what it asks (`ProgramActionsProvider`, a
`core.registry` hook) and programs' registry answers it: whether a run exists and how far
the employee got in it. Stretch assignments are competencies' own: whether the employee is
on one or may read it (their department or one above it), and their part in it — active,
completed with the outcome. Courses and mentoring answer nothing yet: their actions keep
the status the plan's editors set."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import stretch_repository
from hrcore.core.schemas import Ref
from hrcore.org import api as org
from hrcore.people import api as people


@dataclass(frozen=True)
class ProgramAction:
    """A program run an action names, and the employee's participation status in it (None:
    not a participant)."""

    run: Ref
    participation: str | None


ProgramActionsSource = Callable[
    [AsyncSession, uuid.UUID, uuid.UUID, Sequence[uuid.UUID]],
    Awaitable[Mapping[uuid.UUID, ProgramAction]],
]
"""(session, org id, employee id, run ids) → the runs of the organization among them, one
statement."""

_PROGRAM_ACTIONS: list[ProgramActionsSource] = []

PARTICIPATION_STATUS = {
    "enrolled": "planned",
    "active": "in_progress",
    "completed": "done",
    "graduated": "done",
    "withdrawn": "dropped",
}
"""A program action's status from the employee's participation in the run."""


@dataclass(frozen=True)
class ProgramActionsProvider:
    """Programs' declaration (a `core.registry.Hook`): it answers program actions."""

    source: ProgramActionsSource

    def install(self) -> None:
        _PROGRAM_ACTIONS[:] = [self.source]


async def program_actions(
    session: AsyncSession, org_id: uuid.UUID, employee_id: uuid.UUID, run_ids: Sequence[uuid.UUID]
) -> Mapping[uuid.UUID, ProgramAction]:
    """The named runs of the organization with the employee's participation; nothing is
    asked when no action names a run."""
    if not run_ids:
        return {}
    if not _PROGRAM_ACTIONS:
        raise RuntimeError("No program actions source: install hrcore.domains.DOMAINS")
    return await _PROGRAM_ACTIONS[0](session, org_id, employee_id, list(dict.fromkeys(run_ids)))


ASSIGNEE_STATUS = {"active": "in_progress", "completed": "done"}
"""A stretch-assignment action's status from the employee's part in the assignment."""


@dataclass(frozen=True)
class StretchAction:
    """An assignment an action names: its department and the employee's part in it (None:
    not on it), with the outcome once recorded."""

    department_id: uuid.UUID
    assignee_status: str | None
    outcome: dict[str, Any] | None


async def stretch_actions(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_id: uuid.UUID,
    assignment_ids: Sequence[uuid.UUID],
) -> Mapping[uuid.UUID, StretchAction]:
    """The named assignments of the organization with the employee's part in each, one
    statement; nothing is asked when no action names one."""
    if not assignment_ids:
        return {}
    rows = await stretch_repository.employee_on(
        session, org_id, employee_id, list(dict.fromkeys(assignment_ids))
    )
    return {
        row["id"]: StretchAction(
            department_id=row["department_id"],
            assignee_status=row["assignee_status"],
            outcome={
                "figures": row["figures"],
                "competencies": [
                    {"competency_id": line["competency_id"], "evidence": line["evidence"]}
                    for line in row["competencies"]
                ],
                "recorded_at": row["recorded_at"],
            }
            if row["recorded_at"] is not None
            else None,
        )
        for row in rows
    }


async def reachable_assignments(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee: people.EmployeeInfo,
    assignment_ids: Sequence[uuid.UUID],
) -> set[uuid.UUID]:
    """Which of the named assignments the employee is on or may read (their department or
    one above it): two statements, none when no action names one."""
    found = await stretch_actions(session, org_id, employee.id, assignment_ids)
    if not found:
        return set()
    paths = await org.department_paths(session, org_id, [employee.department_id])
    above = {uuid.UUID(part) for part in paths.get(employee.department_id, "").split("/") if part}
    return {
        assignment_id
        for assignment_id, action in found.items()
        if action.assignee_status is not None or action.department_id in above
    }
