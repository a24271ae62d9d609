"""What other domains and the composition roots may call of performance: `RECOMPUTE_JOB`,
the worker job that recomputes the live scores of the (employee, month) pairs in its payload
(`{"months": {employee_id: ["2026-11", …]}}`) — what an ingestion enqueues and the demo seed
enqueues for the observations it writes; `open_diagnoses`, the daily diagnosis sweep of one
organization, which the demo seed runs once; `scores_around` / `ScoresAround`, a named query:
for many (employee, day) pairs the overall live score (0–100) before the day and since it, in
one statement (training's effect report: before and after a course); `own_performance` /
`EmployeePerformanceOut`, the caller's own live scores explained as `/me/performance` shows
them (privacy's automated evaluations). Period ratings reach
screening and reviews through people's `performance_ratings`, which a period close writes
(`people.api.write_period_ratings`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal, own_employee_id
from hrcore.performance import reading, repository
from hrcore.performance.diagnoses import open_diagnoses
from hrcore.performance.live_scores import RECOMPUTE_JOB
from hrcore.performance.schemas import EmployeePerformanceOut

__all__ = [
    "RECOMPUTE_JOB",
    "EmployeePerformanceOut",
    "ScoresAround",
    "open_diagnoses",
    "own_performance",
    "scores_around",
]


@dataclass(frozen=True)
class ScoresAround:
    """An employee's overall live score of the latest period that starts before a day
    (`before`) and of the latest that starts on it or later (`after`); None without one."""

    before: float | None
    after: float | None


async def scores_around(
    session: AsyncSession,
    org_id: uuid.UUID,
    employee_ids: Sequence[uuid.UUID],
    days: Sequence[date],
) -> list[ScoresAround]:
    """For each pair (`employee_ids[i]`, `days[i]`) its `ScoresAround`, in the same order;
    one statement however many pairs."""
    rows = await repository.scores_around(session, org_id, employee_ids, days)
    return [ScoresAround(row["before"], row["after"]) for row in rows]


async def own_performance(session: AsyncSession, principal: Principal) -> EmployeePerformanceOut:
    """The caller's newest period scores, each indicator explained; 404 for an account not
    linked to an employee."""
    return await reading.employee_performance(session, principal, own_employee_id(principal))
