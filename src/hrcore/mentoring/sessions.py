"""Sessions of a pairing: the mentor (or HR) logs a 1:1, a skill test or a progress report,
which completes its scheduled task; the parties (and HR, department heads in reach) read the
list with the plan's checklist coverage.

A skill test's score (0–100) becomes competency evidence (score / 10, kind
`competencies.MENTORING_SKILL_TEST`) for every `competency_level` goal of the plan, about the
mentee. A logged session is audited, published as `mentoring_session.logged` and announced as
`events.SESSION_LOGGED` (surveys, effectiveness)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core import audit, events
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict, FieldError, Unprocessable
from hrcore.core.i18n import _
from hrcore.core.labels import label
from hrcore.core.pagination import PageParams, paginate
from hrcore.core.privacy import DataClass
from hrcore.core.read_log import note_read
from hrcore.mentoring import mentorship_access
from hrcore.mentoring.events import SESSION_LOGGED, SUBJECT_TYPE
from hrcore.mentoring.evidence_notes import bilingual_note
from hrcore.mentoring.mentorship_models import (
    MentoringSession,
    Mentorship,
    MentorshipPlan,
    MentorshipStatus,
    SessionKind,
)
from hrcore.mentoring.schedule import TASK_KINDS
from hrcore.mentoring.session_schemas import (
    ChecklistCoverage,
    MentoringSessionIn,
    MentoringSessionOut,
    MentoringSessionPage,
)
from hrcore.people import api as people
from hrcore.webhooks import api as webhooks
from hrcore.workflow import api as workflow

COMPETENCY_GOAL = "competency_level"


async def _plan(session: AsyncSession, mentorship: Mentorship) -> MentorshipPlan | None:
    return await session.scalar(
        select(MentorshipPlan).where(
            MentorshipPlan.org_id == mentorship.org_id,
            MentorshipPlan.mentorship_id == mentorship.id,
        )
    )


def _checked(
    body: MentoringSessionIn, plan: MentorshipPlan | None, mentorship: Mentorship, today: date
) -> None:
    """422 naming every field that is wrong: a day outside the pairing so far, a score where
    it does not belong (or missing), a checklist key the plan does not have."""
    errors = []
    if body.held_on > today:
        errors.append(FieldError(field="held_on", message=_("must not be in the future")))
    elif body.held_on < mentorship.starts_on:
        errors.append(
            FieldError(field="held_on", message=_("must not be before the mentorship starts"))
        )
    if body.kind == SessionKind.SKILL_TEST and body.score is None:
        errors.append(FieldError(field="score", message=_("a skill test needs its score")))
    if body.kind != SessionKind.SKILL_TEST and body.score is not None:
        errors.append(FieldError(field="score", message=_("only skill tests have a score")))
    keys = {item.get("key") for item in plan.checklist} if plan is not None else set()
    unknown = [key for key in dict.fromkeys(body.checklist_covered) if key not in keys]
    if unknown:
        errors.append(
            FieldError(
                field="checklist_covered",
                message=_("not on the plan's checklist: {keys}", keys=", ".join(unknown[:20])),
            )
        )
    if errors:
        raise Unprocessable(_("The session is not valid"), errors=errors)


async def _task_to_fulfil(
    session: AsyncSession, mentorship: Mentorship, body: MentoringSessionIn, clock: Clock
) -> uuid.UUID | None:
    """The task named (422 unless it is one of this pairing's scheduled tasks of the kind;
    409 when no longer open), else the earliest open one of the kind, if any."""
    kind = TASK_KINDS[body.kind]
    tasks = [
        task
        for task in await workflow.tasks_of_subjects(
            session,
            org_id=mentorship.org_id,
            subject_type=SUBJECT_TYPE,
            subject_ids=[mentorship.id],
            now=clock.now(),
        )
        if task.kind == kind
    ]
    if body.task_id is None:
        open_tasks = sorted((t for t in tasks if t.status == "open"), key=lambda t: t.due_at)
        return open_tasks[0].id if open_tasks else None
    named = next((task for task in tasks if task.id == body.task_id), None)
    if named is None:
        raise Unprocessable(
            _("Unknown task"),
            errors=[
                FieldError(
                    field="task_id",
                    message=_("not a scheduled task of this kind in this mentorship"),
                )
            ],
        )
    if named.status != "open":
        raise Conflict(_("The task is already {status}", status=label(named.status)))
    return named.id


async def log_session(
    session: AsyncSession,
    principal: Principal,
    mentorship_id: uuid.UUID,
    body: MentoringSessionIn,
    clock: Clock,
) -> MentoringSession:
    """The mentor or an HR admin logs a session (others who read the pairing: 403); an
    ended pairing is 409. Completes the task it fulfils in the same transaction."""
    mentorship = await mentorship_access.readable_mentorship(
        session, principal, mentorship_id, for_update=True
    )
    mentorship_access.require_mentor_or_hr(
        principal, mentorship, _("Only the mentor or an HR admin logs sessions")
    )
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise Conflict(_("The mentorship has ended"))
    plan = await _plan(session, mentorship)
    _checked(body, plan, mentorship, await people.org_today(session, principal.org_id, clock))
    task_id = await _task_to_fulfil(session, mentorship, body, clock)
    score = round(body.score, 2) if body.score is not None else None
    row = MentoringSession(
        org_id=principal.org_id,
        mentorship_id=mentorship.id,
        kind=body.kind.value,
        held_on=body.held_on,
        notes=body.notes,
        checklist_covered=list(dict.fromkeys(body.checklist_covered)),
        score=score,
        task_id=task_id,
    )
    session.add(row)
    await session.flush()
    if task_id is not None:
        await workflow.complete_task(
            session, org_id=principal.org_id, task_id=task_id, clock=clock, actor=principal
        )
    evidence = await _record_skill_test(session, mentorship, plan, row, clock)
    payload = {
        "mentorship_id": str(mentorship.id),
        "session_id": str(row.id),
        "kind": row.kind,
        "held_on": row.held_on.isoformat(),
        "task_id": str(task_id) if task_id else None,
    }
    audit.record(
        session,
        principal,
        "mentoring_session.logged",
        "mentoring_session",
        row.id,
        org_id=principal.org_id,
        after=payload
        | {"checklist_covered": row.checklist_covered, "score": score, "evidence": evidence},
    )
    await webhooks.publish(
        session,
        org_id=principal.org_id,
        event_type=webhooks.EventType.MENTORING_SESSION_LOGGED,
        payload=payload | {"mentee_id": str(mentorship.mentee_employee_id)},
    )
    events.emit(
        session,
        SESSION_LOGGED,
        {"mentorship_id": str(mentorship.id), "session_id": str(row.id)},
        org_id=principal.org_id,
    )
    await session.refresh(row, ["created_at"])
    return row


async def _record_skill_test(
    session: AsyncSession,
    mentorship: Mentorship,
    plan: MentorshipPlan | None,
    row: MentoringSession,
    clock: Clock,
) -> list[str]:
    """A skill test's score as evidence of the plan's competency goals (their ids)."""
    if row.score is None or plan is None:
        return []
    goals = [goal for goal in plan.goals if goal.get("kind") == COMPETENCY_GOAL]
    competency_ids = list(dict.fromkeys(uuid.UUID(str(goal["competency_id"])) for goal in goals))
    if not competency_ids:
        return []
    held = await workflow.due_moment(session, mentorship.org_id, row.held_on)
    note = bilingual_note(_("Mentoring skill test: {score}/100", score=float(row.score)))
    await competencies.replace_source_evidence(
        session,
        mentorship.org_id,
        employee_id=mentorship.mentee_employee_id,
        source_kind=competencies.MENTORING_SKILL_TEST,
        source_id=row.id,
        observed_at=min(held, clock.now()),
        values=[
            competencies.SourceValue(competency_id, float(row.score) / 10, note)
            for competency_id in competency_ids
        ],
    )
    return [str(competency_id) for competency_id in competency_ids]


async def list_sessions(
    session: AsyncSession, principal: Principal, mentorship_id: uuid.UUID, page: PageParams
) -> MentoringSessionPage:
    """A page of the pairing's sessions, latest held first, with the checklist coverage."""
    mentorship = await mentorship_access.readable_mentorship(session, principal, mentorship_id)
    note_read(principal, mentorship.mentee_employee_id, DataClass.EVALUATION, "mentoring_sessions")
    statement = select(MentoringSession).where(
        MentoringSession.org_id == mentorship.org_id,
        MentoringSession.mentorship_id == mentorship.id,
    )
    rows, cursor = await paginate(
        session, statement, [MentoringSession.held_on, MentoringSession.id], page, descending=True
    )
    plan = await _plan(session, mentorship)
    return MentoringSessionPage(
        items=[session_view(row) for row in rows],
        next_cursor=cursor,
        coverage=await _coverage(session, mentorship, plan.checklist if plan else []),
    )


