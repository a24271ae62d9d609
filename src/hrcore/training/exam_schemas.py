"""Request and response shapes of exams: the question bank (HR), an attempt as the examinee
sees it (no right answers), and its result (right or wrong per question, still no answers)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    model_validator,
)

from hrcore.core.i18n import Text, _
from hrcore.core.pagination import Page
from hrcore.core.schemas import Ref
from hrcore.training.exam_models import QuestionKind

QuestionText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)
]
OptionText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Answer = list[StrictInt] | StrictBool
"""Option indexes (from 0) for a choice question, a boolean for a true/false one."""
MAX_OPTIONS = 10


def answer_error(kind: str, options: list[str], answer: Answer) -> tuple[str, Text] | None:
    """What is wrong with a question's (or a response's) `answer` for its kind and options,
    as (field, message), or None: a true/false answer is a boolean, a single choice names one
    option, a multiple choice one or more distinct options."""
    if kind == QuestionKind.TRUE_FALSE:
        return None if isinstance(answer, bool) else ("answer", _("true or false"))
    if isinstance(answer, bool):
        return ("answer", _("a list of option indexes"))
    message = _choice_error(kind, len(options), answer)
    return None if message is None else ("answer", message)


def _choice_error(kind: str, option_count: int, chosen: list[int]) -> Text | None:
    if any(not 0 <= index < option_count for index in chosen):
        return _("option indexes from 0 to {last}", last=option_count - 1)
    if len(set(chosen)) != len(chosen):
        return _("each option once")
    if kind == QuestionKind.SINGLE_CHOICE and len(chosen) != 1:
        return _("exactly one option")
    return None if chosen else _("at least one option")


def question_error(kind: str, options: list[str], answer: Answer) -> tuple[str, Text] | None:
    """What is wrong with a question as HR writes it, as (field, message), or None."""
    if kind == QuestionKind.TRUE_FALSE:
        if options:
            return ("options", _("a true/false question has no options"))
    elif not 2 <= len(options) <= MAX_OPTIONS:
        return ("options", _("from 2 to {most} options", most=MAX_OPTIONS))
    elif len(set(options)) != len(options):
        return ("options", _("each option once"))
    return answer_error(kind, options, answer)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TrainingQuestionIn(_Strict):
    """A question of a course's exam: single or multiple choice (2–10 options, `answer` the
    right options' indexes) or true/false (no options, `answer` a boolean)."""

    kind: QuestionKind
    text: QuestionText
    options: list[OptionText] = Field(default_factory=list, max_length=MAX_OPTIONS)
    answer: Answer
    points: int = Field(default=1, ge=1, le=100, description="Its weight in the score.")

    @model_validator(mode="after")
    def _fits_kind(self) -> TrainingQuestionIn:
        error = question_error(self.kind, self.options, self.answer)
        if error is not None:
            raise ValueError(error[1])
        return self


class TrainingQuestionPatch(_Strict):
    """Fields to change; the question as a whole must still fit its kind."""

    kind: QuestionKind | None = None
    text: QuestionText | None = None
    options: list[OptionText] | None = Field(default=None, max_length=MAX_OPTIONS)
    answer: Answer | None = None
    points: int | None = Field(default=None, ge=1, le=100)
    version: int | None = Field(default=None, description="The version read; 409 when stale.")


class TrainingQuestionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    course_id: uuid.UUID
    kind: QuestionKind
    text: str
    options: list[str]
    answer: Answer
    points: int
    version: int
    created_at: datetime


TrainingQuestionPage = Page[TrainingQuestionOut]


class ExamPaperQuestion(BaseModel):
    """A question as the examinee sees it: no right answer."""

    id: uuid.UUID
    kind: QuestionKind
    text: str
    options: list[str]
    points: int


class ExamAttemptOut(BaseModel):
    """An attempt started (or resumed while open): its questions, shuffled, without answers."""

    id: uuid.UUID
    course_id: uuid.UUID
    course: Ref
    number: int = Field(description="1 for the first attempt at this course's exam.")
    attempts_allowed: int
    pass_mark: int = Field(description="The score in percent that passes.")
    started_at: datetime
    questions: list[ExamPaperQuestion]


class ExamAnswerIn(_Strict):
    question_id: uuid.UUID
    answer: Answer


class ExamSubmissionIn(_Strict):
    """The examinee's answers; a question left out scores nothing."""

    answers: list[ExamAnswerIn] = Field(max_length=500)


class ExamQuestionResult(ExamPaperQuestion):
    """A question with the examinee's answer and whether it was right (the right answer
    itself stays hidden: the exam may be taken again)."""

    given: Answer | None
    correct: bool


class ExamResultOut(BaseModel):
    id: uuid.UUID
    course_id: uuid.UUID
    course: Ref
    number: int
    pass_mark: int
    score: float = Field(description="Points earned over points possible, in percent.")
    passed: bool
    best_score: float = Field(description="The best score of the employee's attempts.")
    submitted_at: datetime
    questions: list[ExamQuestionResult]


class MyExamAttemptOut(BaseModel):
    id: uuid.UUID
    course_id: uuid.UUID
    course: Ref
    number: int
    status: Literal["open", "submitted"]
    pass_mark: int
    score: float | None
    passed: bool | None
    started_at: datetime
    submitted_at: datetime | None


MyExamAttemptPage = Page[MyExamAttemptOut]
