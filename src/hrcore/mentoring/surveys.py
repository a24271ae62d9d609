"""Mentee surveys: after each logged session the mentee gets a confidential survey task
(`mentoring_survey`); answering — on time, relevant, solved my problem, 1–5, a comment — is
the mentee's alone (anyone else: 404, as if the pairing did not exist) and completes that
task. One answer per session (409). On an ended pairing a session may still be rated for
`LATE_DAYS` days after it was held, and no periodic survey is taken (409).

Reading: the mentee gets their answers; everyone else who reads the pairing
(`mentorship_access`: HR admins, the mentor, whoever reaches the mentor or the mentee) gets
only the means over the oldest whole blocks
of the reviews' anonymity threshold (`review_anonymity_threshold`) — so one more answer
never moves a figure — and no comment, HR included. Answering is audited without the
answers and queues the mentor's effectiveness recompute."""

from __future__ import annotations

import uuid
from datetime import timedelta
from statistics import fmean

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal
from hrcore.core.clock import Clock
from hrcore.core.db import insert_new
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, Day, _
from hrcore.core.i18n import Text as Message
from hrcore.core.models import new_id
from hrcore.mentoring import effectiveness, events, mentorship_access
from hrcore.mentoring.mentorship_models import (
    MentoringSession,
    MentoringSurvey,
    Mentorship,
    MentorshipStatus,
)
from hrcore.mentoring.survey_models import MentoringSurveyRequest
from hrcore.mentoring.survey_schemas import (
    MentoringSurveyIn,
    MentoringSurveyMeans,
    MentoringSurveyOut,
    MentoringSurveySummary,
)
from hrcore.people import api as people
from hrcore.workflow import api as workflow

SURVEY_KIND = "mentoring_survey"
ANSWER_SURVEY = workflow.Operation(
    "answer_mentoring_survey",
    "POST",
    "/mentorships/{mentorship_id}/surveys",
    subject_param="mentorship_id",
)
ASK_JOB = "mentoring.ask_for_survey"
ANSWER_WITHIN_DAYS = 7
LATE_DAYS = 30
"""On an ended pairing, a session held more than this many days ago is no longer rated."""


def _no_pairing() -> NotFound:
    return NotFound(_("No such {what}", what=Message(N_("mentorship"))))


async def ask_for_survey(
    session: AsyncSession, org_id: uuid.UUID, session_id: uuid.UUID, clock: Clock
) -> bool:
    """The mentee of a logged session's running pairing gets the survey task, once per
    session (a repeated event finds the request and does nothing); whether one was made."""
    logged = await session.get(MentoringSession, session_id)
    if logged is None or logged.org_id != org_id:
        return False
    pairing = await session.get(Mentorship, logged.mentorship_id)
    if pairing is None or pairing.status != MentorshipStatus.ACTIVE.value:
        return False
    made = await insert_new(
        session,
        MentoringSurveyRequest,
        [
            {
                "id": new_id(),
                "org_id": org_id,
                "mentorship_id": pairing.id,
                "session_id": logged.id,
                "version": 1,
            }
        ],
        unique=["org_id", "session_id"],
        returning=[MentoringSurveyRequest.id],
    )
    if not made:
        return False
    today = await people.org_today(session, org_id, clock)
    task_id = await workflow.create_task(
        session,
        org_id=org_id,
        subject_type=events.SUBJECT_TYPE,
        subject_id=pairing.id,
        kind=SURVEY_KIND,
        assignee_employee_id=pairing.mentee_employee_id,
        title=_("How was your mentoring session of {day}?", day=Day(logged.held_on)),
        due=await workflow.due_after(session, org_id, today, ANSWER_WITHIN_DAYS),
        confidential=True,
        completion_params={"mentorship_id": str(pairing.id)},
    )
    request = await session.get(MentoringSurveyRequest, made[0][0])
    assert request is not None
    request.task_id = task_id
    await session.flush()
    return True


async def _session_of(
    session: AsyncSession, pairing: Mentorship, session_id: uuid.UUID
) -> MentoringSession:
    logged = await session.scalar(
        select(MentoringSession).where(
            MentoringSession.org_id == pairing.org_id, MentoringSession.id == session_id
        )
    )
    if logged is None or logged.mentorship_id != pairing.id:
        raise Unprocessable(
            _("The session is not one of this pairing"),
            errors=[FieldError(field="session_id", message=_("not a session of this pairing"))],
        )
    return logged


