"""Exams 「理论测试」: an enrolled employee takes a course's test, up to the attempts allowed.

Starting deals the question bank shuffled, without answers, and keeps a copy of it (with the
right answers) on the attempt; an attempt still open is dealt again rather than a new one
counted. Submitting scores the copy: points of the questions answered right over all points,
in percent, passed at the course's pass mark as it was when the attempt started. The
enrolment keeps the best score and the moment of the first pass (`passed_at`), which emits
`EXAM_PASSED` (programs' training stages complete from it); a passing best score is
competency evidence of the course's competencies (score / 10)."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.competencies import api as competencies
from hrcore.core import audit
from hrcore.core.authz import Principal, own_employee_id
from hrcore.core.clock import Clock
from hrcore.core.db import get_or_404
from hrcore.core.errors import Conflict, FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, _, render
from hrcore.core.pagination import PageParams, cut_page, decode_cursor
from hrcore.core.schemas import Ref
from hrcore.training import exam_repository as repository
from hrcore.training.events import emit_exam_passed
from hrcore.training.exam_models import ExamAttempt, ExamQuestion
from hrcore.training.exam_schemas import (
    ExamAttemptOut,
    ExamQuestionResult,
    ExamResultOut,
    ExamSubmissionIn,
    MyExamAttemptPage,
    answer_error,
)
from hrcore.training.models import Course, Enrolment

ATTEMPTS_ALLOWED = 3
"""Attempts an employee has at one course's exam (the seeds' default)."""
EVIDENCE_KIND = "training_exam"
"""Competency evidence of a passed exam: its best score / 10, one row per enrolment and
competency of the course."""
AUDITED = "training_exam_attempt"
COURSE = N_("course")
_PERCENT = Decimal("0.01")


async def start_attempt(
    session: AsyncSession, principal: Principal, course_id: uuid.UUID, clock: Clock
) -> tuple[ExamAttemptOut, bool]:
    """The caller's attempt at the course's exam and whether it is a new one: 404 when they
    are not enrolled (waitlisted and cancelled enrolments do not count), 409 when the
    course has no exam (no pass mark or no question) or every attempt allowed is used."""
    employee_id = own_employee_id(principal)
    course = await get_or_404(session, Course, principal.org_id, course_id, what=COURSE)
    enrolments = await repository.live_enrolments(session, course.org_id, course.id, employee_id)
    if not enrolments:
        raise NotFound(_("You are not enrolled on this course"))
    attempts = await repository.attempts_at(session, course.org_id, course.id, employee_id)
    still_open = next((a for a in attempts if a.submitted_at is None), None)
    if still_open is not None:
        return _dealt(still_open, course), False
    questions = await repository.question_bank(session, course.org_id, course.id)
    if course.pass_mark is None or not questions:
        raise Conflict(_("This course has no exam"))
    if len(attempts) >= ATTEMPTS_ALLOWED:
        raise Conflict(
            _("Every attempt allowed at this exam is used ({allowed})", allowed=ATTEMPTS_ALLOWED)
        )
    dealt = [_copy(question) for question in questions]
    secrets.SystemRandom().shuffle(dealt)
    attempt = ExamAttempt(
        org_id=course.org_id,
        course_id=course.id,
        enrolment_id=enrolments[0].id,
        employee_id=employee_id,
        number=len(attempts) + 1,
        questions=dealt,
        pass_mark=course.pass_mark,
        started_at=clock.now(),
    )
    session.add(attempt)
    await session.flush()
    audit.record(
        session,
        principal,
        "training_exam_attempt.started",
        AUDITED,
        attempt.id,
        org_id=course.org_id,
        after={"course_id": str(course.id), "number": attempt.number},
    )
    return _dealt(attempt, course), True


async def submit_attempt(
    session: AsyncSession,
    principal: Principal,
    attempt_id: uuid.UUID,
    body: ExamSubmissionIn,
    clock: Clock,
) -> ExamResultOut:
    """Score the caller's open attempt: 404 for anyone else's, 409 when submitted already,
    422 for an answer to a question not dealt, a question answered twice, or an answer that
    does not fit its question."""
    employee_id = own_employee_id(principal)
    attempt = await repository.own_attempt(session, principal.org_id, attempt_id, employee_id)
    if attempt is None:
        raise NotFound(_("No such {what}", what=_("exam attempt")))
    if attempt.submitted_at is not None:
        raise Conflict(_("This exam attempt is submitted already"))
    answers = _checked_answers(attempt, body)
    earned = sum(q["points"] for q in attempt.questions if _right(q, answers.get(q["id"])))
    possible = sum(q["points"] for q in attempt.questions)
    score = (Decimal(earned * 100) / possible).quantize(_PERCENT, ROUND_HALF_UP)
    now = clock.now()
    attempt.answers, attempt.submitted_at = answers, now
    attempt.score, attempt.passed = score, score >= attempt.pass_mark
    enrolment = await repository.enrolment(session, attempt.org_id, attempt.enrolment_id)
    assert enrolment is not None
    course = await get_or_404(session, Course, attempt.org_id, attempt.course_id, what=COURSE)
    await _keep_best(session, enrolment, attempt, course, now)
    await session.flush()
    audit.record(
        session,
        principal,
        "training_exam_attempt.submitted",
        AUDITED,
        attempt.id,
        org_id=attempt.org_id,
        after={"score": float(score), "passed": attempt.passed},
    )
    return _result(attempt, course, enrolment)


async def my_attempts(
    session: AsyncSession, principal: Principal, page: PageParams
) -> MyExamAttemptPage:
    """The caller's attempts, latest started first: one statement a page."""
    employee_id = own_employee_id(principal)
    after = None
    if page.cursor is not None:
        started_at, last_id = decode_cursor(page.cursor, [datetime, uuid.UUID])
        after = (started_at, last_id)
    rows = await repository.my_attempts(session, principal.org_id, employee_id, page.limit, after)
    shown, cursor = cut_page(rows, ["started_at", "id"], page)
    items = [
        {
            "id": row["id"],
            "course_id": row["course_id"],
            "course": {"id": row["course_id"], "name": row["course_name"]},
            "number": row["number"],
            "status": "open" if row["submitted_at"] is None else "submitted",
            "pass_mark": row["pass_mark"],
            "score": row["score"],
            "passed": row["passed"],
            "started_at": row["started_at"],
            "submitted_at": row["submitted_at"],
        }
        for row in shown
    ]
    return MyExamAttemptPage.model_validate({"items": items, "next_cursor": cursor})


