"""Where a cycle stands: submission and on-time rates by department and relationship, and
the score distribution — three grouped queries, whatever the cycle's size.

On time means submitted by the end of the cycle's due date in the organization's time zone
(the moment the raters' tasks fall due). Department heads see their subtree only.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.org import api as org
from hrcore.people import api as people
from hrcore.reviews import access, repository
from hrcore.reviews.models import RELATIONSHIPS, ReviewCycle
from hrcore.reviews.schemas import (
    Completion,
    CycleProgress,
    RelationshipProgress,
    ReviewDepartmentProgress,
    ScoreBucket,
)
from hrcore.workflow import api as workflow

BUCKETS = 10


def _completion(rows: Iterable[Any]) -> dict[str, Any]:
    assignments = submitted = on_time = 0
    for row in rows:
        assignments += row.assignments
        submitted += row.submitted
        on_time += row.on_time
    return Completion(
        assignments=assignments,
        submitted=submitted,
        submitted_on_time=on_time,
        submission_rate=round(submitted / assignments, 4) if assignments else None,
        on_time_rate=round(on_time / assignments, 4) if assignments else None,
    ).model_dump()


async def _by_relationship(
    session: AsyncSession,
    cycle: ReviewCycle,
    visible: list[uuid.UUID] | None,
    rows: dict[str, list[Any]],
    participants: int,
) -> list[RelationshipProgress]:
    """Completion per relationship, and who falls short of the cycle's minimum raters."""
    minimums = {r: int(cycle.min_raters.get(r, 0)) for r in RELATIONSHIPS}
    reaching: dict[str, int] = defaultdict(int)
    for row in await repository.submitted_per_participant(session, cycle.org_id, cycle.id, visible):
        if row.answered >= minimums[row.relationship]:
            reaching[row.relationship] += row.participants
    return [
        RelationshipProgress.model_validate(
            {
                "relationship": r,
                **_completion(rows.get(r, [])),
                "minimum": minimums[r],
                "participants_below_minimum": participants - reaching[r] if minimums[r] else 0,
            }
        )
        for r in RELATIONSHIPS
        if r in rows or minimums[r]
    ]


async def cycle_progress(
    session: AsyncSession, principal: Principal, cycle_id: uuid.UUID
) -> CycleProgress:
    cycle = await access.readable_cycle(session, principal, cycle_id)
    visible = await people.visible_employee_ids(session, principal)
    due = await workflow.due_moment(session, cycle.org_id, cycle.due_on)
    rows = await repository.completion_counts(session, cycle.org_id, cycle.id, due, visible)
    participants = await repository.participants_per_department(
        session, cycle.org_id, cycle.id, visible
    )
    buckets = await repository.score_buckets(session, cycle.org_id, cycle.id, visible, BUCKETS)
    by_department, by_relationship = defaultdict(list), defaultdict(list)
    for row in rows:
        by_department[row.department_id].append(row)
        by_relationship[row.relationship].append(row)
    refs = await org.department_refs(session, cycle.org_id, list(participants))
    width = 100 // BUCKETS
    return CycleProgress(
        cycle_id=cycle.id,
        status=cycle.status,
        participants=sum(participants.values()),
        **_completion(rows),
        by_department=sorted(
            (
                ReviewDepartmentProgress(
                    department=refs[department_id],
                    participants=count,
                    **_completion(by_department[department_id]),
                )
                for department_id, count in participants.items()
            ),
            key=lambda d: (d.department.name, d.department.id),
        ),
        by_relationship=await _by_relationship(
            session, cycle, visible, by_relationship, sum(participants.values())
        ),
        score_distribution=[
            ScoreBucket(low=(b - 1) * width, high=b * width, results=buckets.get(b, 0))
            for b in range(1, BUCKETS + 1)
        ]
        if buckets
        else [],
    )