async def _coverage(
    session: AsyncSession, mentorship: Mentorship, checklist: Sequence[dict[str, Any]]
) -> list[ChecklistCoverage]:
    """Each checklist item and the sessions that covered it, in one query over them all."""
    if not checklist:
        return []
    covered = await session.execute(
        select(MentoringSession.id, MentoringSession.checklist_covered)
        .where(
            MentoringSession.org_id == mentorship.org_id,
            MentoringSession.mentorship_id == mentorship.id,
        )
        .order_by(MentoringSession.held_on, MentoringSession.id)
    )
    by_key: dict[str, list[uuid.UUID]] = {}
    for session_id, keys in covered.all():
        for key in keys:
            by_key.setdefault(key, []).append(session_id)
    return [
        ChecklistCoverage(
            key=item["key"], title=item.get("title", ""), covered_by=by_key.get(item["key"], [])
        )
        for item in checklist
    ]


def session_view(row: MentoringSession) -> MentoringSessionOut:
    return MentoringSessionOut(
        id=row.id,
        mentorship_id=row.mentorship_id,
        kind=SessionKind(row.kind),
        held_on=row.held_on,
        notes=row.notes,
        checklist_covered=row.checklist_covered,
        score=float(row.score) if row.score is not None else None,
        task_id=row.task_id,
        created_at=row.created_at,
    )