async def answer(
    session: AsyncSession,
    principal: Principal,
    mentorship_id: uuid.UUID,
    body: MentoringSurveyIn,
    clock: Clock,
) -> MentoringSurvey:
    """The mentee answers about a session of theirs or (no session) the pairing so far."""
    pairing = await mentorship_access.own_mentorship_as_mentee(session, principal, mentorship_id)
    ended = pairing.status != MentorshipStatus.ACTIVE.value
    if body.session_id is None:
        if ended:
            raise Conflict(_("The pairing has ended: no periodic survey is taken"))
    else:
        logged = await _session_of(session, pairing, body.session_id)
        today = await people.org_today(session, principal.org_id, clock)
        if ended and logged.held_on < today - timedelta(days=LATE_DAYS):
            raise Conflict(
                _(
                    "The pairing has ended and the session was held more than {days} days ago",
                    days=LATE_DAYS,
                )
            )
        answered = await session.scalar(
            select(MentoringSurvey.id).where(
                MentoringSurvey.org_id == principal.org_id,
                MentoringSurvey.session_id == logged.id,
            )
        )
        if answered is not None:
            raise Conflict(_("The session's survey is answered already"))
    survey = MentoringSurvey(
        org_id=principal.org_id,
        mentorship_id=pairing.id,
        session_id=body.session_id,
        on_time=body.on_time,
        relevant=body.relevant,
        solved=body.solved,
        comment=body.comment,
    )
    session.add(survey)
    await session.flush()
    audit.record(
        session,
        principal,
        "mentoring_survey.answered",
        "mentoring_survey",
        survey.id,
        org_id=principal.org_id,
        after={"mentorship_id": str(pairing.id), "session_id": _text(body.session_id)},
    )
    if body.session_id is not None:
        await _complete_task(session, principal, body.session_id, clock)
    effectiveness.request_recompute(session, principal.org_id, pairing.id)
    return survey


def _text(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


async def _complete_task(
    session: AsyncSession, principal: Principal, session_id: uuid.UUID, clock: Clock
) -> None:
    task_id = await session.scalar(
        select(MentoringSurveyRequest.task_id).where(
            MentoringSurveyRequest.org_id == principal.org_id,
            MentoringSurveyRequest.session_id == session_id,
        )
    )
    if task_id is None:
        return
    if await workflow.task_status(session, principal.org_id, task_id) == "open":
        await workflow.complete_task(
            session, org_id=principal.org_id, task_id=task_id, clock=clock, actor=principal
        )


def _means(rows: list[MentoringSurvey]) -> MentoringSurveyMeans:
    return MentoringSurveyMeans(
        on_time=round(fmean(row.on_time for row in rows), 2),
        relevant=round(fmean(row.relevant for row in rows), 2),
        solved=round(fmean(row.solved for row in rows), 2),
    )


async def summary(
    session: AsyncSession, principal: Principal, mentorship_id: uuid.UUID, threshold: int
) -> MentoringSurveySummary:
    """What the caller may read of a pairing's surveys (404 for anyone not entitled)."""
    pairing = await mentorship_access.readable_mentorship(session, principal, mentorship_id)
    mentee = principal.employee_id == pairing.mentee_employee_id
    rows = list(
        await session.scalars(
            select(MentoringSurvey)
            .where(
                MentoringSurvey.org_id == principal.org_id,
                MentoringSurvey.mentorship_id == pairing.id,
            )
            .order_by(MentoringSurvey.id)
        )
    )
    if mentee:
        return MentoringSurveySummary(
            threshold=threshold,
            enough=bool(rows),
            answers=len(rows),
            means=_means(rows) if rows else None,
            note=None if rows else _("No answers yet"),
            mine=[MentoringSurveyOut.model_validate(row, from_attributes=True) for row in rows],
        )
    pooled = rows[: len(rows) // threshold * threshold]
    if not pooled:
        return MentoringSurveySummary(
            threshold=threshold,
            enough=False,
            answers=None,
            means=None,
            note=_(
                "Too few answers to show: figures appear from {threshold} answers on",
                threshold=threshold,
            ),
            mine=None,
        )
    return MentoringSurveySummary(
        threshold=threshold,
        enough=True,
        answers=len(pooled),
        means=_means(pooled),
        note=None,
        mine=None,
    )
