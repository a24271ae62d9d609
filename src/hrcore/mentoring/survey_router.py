"""HTTP of mentee surveys: answering (the mentee only) and reading (figures past the
anonymity threshold for everyone but the mentee)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, AppRuntime
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import FORBIDDEN, NOT_FOUND, problem
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.mentoring import periodic_surveys, surveys
from hrcore.mentoring.survey_schemas import (
    MentoringSurveyIn,
    MentoringSurveyOut,
    MentoringSurveySummary,
)

router = APIRouter(route_class=HrcoreRoute, tags=["mentoring"])


@router.post(
    "/mentorships/{mentorship_id}/surveys",
    operation_id="answer_mentoring_survey",
    summary="Answer a survey about a session or the pairing so far (the mentee only)",
    status_code=201,
    responses={
        **FORBIDDEN,
        **NOT_FOUND,
        **problem(409, "Answered already, or the pairing has ended"),
        **problem(422, "A session of another pairing"),
    },
)
async def answer_survey(
    mentorship_id: uuid.UUID,
    body: MentoringSurveyIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> MentoringSurveyOut:
    """Only the pairing's mentee answers (anyone else, the mentor and HR included, 404 as if the
    pairing did not exist; integration keys 403): on time, relevant, solved my problem (1–5) and
    an optional comment, about a session (`session_id`, once per session: 409; a session of
    another pairing: 422) or the pairing so far. On an ended pairing a session held within the
    last 30 days may still be rated; older sessions and periodic surveys are 409. Completes the
    session's survey task (without a session: the pairing's periodic survey tasks), queues the
    mentor's effectiveness recompute; audited without the answers."""
    survey = await surveys.answer(session, principal, mentorship_id, body, clock)
    if body.session_id is None:
        await periodic_surveys.answered(session, principal, mentorship_id, clock)
    return MentoringSurveyOut.model_validate(survey, from_attributes=True)


@router.get(
    "/mentorships/{mentorship_id}/surveys",
    operation_id="get_mentoring_surveys",
    summary="A pairing's survey figures (the mentee: their own answers)",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def get_surveys(
    mentorship_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    runtime: AppRuntime,
) -> MentoringSurveySummary:
    """The mentee reads their own answers and their means. The mentor, the mentor's manager,
    department heads reaching the mentor or mentee and HR admins read only the means per
    question over the oldest whole blocks of the reviews' anonymity threshold (below it, a "too
    few answers" note), never an answer or a comment. Anyone else 404; integration keys 403."""
    return await surveys.summary(
        session, principal, mentorship_id, runtime.settings.review_anonymity_threshold
    )
