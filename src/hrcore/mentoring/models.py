"""Mentoring programs 「导师计划」, applications to mentor in one, and the mentors approved."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, OrgScopedMixin


class ApplicationStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ApplicationSource(StrEnum):
    SELF = "self"
    HR = "hr"


class MentoringProgram(Entity, OrgScopedMixin, Base):
    """A program for the whole organization (`department_id` null) or a department subtree.

    `rules` are eligibility criteria as data (`mentoring.schemas.Rule`), evaluated in SQL by
    people's screening compiler."""

    __tablename__ = "mentoring_programs"
    __table_args__ = (
        UniqueConstraint("org_id", "name"),
        CheckConstraint("capacity BETWEEN 1 AND 50", name="capacity_range"),
        Index("ix_mentoring_programs_org_id_id", "org_id", "id"),
    )

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="RESTRICT")
    )
    capacity: Mapped[int] = mapped_column(Integer, nullable=False, default=3)
    rules: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    suggestion_weights: Mapped[dict[str, float] | None] = mapped_column(JSONB)
    """The weight of each term of the program's mentor suggestions (null: the defaults)."""
    reminder_policy: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    """When the schedule's tasks remind the mentor and escalate (null: the defaults,
    `schedule.DEFAULT_REMINDERS`)."""


class MentorApplication(Entity, OrgScopedMixin, Base):
    """An employee's application (or HR's nomination) to mentor in a program, with each rule's
    value and pass/fail as found when it was made (`checks`)."""

    __tablename__ = "mentor_applications"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status_known"),
        CheckConstraint("source IN ('self', 'hr')", name="source_known"),
        Index("ix_mentor_applications_org_id_id", "org_id", "id"),
        Index(
            "uq_mentor_applications_pending",
            "org_id",
            "program_id",
            "employee_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
    )

    program_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentoring_programs.id", ondelete="CASCADE"), nullable=False
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    source: Mapped[str] = mapped_column(String(8), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    eligible: Mapped[bool] = mapped_column(Boolean, nullable=False)
    checks: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    motivation: Mapped[str | None] = mapped_column(Text)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    overridden: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Mentor(Entity, OrgScopedMixin, Base):
    """An employee approved to mentor in a program (through `application_id`).

    `flagged_at` and `flag_checks` (every rule's value and pass/fail) are set by the nightly
    re-evaluation when the mentor stops qualifying, and cleared when they qualify again."""

    __tablename__ = "mentors"
    __table_args__ = (
        UniqueConstraint("org_id", "program_id", "employee_id"),
        Index("ix_mentors_org_id_id", "org_id", "id"),
        Index(
            "ix_mentors_flagged",
            "org_id",
            "program_id",
            postgresql_where=text("flagged_at IS NOT NULL"),
        ),
    )

    program_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentoring_programs.id", ondelete="CASCADE"), nullable=False
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    application_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentor_applications.id", ondelete="CASCADE"), nullable=False
    )
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    flagged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    flag_checks: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
