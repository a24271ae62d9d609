"""Exams over HTTP: the course's question bank (HR admins), attempts started and submitted by
the enrolled employee, and the employee's own attempts."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from hrcore.core.db import DbSession
from hrcore.core.dependencies import AppClock, IfMatch, Pagination
from hrcore.core.http import HrcoreRoute
from hrcore.core.responses import FORBIDDEN, NOT_FOUND, STALE, problem
from hrcore.identity.dependencies import CurrentPrincipal
from hrcore.training import exam_questions, exams
from hrcore.training.exam_schemas import (
    ExamAttemptOut,
    ExamResultOut,
    ExamSubmissionIn,
    MyExamAttemptPage,
    TrainingQuestionIn,
    TrainingQuestionOut,
    TrainingQuestionPage,
    TrainingQuestionPatch,
)

router = APIRouter(route_class=HrcoreRoute, tags=["training"])


@router.get(
    "/courses/{course_id}/questions",
    operation_id="list_course_questions",
    summary="A course's exam question bank, with the right answers (HR)",
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def list_course_questions(
    course_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> TrainingQuestionPage:
    """For HR admins (403 for anyone else: the bank holds the answers; 404 for a course the
    organization does not have): the questions, oldest first, cursor-paginated."""
    return await exam_questions.list_questions(session, principal, course_id, page)


@router.post(
    "/courses/{course_id}/questions",
    operation_id="add_course_question",
    summary="Add a question to a course's exam (HR)",
    status_code=201,
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def add_course_question(
    course_id: uuid.UUID, body: TrainingQuestionIn, principal: CurrentPrincipal, session: DbSession
) -> TrainingQuestionOut:
    """For HR admins. A single-choice question names 2–10 options and one right option's
    index, a multiple-choice question one or more, a true/false question no options and a
    boolean answer (422 otherwise); `points` weigh it in the score. Attempts started before
    keep the questions they were dealt. Audited."""
    question = await exam_questions.add_question(session, principal, course_id, body)
    return TrainingQuestionOut.model_validate(question)


@router.patch(
    "/courses/{course_id}/questions/{question_id}",
    operation_id="update_course_question",
    summary="Change a question of a course's exam (HR)",
    responses={**FORBIDDEN, **NOT_FOUND, **STALE},
)
async def update_course_question(
    course_id: uuid.UUID,
    question_id: uuid.UUID,
    body: TrainingQuestionPatch,
    principal: CurrentPrincipal,
    session: DbSession,
    if_match: IfMatch = None,
) -> TrainingQuestionOut:
    """For HR admins: the fields sent change, and the question as a whole must still fit its
    kind (422). A stale `version` is 409, a stale `If-Match` 412; a question of another
    course 404. Attempts already started keep their copy. Audited."""
    question = await exam_questions.update_question(
        session, principal, course_id, question_id, body, if_match
    )
    return TrainingQuestionOut.model_validate(question)


@router.delete(
    "/courses/{course_id}/questions/{question_id}",
    operation_id="delete_course_question",
    summary="Remove a question from a course's exam (HR)",
    status_code=204,
    responses={**FORBIDDEN, **NOT_FOUND},
)
async def delete_course_question(
    course_id: uuid.UUID, question_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession
) -> None:
    """For HR admins; attempts already started keep their copy of the question (404 for a
    question of another course). Audited."""
    await exam_questions.delete_question(session, principal, course_id, question_id)


@router.post(
    "/courses/{course_id}/exam-attempts",
    operation_id="start_exam_attempt",
    summary="Start (or resume) an attempt at a course's exam: the questions, no answers",
    status_code=201,
    responses={
        **NOT_FOUND,
        **problem(409, "The course has no exam, or every attempt allowed is used"),
    },
)
async def start_exam_attempt(
    course_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
    response: Response,
) -> ExamAttemptOut:
    """For an employee enrolled on the course (enrolled or completed; 404 otherwise, and for
    an account without an employee record): a new attempt with the question bank shuffled,
    without the right answers (201). While an attempt is open it is answered again, in the
    same order (200), and not counted twice. 409 when the course has no exam (no pass mark
    or no question) or every attempt allowed (3) is used. Audited."""
    attempt, started = await exams.start_attempt(session, principal, course_id, clock)
    if not started:
        response.status_code = 200
    return attempt


@router.post(
    "/exam-attempts/{attempt_id}/submit",
    operation_id="submit_exam_attempt",
    summary="Submit the answers of an exam attempt: the score, passed, right or wrong per question",
    responses={**NOT_FOUND, **problem(409, "The attempt is submitted already")},
)
async def submit_exam_attempt(
    attempt_id: uuid.UUID,
    body: ExamSubmissionIn,
    principal: CurrentPrincipal,
    session: DbSession,
    clock: AppClock,
) -> ExamResultOut:
    """For the examinee only (404 for anyone else's attempt). Each answer names a question
    dealt in this attempt, once (422 otherwise), in its kind's shape: option indexes or a
    boolean; a question left out scores nothing, a multiple choice counts only when every
    right option and no other is named. The score is the points of the right answers over
    all points, in percent; it passes at the course's pass mark. The enrolment keeps the
    best score and the first pass, which is competency evidence of the course's
    competencies and completes a program's training stage naming the course. Per question
    the answer given and whether it was right, never the right answer. A submitted attempt
    again is 409. Audited."""
    return await exams.submit_attempt(session, principal, attempt_id, body, clock)


@router.get(
    "/me/exam-attempts",
    operation_id="list_my_exam_attempts",
    summary="My exam attempts, latest first",
    responses={**NOT_FOUND},
)
async def list_my_exam_attempts(
    principal: CurrentPrincipal, session: DbSession, page: Pagination
) -> MyExamAttemptPage:
    """The caller's attempts at every course's exam (404 for an account without an employee
    record), latest started first, cursor-paginated: open or submitted, with the score and
    whether it passed."""
    return await exams.my_attempts(session, principal, page)
