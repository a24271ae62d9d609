"""Rater assignments and their tasks: who is asked to review whom, due with the cycle.

Each assignment carries a task in the tasks engine (reminders, escalation); peer and
subordinate tasks are confidential. A rater's task closes only by submitting the answers
(`answers`), never through the task itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core.authz import Principal
from hrcore.core.db import insert_all
from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import N_, Text, _
from hrcore.core.models import new_id
from hrcore.reviews.models import ANONYMOUS, ReviewAssignment, ReviewCycle, ReviewParticipant
from hrcore.workflow import api as workflow
from hrcore.workflow.api import Submission, TaskInfo

TASK_KIND = "review.rate"
SUBJECT = "review_assignment"


@dataclass(frozen=True)
class Rating:
    """One rater asked to review one participant."""

    member: ReviewParticipant
    rater: uuid.UUID
    relationship: str
    participant_name: str


async def assign(
    session: AsyncSession,
    cycle: ReviewCycle,
    member: ReviewParticipant,
    rater: uuid.UUID,
    relationship: str,
    participant_name: str,
    *,
    actor: Principal | None,
) -> None:
    """One rater's assignment on one participant, with its task due with the cycle."""
    rating = Rating(member, rater, relationship, participant_name)
    await assign_many(session, cycle, [rating], actor=actor)


async def assign_many(
    session: AsyncSession,
    cycle: ReviewCycle,
    ratings: Sequence[Rating],
    *,
    actor: Principal | None,
) -> None:
    """Rater assignments with their tasks, all due with the cycle, in a few statements.

    Tasks are created first, so each assignment row is inserted with its `task_id`.
    """
    if not ratings:
        return
    assignment_ids = [new_id() for _ in ratings]
    task_ids = await workflow.create_tasks(
        session,
        org_id=cycle.org_id,
        tasks=[
            workflow.NewTask(
                subject_type=SUBJECT,
                subject_id=assignment_id,
                kind=TASK_KIND,
                assignee_employee_id=rating.rater,
                title=_task_title(cycle, rating.relationship, rating.participant_name),
                due=cycle.due_on,
                confidential=rating.relationship in ANONYMOUS,
                subject_employee_id=rating.member.employee_id,
            )
            for rating, assignment_id in zip(ratings, assignment_ids, strict=True)
        ],
        actor=actor,
    )
    await insert_all(
        session,
        ReviewAssignment,
        [
            {
                "id": assignment_id,
                "org_id": cycle.org_id,
                "cycle_id": cycle.id,
                "participant_id": rating.member.id,
                "rater_employee_id": rating.rater,
                "relationship": rating.relationship,
                "status": "pending",
                "answers": {},
                "evidence": [],
                "task_id": task_id,
            }
            for rating, assignment_id, task_id in zip(
                ratings, assignment_ids, task_ids, strict=True
            )
        ],
    )


RELATIONSHIPS = {
    "supervisor": N_("supervisor"),
    "peer": N_("peer"),
    "subordinate": N_("subordinate"),
}
"""How a rater's relationship reads in their task's title (the JSON keeps the code)."""


def _task_title(cycle: ReviewCycle, relationship: str, participant: str) -> Text:
    """In the rater's language: workflow renders it for the assignee."""
    if relationship == "self":
        return _("{cycle}: your self-assessment", cycle=cycle.name)
    return _(
        "{cycle}: review {participant} ({relationship})",
        cycle=cycle.name,
        participant=participant,
        relationship=Text(RELATIONSHIPS.get(relationship, relationship)),
    )


async def submitted_only(
    session: AsyncSession, task: TaskInfo, submission: Submission | None
) -> None:
    """A rater's task closes by submitting the answers, which it cannot carry itself.

    The submit that completes the task has just loaded and locked the assignment: the
    session's identity map answers without a second read (`session.get`)."""
    assignment = await session.get(ReviewAssignment, task.subject_id)
    if assignment is not None and assignment.org_id != task.org_id:
        assignment = None
    if assignment is not None and assignment.status != "submitted":
        raise Unprocessable(
            _("Submit the review itself: POST /review-assignments/{id}/submit", id=assignment.id),
            errors=[FieldError(field="task", message=_("completed by submitting the review"))],
        )
