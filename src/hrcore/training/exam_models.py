"""Exams 「理论测试」: a course's question bank and the attempts its enrolled employees make.

An attempt keeps a copy of the questions it was dealt (order, options, points and the right
answers), so editing or deleting a question never changes an attempt already started, and
its score is computed from what the examinee saw."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, OrgScopedMixin


class QuestionKind(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    TRUE_FALSE = "true_false"


class ExamQuestion(Entity, OrgScopedMixin, Base):
    """One question of a course's bank: its kind, text, options (choice kinds), the right
    `answer` (option indexes for choices, a boolean for true/false) and its points."""

    __tablename__ = "training_exam_questions"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('single_choice', 'multiple_choice', 'true_false')", name="kind_known"
        ),
        CheckConstraint("points BETWEEN 1 AND 100", name="points_range"),
        Index("ix_training_exam_questions_org_id_id", "org_id", "id"),
        Index(
            "ix_training_exam_questions_org_id_course", "org_id", "course_id", "created_at", "id"
        ),
    )

    course_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("training_courses.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    options: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)
    answer: Mapped[Any] = mapped_column(JSONB, nullable=False)
    points: Mapped[int] = mapped_column(SmallInteger, nullable=False)


class ExamAttempt(Entity, OrgScopedMixin, Base):
    """An employee's attempt at a course's exam 「考试记录」: numbered per employee and course
    (at most the course's allowed attempts: a unique index backs the count), the questions
    dealt (shuffled, with their right answers, never shown before submission), the pass mark
    when started, and once submitted the answers, the score in percent and whether it
    passed."""

    __tablename__ = "training_exam_attempts"
    __table_args__ = (
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("score IS NULL OR score BETWEEN 0 AND 100", name="score_percent"),
        CheckConstraint(
            "(submitted_at IS NULL) = (score IS NULL AND passed IS NULL)",
            name="scored_when_submitted",
        ),
        Index("ix_training_exam_attempts_org_id_id", "org_id", "id"),
        Index(
            "uq_training_exam_attempts_number",
            "org_id",
            "course_id",
            "employee_id",
            "number",
            unique=True,
        ),
        Index(
            "ix_training_exam_attempts_org_id_employee",
            "org_id",
            "employee_id",
            "started_at",
            "id",
        ),
    )

    course_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("training_courses.id", ondelete="CASCADE"), nullable=False
    )
    enrolment_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("training_enrolments.id", ondelete="CASCADE"), nullable=False
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    pass_mark: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    answers: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    passed: Mapped[bool | None] = mapped_column(Boolean)
