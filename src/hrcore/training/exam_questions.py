"""A course's question bank 「题库」, written and read by HR admins only (it holds the right
answers). An attempt copies the questions it deals, so edits and deletions here apply to
attempts started afterwards."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.core import audit
from hrcore.core.authz import Principal, require_hr_admin
from hrcore.core.concurrency import check_version
from hrcore.core.db import get_or_404
from hrcore.core.errors import FieldError, NotFound, Unprocessable
from hrcore.core.i18n import N_, Text, _
from hrcore.core.pagination import PageParams, paginate
from hrcore.training.exam_models import ExamQuestion
from hrcore.training.exam_schemas import (
    TrainingQuestionIn,
    TrainingQuestionOut,
    TrainingQuestionPage,
    TrainingQuestionPatch,
    question_error,
)
from hrcore.training.models import Course

COURSE = N_("course")
QUESTION = N_("question")
AUDITED = "training_exam_question"


async def list_questions(
    session: AsyncSession, principal: Principal, course_id: uuid.UUID, page: PageParams
) -> TrainingQuestionPage:
    require_hr_admin(principal)
    await get_or_404(session, Course, principal.org_id, course_id, what=COURSE)
    statement = select(ExamQuestion).where(
        ExamQuestion.org_id == principal.org_id, ExamQuestion.course_id == course_id
    )
    rows, cursor = await paginate(
        session, statement, [ExamQuestion.created_at, ExamQuestion.id], page
    )
    return TrainingQuestionPage(
        items=[TrainingQuestionOut.model_validate(row) for row in rows], next_cursor=cursor
    )


async def add_question(
    session: AsyncSession, principal: Principal, course_id: uuid.UUID, body: TrainingQuestionIn
) -> ExamQuestion:
    require_hr_admin(principal)
    course = await get_or_404(session, Course, principal.org_id, course_id, what=COURSE)
    question = ExamQuestion(org_id=course.org_id, course_id=course.id, **body.model_dump())
    session.add(question)
    await session.flush()
    audit.record(
        session,
        principal,
        "training_exam_question.created",
        AUDITED,
        question.id,
        org_id=course.org_id,
        after=_audited(question) | {"course_id": str(course.id)},
    )
    await session.refresh(question, ["created_at"])
    return question


async def update_question(
    session: AsyncSession,
    principal: Principal,
    course_id: uuid.UUID,
    question_id: uuid.UUID,
    body: TrainingQuestionPatch,
    if_match: str | None,
) -> ExamQuestion:
    """The changed fields, checked with the rest of the question (422 when it no longer fits
    its kind, say a true/false answer left on a question made single choice)."""
    require_hr_admin(principal)
    question = await _question(session, principal, course_id, question_id)
    check_version(question.version, if_match=if_match, body_version=body.version)
    before = _audited(question)
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    if any(value is None for value in changes.values()):
        nulls = [name for name, value in changes.items() if value is None]
        raise Unprocessable(
            _("The question is not valid"),
            errors=[
                FieldError(field=f"body.{name}", message=_("must not be null")) for name in nulls
            ],
        )
    merged = before | changes
    error = question_error(merged["kind"], merged["options"], merged["answer"])
    if error is not None:
        field, message = error
        raise Unprocessable(
            _("The question is not valid"),
            errors=[FieldError(field=f"body.{field}", message=message)],
        )
    for name, value in changes.items():
        setattr(question, name, value)
    await session.flush()
    audit.record(
        session,
        principal,
        "training_exam_question.updated",
        AUDITED,
        question.id,
        org_id=question.org_id,
        before=before,
        after=_audited(question),
    )
    await session.refresh(question, ["updated_at"])
    return question


async def delete_question(
    session: AsyncSession, principal: Principal, course_id: uuid.UUID, question_id: uuid.UUID
) -> None:
    """Gone from the bank; attempts already started keep their copy."""
    require_hr_admin(principal)
    question = await _question(session, principal, course_id, question_id)
    audit.record(
        session,
        principal,
        "training_exam_question.deleted",
        AUDITED,
        question.id,
        org_id=question.org_id,
        before=_audited(question),
    )
    await session.delete(question)


async def _question(
    session: AsyncSession, principal: Principal, course_id: uuid.UUID, question_id: uuid.UUID
) -> ExamQuestion:
    """The question of this course, locked; 404 for another course's or organization's."""
    question = await get_or_404(
        session, ExamQuestion, principal.org_id, question_id, what=QUESTION, for_update=True
    )
    if question.course_id != course_id:
        raise NotFound(_("No such {what}", what=Text(QUESTION)))
    return question


def _audited(question: ExamQuestion) -> dict[str, Any]:
    return {
        "kind": question.kind,
        "text": question.text,
        "options": list(question.options),
        "answer": question.answer,
        "points": question.points,
    }
