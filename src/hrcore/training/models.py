"""Points-based training 「积分制培训」: courses tagged with competencies, their sessions,
enrolments (attendance and online progress on the same row), action plans after a course,
the organization's point rules and settings, and the append-only points ledger with its
per-period balances.

The ledger is the one record of points: rows are only ever inserted (a trigger refuses
updates and deletes), one award per (employee, rule, source) is a unique index, and a
correction is a compensating row naming the entry it corrects. `points_balances` is what
reads use: one row per employee and period (`2026`, `2026-Q4`, `2026-11`), kept in the
award's transaction."""

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
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, IdMixin, OrgScopedMixin


class CourseMode(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class EnrolmentStatus(StrEnum):
    ENROLLED = "enrolled"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class EnrolmentSource(StrEnum):
    SELF = "self"
    MANAGER = "manager"
    HR = "hr"
    NEEDS = "needs"


class ActionPlanStatus(StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    SCORED = "scored"


class PointCategory(StrEnum):
    PARTICIPATION = "participation"
    OUTCOME = "outcome"
    SHARING = "sharing"


class Course(Entity, OrgScopedMixin, Base):
    """A course 「课程」: online (modules, a completion threshold in percent) or offline
    (sessions), tagged with the competencies it develops (needs analysis matches on them),
    with its hours, cost and optional `points` (overrides the attendance or online-course
    rule's value for this course) and an optional exam pass mark."""

    __tablename__ = "training_courses"
    __table_args__ = (
        CheckConstraint("mode IN ('online', 'offline')", name="mode_known"),
        CheckConstraint(
            "completion_threshold BETWEEN 1 AND 100", name="completion_threshold_percent"
        ),
        Index("ix_training_courses_org_id_id", "org_id", "id"),
        Index("uq_training_courses_org_id_name", "org_id", "name", unique=True),
        Index(
            "ix_training_courses_competency_ids",
            "competency_ids",
            postgresql_using="gin",
        ),
    )

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(16), nullable=False)
    category: Mapped[str | None] = mapped_column(String(100))
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 1), nullable=False)
    points: Mapped[int | None] = mapped_column(Integer)
    fee: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    competency_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(UUID(as_uuid=True)), nullable=False, server_default=text("'{}'")
    )
    modules: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    completion_threshold: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=100)
    pass_mark: Mapped[int | None] = mapped_column(SmallInteger)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class CourseSession(Entity, OrgScopedMixin, Base):
    """One class of an offline course 「课次」: when, where, how many seats, who teaches (an
    employee earns the teaching rule's points) and the allowance paid per class."""

    __tablename__ = "training_sessions"
    __table_args__ = (
        CheckConstraint("status IN ('scheduled', 'completed', 'cancelled')", name="status_known"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_training_sessions_org_id_id", "org_id", "id"),
        Index("ix_training_sessions_org_id_starts_at", "org_id", "starts_at"),
        Index("ix_training_sessions_org_id_course", "org_id", "course_id"),
    )

    course_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("training_courses.id", ondelete="CASCADE"), nullable=False
    )
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    place: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(Integer, nullable=False)
    instructor_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="SET NULL")
    )
    instructor_allowance: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    late_grace_minutes: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=10)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="scheduled")


class Enrolment(Entity, OrgScopedMixin, Base):
    """An employee on a course: for an offline course in one session (`session_id`), for an
    online one without. Holds what happened: check-in (`checked_in_at`, `late`, `check_in_method`)
    or online progress (`completed_modules`, `progress_percent`), `completed_at`, and the best
    exam score. One live enrolment per employee and session (or online course): partial
    unique indexes."""

    __tablename__ = "training_enrolments"
    __table_args__ = (
        CheckConstraint(
            "status IN ('enrolled', 'waitlisted', 'cancelled', 'completed')", name="status_known"
        ),
        CheckConstraint("source IN ('self', 'manager', 'hr', 'needs')", name="source_known"),
        CheckConstraint(
            "check_in_method IS NULL OR check_in_method IN ('qr', 'manual')",
            name="check_in_method_known",
        ),
        CheckConstraint("progress_percent BETWEEN 0 AND 100", name="progress_percent_range"),
        Index("ix_training_enrolments_org_id_id", "org_id", "id"),
        Index("ix_training_enrolments_org_id_employee", "org_id", "employee_id", "created_at"),
        Index("ix_training_enrolments_org_id_session", "org_id", "session_id", "created_at"),
        Index("ix_training_enrolments_org_id_course", "org_id", "course_id"),
        Index(
            "uq_training_enrolments_live_session",
            "org_id",
            "session_id",
            "employee_id",
            unique=True,
            postgresql_where=text("session_id IS NOT NULL AND status <> 'cancelled'"),
        ),
        Index(
            "uq_training_enrolments_live_online",
            "org_id",
            "course_id",
            "employee_id",
            unique=True,
            postgresql_where=text("session_id IS NULL AND status <> 'cancelled'"),
        ),
    )

    course_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("training_courses.id", ondelete="CASCADE"), nullable=False
    )
    session_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("training_sessions.id", ondelete="CASCADE")
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    enrolled_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    late: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    check_in_method: Mapped[str | None] = mapped_column(String(16))
    completed_modules: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)
    progress_percent: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    exam_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    passed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminder_task_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tasks.id", ondelete="SET NULL")
    )


