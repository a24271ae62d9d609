"""HR's two exceptional powers over rater work, both audited.

- **Reopen** a submitted answer while the cycle is open (a rater's mistake): it becomes a
  draft again and the rater gets a new task.
- **Raw answers**: individual answers with the raters' names break anonymity, so only an
  HR admin who also holds the `review_auditor` role may read them; everyone else gets 404
  (the answers do not exist for them), and every read leaves an audit event.
"""

from __future__ import annotations

import uuid
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.db import get_or_404
from hrcore.core.errors import Conflict
from hrcore.core.i18n import N_, _
from hrcore.core.labels import label
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read
from hrcore.files import api as files
from hrcore.identity import api as identity
from hrcore.people import api as people
from hrcore.reviews import access, repository
from hrcore.reviews.assignments import SUBJECT, TASK_KIND
from hrcore.reviews.models import ANONYMOUS, ReviewAssignment, ReviewCycle
from hrcore.reviews.schemas import ANSWERS, RawAnswer, ReopenIn
from hrcore.workflow import api as workflow

REOPEN_GRACE_DAYS = 3
"""Days a reopened rater gets when the cycle's due date has passed: working days when the
organization counts its tasks' days so (`workflow.due_after`)."""


async def _reopen_due(session: AsyncSession, cycle: ReviewCycle, clock: Clock) -> date:
    """The cycle's due date, or a few days from today when that has passed."""
    zone = ZoneInfo(await identity.org_timezone(session, cycle.org_id))
    today = clock.now().astimezone(zone).date()
    return max(
        cycle.due_on, await workflow.due_after(session, cycle.org_id, today, REOPEN_GRACE_DAYS)
    )


async def reopen(
    session: AsyncSession,
    principal: Principal,
    assignment_id: uuid.UUID,
    body: ReopenIn,
    clock: Clock,
) -> ReviewAssignment:
    require_hr_admin(principal)
    assignment = await get_or_404(
        session,
        ReviewAssignment,
        principal.org_id,
        assignment_id,
        what=N_("review assignment"),
        for_update=True,
    )
    cycle = await repository.cycle_by_id(session, principal.org_id, assignment.cycle_id)
    assert cycle is not None
    if cycle.status != "open":
        raise Conflict(_("The cycle is {status}", status=label(cycle.status)))
    if assignment.status != "submitted":
        raise Conflict(_("Only a submitted answer can be reopened"))
    submitted_at = assignment.submitted_at
    assignment.status, assignment.submitted_at = "draft", None
    participants = await repository.participants_by_ids(
        session, cycle.org_id, [assignment.participant_id]
    )
    assignment.task_id = await workflow.create_task(
        session,
        org_id=cycle.org_id,
        subject_type=SUBJECT,
        subject_id=assignment.id,
        kind=TASK_KIND,
        assignee_employee_id=assignment.rater_employee_id,
        due=await _reopen_due(session, cycle, clock),
        title=_(
            "{cycle}: your review was reopened — {reason}", cycle=cycle.name, reason=body.reason
        ),
        confidential=assignment.relationship in ANONYMOUS,
        subject_employee_id=participants[assignment.participant_id].employee_id,
        actor=principal,
    )
    await session.flush()
    audit.record(
        session,
        principal,
        "review_assignment.reopened",
        "review_assignment",
        assignment.id,
        org_id=assignment.org_id,
        before={"status": "submitted", "submitted_at": submitted_at.isoformat()}
        if submitted_at
        else {"status": "submitted"},
        after={"status": "draft", "reason": body.reason},
    )
    return assignment


async def raw_answers(
    session: AsyncSession, principal: Principal, result_id: uuid.UUID
) -> list[RawAnswer]:
    access.require_raw_answer_reader(principal)
    result = await access.readable_result(session, principal, result_id)
    note_read(principal, result.employee_id, DataClass.EVALUATION, "review_result.raw_answers")
    assignments = await repository.assignments_of_cycle(
        session, result.org_id, result.cycle_id, participant_ids=[result.participant_id]
    )
    raters = await people.employee_summaries(
        session, result.org_id, [a.rater_employee_id for a in assignments]
    )
    attached = await files.attachments_of(
        session, result.org_id, access.FILES_SUBJECT, [a.id for a in assignments]
    )
    audit.record(
        session,
        principal,
        "review_result.raw_answers_read",
        "review_result",
        result.id,
        org_id=result.org_id,
        after={"assignments": len(assignments)},
    )
    return [
        RawAnswer(
            assignment_id=a.id,
            rater=raters[a.rater_employee_id].ref,
            relationship=a.relationship,
            status=a.status,
            answers=ANSWERS.validate_python(a.answers),
            comment=a.comment,
            evidence=a.evidence,
            attachments=attached[a.id],
            submitted_at=a.submitted_at,
        )
        for a in assignments
    ]