async def _keep_best(
    session: AsyncSession,
    enrolment: Enrolment,
    attempt: ExamAttempt,
    course: Course,
    now: datetime,
) -> None:
    """The enrolment's best score and first pass; a passing new best becomes evidence."""
    assert attempt.score is not None
    best = enrolment.exam_score is None or attempt.score >= enrolment.exam_score
    if best:
        enrolment.exam_score = attempt.score
    if not attempt.passed:
        return
    if enrolment.passed_at is None:
        enrolment.passed_at = now
        emit_exam_passed(session, attempt.org_id, enrolment.id, attempt.id)
    if best:
        await _record_evidence(session, attempt, course, now)


async def _record_evidence(
    session: AsyncSession, attempt: ExamAttempt, course: Course, now: datetime
) -> None:
    """The score on the course's competencies the organization still has (a competency
    deleted since the course was tagged is skipped, not an error for the examinee)."""
    assert attempt.score is not None
    known = await competencies.level_counts(session, attempt.org_id, list(course.competency_ids))
    if not known:
        return
    note = render(_("Exam of {course}: {score}%", course=course.name, score=float(attempt.score)))
    await competencies.replace_source_evidence(
        session,
        attempt.org_id,
        employee_id=attempt.employee_id,
        source_kind=EVIDENCE_KIND,
        source_id=attempt.enrolment_id,
        observed_at=now,
        values=[
            competencies.SourceValue(competency_id, float(attempt.score) / 10, note)
            for competency_id in course.competency_ids
            if competency_id in known
        ],
    )


def _checked_answers(attempt: ExamAttempt, body: ExamSubmissionIn) -> dict[str, Any]:
    """The answers by question id, each checked against the question dealt (422 naming every
    offending answer)."""
    dealt = {question["id"]: question for question in attempt.questions}
    answers: dict[str, Any] = {}
    errors = []
    for index, item in enumerate(body.answers):
        question = dealt.get(str(item.question_id))
        field = f"body.answers.{index}"
        if question is None:
            message = _("not a question of this attempt")
            errors.append(FieldError(field=f"{field}.question_id", message=message))
            continue
        if question["id"] in answers:
            errors.append(FieldError(field=f"{field}.question_id", message=_("answered twice")))
            continue
        error = answer_error(question["kind"], question["options"], item.answer)
        if error is not None:
            errors.append(FieldError(field=f"{field}.{error[0]}", message=error[1]))
            continue
        answers[question["id"]] = item.answer
    if errors:
        raise Unprocessable(_("The answers are not valid"), errors=errors)
    return answers


def _right(question: dict[str, Any], given: Any) -> bool:
    """A choice answer is right when it names exactly the right options; a true/false one
    when it matches."""
    if given is None:
        return False
    if isinstance(question["answer"], bool):
        return bool(given is question["answer"])
    return isinstance(given, list) and sorted(given) == sorted(question["answer"])


def _copy(question: ExamQuestion) -> dict[str, Any]:
    return {
        "id": str(question.id),
        "kind": question.kind,
        "text": question.text,
        "options": list(question.options),
        "points": question.points,
        "answer": question.answer,
    }


def _shown(question: dict[str, Any]) -> dict[str, Any]:
    """A dealt question without its right answer."""
    return {key: value for key, value in question.items() if key != "answer"}


def _dealt(attempt: ExamAttempt, course: Course) -> ExamAttemptOut:
    return ExamAttemptOut.model_validate(
        {
            "id": attempt.id,
            "course_id": course.id,
            "course": Ref(id=course.id, name=course.name),
            "number": attempt.number,
            "attempts_allowed": ATTEMPTS_ALLOWED,
            "pass_mark": attempt.pass_mark,
            "started_at": attempt.started_at,
            "questions": [_shown(question) for question in attempt.questions],
        }
    )


def _result(attempt: ExamAttempt, course: Course, enrolment: Enrolment) -> ExamResultOut:
    assert attempt.score is not None
    assert attempt.submitted_at is not None
    answers = attempt.answers or {}
    questions = [
        ExamQuestionResult.model_validate(
            _shown(question)
            | {
                "given": answers.get(question["id"]),
                "correct": _right(question, answers.get(question["id"])),
            }
        )
        for question in attempt.questions
    ]
    return ExamResultOut(
        id=attempt.id,
        course_id=course.id,
        course=Ref(id=course.id, name=course.name),
        number=attempt.number,
        pass_mark=attempt.pass_mark,
        score=float(attempt.score),
        passed=bool(attempt.passed),
        best_score=float(enrolment.exam_score or attempt.score),
        submitted_at=attempt.submitted_at,
        questions=questions,
    )
