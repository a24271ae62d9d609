"""Scoring and adopting a submitted action plan.

Two scores, both needed, each given once (a second score of the same side is 409: a score
stands, as the points awarded on it do): HR admins give `hr_score`, the employee's manager or
a department head over them `manager_score` (0–100). With both in, `score` is their mean, the
plan is `scored`, the `action_plan` rule is awarded, and the plan's score — and the course's
exam result, where it had one — become evidence of the course's competencies. HR adopts a
scored plan once, with a note, and the `adopted` rule is awarded. Points go through the
ledger, whose unique index keeps each award single whatever the retries."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.clock import Clock
from hrcore.core.errors import Conflict
from hrcore.core.i18n import _, render
from hrcore.training import action_plan_access, ledger
from hrcore.training.action_plan_schemas import ActionPlanAdoption, ActionPlanScoreIn, ScoringSide
from hrcore.training.action_plans import SUBJECT_TYPE
from hrcore.training.models import ActionPlan, ActionPlanStatus, Course, Enrolment

SCORED_RULE = "action_plan"
ADOPTED_RULE = "adopted"
LEDGER_SOURCE = "action_plan"
"""The ledger's `source_type` of both awards (the plan is the source)."""


async def score(
    session: AsyncSession,
    principal: Principal,
    plan_id: uuid.UUID,
    body: ActionPlanScoreIn,
    clock: Clock,
) -> None:
    """One side's score of a submitted plan: 403 / 404 for a caller who may not give it,
    409 for an open plan or a side already scored. Audited."""
    plan = await action_plan_access.readable_plan(session, principal, plan_id, for_update=True)
    if body.side is ScoringSide.HR:
        require_hr_admin(principal)
    else:
        await action_plan_access.require_manager_of(session, principal, plan)
    if plan.status == ActionPlanStatus.OPEN.value:
        raise Conflict(_("The action plan is not submitted yet"))
    if body.side is ScoringSide.HR:
        if plan.hr_score is not None:
            raise Conflict(_("HR has scored this action plan already"))
        plan.hr_score, plan.hr_scored_by = body.score, principal.user_id
    else:
        if plan.manager_score is not None:
            raise Conflict(_("The manager has scored this action plan already"))
        plan.manager_score, plan.manager_scored_by = body.score, principal.user_id
    now = clock.now()
    if plan.hr_score is not None and plan.manager_score is not None:
        plan.score = Decimal(plan.hr_score + plan.manager_score) / 2
        plan.status = ActionPlanStatus.SCORED.value
        plan.scored_at = now
    await session.flush()
    audit.record(
        session,
        principal,
        "action_plan.scored",
        SUBJECT_TYPE,
        plan.id,
        org_id=plan.org_id,
        after={"side": body.side.value, "score": body.score},
    )
    if plan.status == ActionPlanStatus.SCORED.value:
        await ledger.award(
            session,
            plan.org_id,
            ledger.Award(plan.employee_id, SCORED_RULE, LEDGER_SOURCE, plan.id, now),
        )
        await _record_evidence(session, plan, now)


async def _record_evidence(session: AsyncSession, plan: ActionPlan, now: datetime) -> None:
    """The plan's score and the course's exam result as evidence of its competencies."""
    course = await session.get(Course, plan.course_id)
    enrolment = await session.get(Enrolment, plan.enrolment_id)
    assert course is not None
    assert enrolment is not None
    assert plan.score is not None
    if not course.competency_ids:
        return
    plan_score = float(plan.score)
    note = render(
        _("Action plan after {course}: {score}/100", course=course.name, score=plan_score)
    )
    await competencies.replace_source_evidence(
        session,
        plan.org_id,
        employee_id=plan.employee_id,
        source_kind=competencies.TRAINING_ACTION_PLAN,
        source_id=plan.id,
        observed_at=now,
        values=[
            competencies.SourceValue(competency_id, plan_score / 10, note)
            for competency_id in course.competency_ids
        ],
    )
    if enrolment.exam_score is None:
        return
    exam = float(enrolment.exam_score)
    note = render(_("Exam of {course}: {score}/100", course=course.name, score=exam))
    await competencies.replace_source_evidence(
        session,
        plan.org_id,
        employee_id=plan.employee_id,
        source_kind=competencies.TRAINING_COURSE_RESULT,
        source_id=enrolment.id,
        observed_at=enrolment.passed_at or enrolment.completed_at or now,
        values=[
            competencies.SourceValue(competency_id, exam / 10, note)
            for competency_id in course.competency_ids
        ],
    )


async def adopt(
    session: AsyncSession,
    principal: Principal,
    plan_id: uuid.UUID,
    body: ActionPlanAdoption,
    clock: Clock,
) -> None:
    """HR adopts a scored plan, once (403 for others who reach it, 409 for a plan not scored
    or adopted already); the `adopted` rule is awarded. Audited."""
    plan = await action_plan_access.readable_plan(session, principal, plan_id, for_update=True)
    require_hr_admin(principal)
    if plan.status != ActionPlanStatus.SCORED.value:
        raise Conflict(_("Only a scored action plan can be adopted"))
    if plan.adopted_at is not None:
        raise Conflict(_("The action plan is adopted already"))
    now = clock.now()
    plan.adopted_at, plan.adopted_by, plan.adoption_note = now, principal.user_id, body.note
    await session.flush()
    audit.record(
        session,
        principal,
        "action_plan.adopted",
        SUBJECT_TYPE,
        plan.id,
        org_id=plan.org_id,
        after={"note": body.note},
    )
    await ledger.award(
        session,
        plan.org_id,
        ledger.Award(plan.employee_id, ADOPTED_RULE, LEDGER_SOURCE, plan.id, now),
    )
