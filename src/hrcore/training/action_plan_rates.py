"""Action-plan completion per employee: of the plans due in a window, how many are scored —
what promotion asks (≥ 80 %) and the incentives evaluate. Set-based: one statement for any
number of employees (after the organization's time zone, which a request already has)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.identity import api as identity
from hrcore.training import action_plan_repository


@dataclass(frozen=True)
class CompletionRate:
    """`due`: plans due in the window (day 30 after their course); `scored`: those of them
    scored by both sides, whenever; `rate`: scored / due, None with nothing due."""

    due: int
    scored: int

    @property
    def rate(self) -> float | None:
        return self.scored / self.due if self.due else None


async def completion_rates(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID],
    *,
    start: date,
    end: date,
) -> dict[uuid.UUID, CompletionRate]:
    """Each employee's completion over the plans due from `start` to `end` (both included,
    the organization's days); every id asked for is answered (0 due where none)."""
    if not employee_ids:
        return {}
    rows = await action_plan_repository.completion_rates(
        session,
        org_id,
        await identity.org_timezone(session, org_id),
        list(dict.fromkeys(employee_ids)),
        start,
        end,
    )
    return {row["employee_id"]: CompletionRate(row["due"], row["scored"]) for row in rows}