class ActionPlan(Entity, OrgScopedMixin, Base):
    """The plan an employee writes after a course 「行动计划」: a workflow task (reminder on day
    10, due on day 30), submitted, scored by HR and by the manager (both needed; `score` is
    their mean), and perhaps adopted by the company, with its outcome later."""

    __tablename__ = "training_action_plans"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'submitted', 'scored')", name="status_known"),
        CheckConstraint("hr_score IS NULL OR hr_score BETWEEN 0 AND 100", name="hr_score_range"),
        CheckConstraint(
            "manager_score IS NULL OR manager_score BETWEEN 0 AND 100",
            name="manager_score_range",
        ),
        Index("ix_training_action_plans_org_id_id", "org_id", "id"),
        Index("ix_training_action_plans_org_id_employee", "org_id", "employee_id"),
        Index("ix_training_action_plans_org_id_course", "org_id", "course_id"),
        Index("uq_training_action_plans_enrolment", "org_id", "enrolment_id", unique=True),
    )

    enrolment_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("training_enrolments.id", ondelete="CASCADE"), nullable=False
    )
    course_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("training_courses.id", ondelete="CASCADE"), nullable=False
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    task_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tasks.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    content: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hr_score: Mapped[int | None] = mapped_column(SmallInteger)
    hr_scored_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    manager_score: Mapped[int | None] = mapped_column(SmallInteger)
    manager_scored_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    scored_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    adopted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    adopted_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    adoption_note: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)


class PointRule(Entity, OrgScopedMixin, Base):
    """A point rule as data: `code` (the event it rewards: `attendance`, `online_course`,
    `late`, `action_plan`, `adopted`, `teaching`, `article`, or one HR adds for manual
    awards), its category and its value now. An award copies the value into the ledger, so
    editing a rule changes only what is awarded after."""

    __tablename__ = "point_rules"
    __table_args__ = (
        CheckConstraint(
            "category IN ('participation', 'outcome', 'sharing')", name="category_known"
        ),
        Index("ix_point_rules_org_id_id", "org_id", "id"),
        Index("uq_point_rules_org_id_code", "org_id", "code", unique=True),
    )

    code: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    category: Mapped[str] = mapped_column(String(16), nullable=False)
    points: Mapped[int] = mapped_column(Integer, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class TrainingSettings(Entity, OrgScopedMixin, Base):
    """One row per organization: the categories' target weights in percent (30 / 40 / 30 by
    default, summing to 100) and the badge thresholds."""

    __tablename__ = "training_settings"
    __table_args__ = (Index("uq_training_settings_org_id", "org_id", unique=True),)

    category_weights: Mapped[dict[str, int]] = mapped_column(JSONB, nullable=False)
    badge_thresholds: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, default=list
    )


class LedgerEntry(IdMixin, OrgScopedMixin, Base):
    """One row of the append-only points ledger 「积分台账」. An award names its rule and the
    source event (`source_type`, `source_id`); the unique index makes a second award of the
    same rule for the same source and employee impossible, whatever retries or races. A
    correction has no rule: it names the entry it corrects (`corrects_id`), carries a
    `reason`, and its `points` compensate."""

    __tablename__ = "points_ledger"
    __table_args__ = (
        CheckConstraint(
            "category IN ('participation', 'outcome', 'sharing')", name="category_known"
        ),
        CheckConstraint(
            "(rule_id IS NOT NULL AND corrects_id IS NULL) "
            "OR (rule_id IS NULL AND reason IS NOT NULL)",
            name="award_or_reasoned_correction",
        ),
        Index("ix_points_ledger_org_id_employee", "org_id", "employee_id", "occurred_at"),
        Index("ix_points_ledger_org_id_occurred_at", "org_id", "occurred_at"),
        Index(
            "uq_points_ledger_award",
            "org_id",
            "employee_id",
            "rule_id",
            "source_type",
            "source_id",
            unique=True,
            postgresql_where=text("rule_id IS NOT NULL"),
        ),
    )

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    rule_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("point_rules.id", ondelete="RESTRICT")
    )
    category: Mapped[str] = mapped_column(String(16), nullable=False)
    points: Mapped[int] = mapped_column(Integer, nullable=False)
    source_type: Mapped[str] = mapped_column(String(32), nullable=False)
    source_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    corrects_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("points_ledger.id", ondelete="RESTRICT")
    )
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )


class PointsBalance(Base):
    """An employee's points in one period (`2026`, `2026-Q4`, `2026-11`, in the
    organization's time zone), by category and in total; the leaderboard's index orders a
    period by total."""

    __tablename__ = "points_balances"
    __table_args__ = (
        Index(
            "ix_points_balances_leaderboard",
            "org_id",
            "period",
            text("total DESC"),
            "employee_id",
        ),
    )

    org_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    period: Mapped[str] = mapped_column(String(8), primary_key=True)
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True
    )
    participation: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    outcome: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    sharing: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
