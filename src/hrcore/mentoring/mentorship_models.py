"""Pairings and what happens in them: mentee templates by role, mentorships, the mentor's
plan, the sessions logged (1:1s, skill tests, progress reports) and the mentee's surveys.

The schedule itself is not a table: its items are workflow tasks whose subject is the
mentorship (`subject_type = "mentorship"`), so reminders and escalation are the engine's."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.i18n import N_
from hrcore.core.models import Base, Entity, OrgScopedMixin
from hrcore.core.templates import RevisionedTemplate, TemplateKind


class MenteeRole(StrEnum):
    NEW_GRADUATE = "new_graduate"
    TRANSFER = "transfer"
    PROMOTION_CANDIDATE = "promotion_candidate"


class MentorshipStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class PlanStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class SessionKind(StrEnum):
    ONE_ON_ONE = "one_on_one"
    SKILL_TEST = "skill_test"
    PROGRESS_REPORT = "progress_report"


class MenteeTemplate(RevisionedTemplate, Base):
    """What a pairing for one kind of mentee aims at: measurable `goals` (a competency level,
    a skill-test score, a performance figure), the `checklist` of content the mentor must
    cover, and the `schedule` (each session kind and its interval in months) over
    `duration_months`. Revisioned (`core.templates`): a plan keeps the revision it was
    drafted from."""

    __tablename__ = "mentee_templates"

    role: Mapped[str] = mapped_column(String(32), nullable=False)
    duration_months: Mapped[int] = mapped_column(Integer, nullable=False)
    goals: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    checklist: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    schedule: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)


MENTEE_TEMPLATES = TemplateKind(MenteeTemplate, "mentee_template", N_("mentee template"))


class Mentorship(Entity, OrgScopedMixin, Base):
    """A mentor paired with a mentee in a program, from `starts_on` to `ends_on`.

    `mentor_employee_id` repeats the mentor's employee so "mentor of" reads need no join;
    `checks` are the mentor's rule checks when paired and `override_reason` HR's reason for
    pairing a mentor who failed one. One running pairing per mentee and program."""

    __tablename__ = "mentorships"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'completed', 'cancelled')", name="status_known"),
        CheckConstraint("mentor_employee_id <> mentee_employee_id", name="not_self"),
        CheckConstraint("ends_on > starts_on", name="ends_after_start"),
        Index("ix_mentorships_org_id_id", "org_id", "id"),
        Index(
            "uq_mentorships_active_mentee",
            "org_id",
            "program_id",
            "mentee_employee_id",
            unique=True,
            postgresql_where=text("status = 'active'"),
        ),
        Index(
            "ix_mentorships_active_mentor",
            "org_id",
            "mentor_id",
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_mentorships_org_id_mentee", "org_id", "mentee_employee_id"),
        Index("ix_mentorships_org_id_mentor_employee", "org_id", "mentor_employee_id"),
    )

    program_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentoring_programs.id", ondelete="RESTRICT"), nullable=False
    )
    mentor_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentors.id", ondelete="RESTRICT"), nullable=False
    )
    mentor_employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    mentee_employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    template_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentee_templates.id", ondelete="RESTRICT"), nullable=False
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active")
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    checks: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    override_reason: Mapped[str | None] = mapped_column(Text)
    end_reason: Mapped[str | None] = mapped_column(Text)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MentorshipPlan(Entity, OrgScopedMixin, Base):
    """The mentor's plan for one pairing, drafted from its template's revision
    (`template_revision`) with editable goals, checklist and schedule. HR approves it; an
    edit after approval sends it back for approval."""

    __tablename__ = "mentorship_plans"
    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'submitted', 'approved', 'returned')", name="status_known"
        ),
        Index("uq_mentorship_plans_mentorship", "org_id", "mentorship_id", unique=True),
        Index(
            "ix_mentorship_plans_unscheduled",
            "org_id",
            postgresql_where=text(
                "status = 'approved' AND (scheduled_at IS NULL OR scheduled_at < approved_at)"
            ),
        ),
    )

    mentorship_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentorships.id", ondelete="CASCADE"), nullable=False
    )
    template_revision: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    goals: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    checklist: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    schedule: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_comment: Mapped[str | None] = mapped_column(Text)
    scheduled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When the schedule job last planned the approved plan's tasks: before `approved_at`
    (or null) the catch-up cron plans it."""


class MentoringSession(Entity, OrgScopedMixin, Base):
    """A session held in a pairing: a 1:1, a skill test (with its `score`, 0–100) or a
    progress report, with notes and the checklist items it covered (`checklist_covered`,
    the plan's keys). `task_id` is the scheduled task it fulfils, when there was one."""

    __tablename__ = "mentoring_sessions"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('one_on_one', 'skill_test', 'progress_report')", name="kind_known"
        ),
        CheckConstraint(
            "(kind = 'skill_test') = (score IS NOT NULL) "
            "AND (score IS NULL OR score BETWEEN 0 AND 100)",
            name="score_for_skill_tests",
        ),
        Index("ix_mentoring_sessions_org_id_id", "org_id", "id"),
        Index("ix_mentoring_sessions_mentorship", "org_id", "mentorship_id", "held_on"),
    )

    mentorship_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentorships.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)
    checklist_covered: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    task_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tasks.id", ondelete="SET NULL")
    )


class MentoringSurvey(Entity, OrgScopedMixin, Base):
    """The mentee's answer about a session (`session_id`) or the pairing so far (periodic,
    no session): on time, relevant, solved my problem, each 1–5, and a comment. Only the
    mentee answers; the mentor sees figures in aggregate past the anonymity threshold."""

    __tablename__ = "mentoring_surveys"
    __table_args__ = (
        CheckConstraint("on_time BETWEEN 1 AND 5", name="on_time_range"),
        CheckConstraint("relevant BETWEEN 1 AND 5", name="relevant_range"),
        CheckConstraint("solved BETWEEN 1 AND 5", name="solved_range"),
        Index("ix_mentoring_surveys_org_id_id", "org_id", "id"),
        Index("ix_mentoring_surveys_mentorship", "org_id", "mentorship_id"),
        Index(
            "uq_mentoring_surveys_session",
            "org_id",
            "session_id",
            unique=True,
            postgresql_where=text("session_id IS NOT NULL"),
        ),
    )

    mentorship_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentorships.id", ondelete="CASCADE"), nullable=False
    )
    session_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentoring_sessions.id", ondelete="CASCADE")
    )
    on_time: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    relevant: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    solved: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    comment: Mapped[str | None] = mapped_column(Text)
