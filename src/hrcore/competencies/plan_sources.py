"""What a development plan's actions ask of the domains that own them. Programs sits above
competencies, so competencies declares what it asks (`ProgramActionsProvider`, a
`core.registry` hook) and programs' registry answers it: whether a run exists and how far
the employee got in it. Stretch assignments, courses and mentoring answer nothing yet: their
actions keep the status the plan's editors set."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.schemas import Ref


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
