"""The competency library (a revisioned template kind), the models per position, evidence,
profiles, stretch assignments 「部门内任务」 with their assignees and outcomes, and individual
development plans with their versions and comments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.i18n import N_
from hrcore.core.models import Base, Entity, IdMixin, OrgScopedMixin, TimestampMixin
from hrcore.core.templates import RevisionedTemplate, TemplateKind


class Competency(RevisionedTemplate, Base):
    """One named ability with its levels (1..N), each described by behavioural indicators.
    A template: every revision is kept, so a model or a profile can say what a level meant."""

    __tablename__ = "competencies"

    category: Mapped[str] = mapped_column(String(16), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    levels: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)


COMPETENCIES = TemplateKind(Competency, "competency", N_("competency"))


class CompetencyModel(IdMixin, OrgScopedMixin, Base):
    """One version of what a position needs (`department_id` set: that department's
    variant). Never updated: a change is the next version, so figures computed against a
    version stay explainable."""

    __tablename__ = "competency_models"
    __table_args__ = (
        UniqueConstraint(
            "org_id", "position_id", "department_id", "version", postgresql_nulls_not_distinct=True
        ),
    )

    position_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("positions.id", ondelete="CASCADE"), nullable=False
    )
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="CASCADE")
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    entries: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class CompetencyEvidence(IdMixin, TimestampMixin, OrgScopedMixin, Base):
    """One thing a source said about one employee's competency, on a 0–10 scale. One row per
    source event (`source_kind`, `source_id`) and competency: a source that says it again
    replaces its row, so re-running a job never doubles the evidence."""

    __tablename__ = "competency_evidence"
    __table_args__ = (
        UniqueConstraint(
            "org_id",
            "source_kind",
            "source_id",
            "employee_id",
            "competency_id",
            name="uq_competency_evidence_source_event",
        ),
        Index("ix_competency_evidence_org_employee", "org_id", "employee_id"),
    )

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    competency_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("competencies.id", ondelete="CASCADE"), nullable=False
    )
    value: Mapped[float] = mapped_column(Float, nullable=False)
    source_kind: Mapped[str] = mapped_column(String(32), nullable=False)
    source_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    observed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    source_weight: Mapped[float] = mapped_column(Float, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)


class CompetencyProfile(IdMixin, OrgScopedMixin, Base):
    """One recompute of an employee's profile: every figure with the evidence and weights
    behind it. Never updated; the rows in time order are the profile's history."""

    __tablename__ = "competency_profiles"
    __table_args__ = (
        Index("ix_competency_profiles_org_employee", "org_id", "employee_id", "computed_at"),
    )

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    figures: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    scores: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    """Each figure's competency and score only: what rankings over many people read."""


class CompetencyCurrentScores(OrgScopedMixin, Base):
    """An employee's newest snapshot's scores as parallel arrays: what a ranking over a whole
    organization reads of each person. Written only by the statement that stores snapshots
    (`profiles.RECOMPUTE`, beside them: migration 0071)."""

    __tablename__ = "competency_current_scores"
    __table_args__ = (Index("ix_competency_current_scores_profile_id", "profile_id"),)

    org_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("organizations.id", ondelete="CASCADE"),
        primary_key=True,
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    profile_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("competency_profiles.id", ondelete="CASCADE"),
        nullable=False,
    )
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    competency_ids: Mapped[list[uuid.UUID]] = mapped_column(
        ARRAY(UUID(as_uuid=True)), nullable=False
    )
    scores: Mapped[list[float]] = mapped_column(ARRAY(Float), nullable=False)


class CompetencyRoster(OrgScopedMixin, Base):
    """Each employee's post as competencies keeps it for a ranking over a whole organization
    (`stretch_repository.rank_people` reads it beside the current scores instead of receiving
    every candidate from people as arrays): followed from people's employment events and
    filled in for employees it has not seen yet (`roster`). `active` is people's status
    `active`; department and position are kept for active employees only."""

    __tablename__ = "competency_roster"

    org_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("organizations.id", ondelete="CASCADE"),
        primary_key=True,
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    position_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False)


class StretchAssignment(Entity, OrgScopedMixin, Base):
    """An in-department project or role 「部门内任务」 that develops competencies: each entry
    of `competencies` names one and the level (1..N of its levels) a person needs to start.
    `slots` people may take it; `status` is `open`, `assigned` (every slot taken) or
    `closed`. A role that changes the person's post (project lead, assistant to the chief)
    names it in `post_title`, with an optional monthly `allowance`: assigning records it as
    a temporary post."""

    __tablename__ = "stretch_assignments"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'assigned', 'closed')", name="status"),
        CheckConstraint("ends_on >= starts_on", name="window"),
        CheckConstraint("allowance IS NULL OR post_title IS NOT NULL", name="allowance_of_post"),
        Index("ix_stretch_assignments_org_id_id", "org_id", "id"),
        Index("ix_stretch_assignments_org_department", "org_id", "department_id", "status"),
    )

    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    department_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="RESTRICT"), nullable=False
    )
    team_size: Mapped[int] = mapped_column(Integer, nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    slots: Mapped[int] = mapped_column(Integer, nullable=False)
    competencies: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    post_title: Mapped[str | None] = mapped_column(String(200))
    allowance: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class StretchAssignee(IdMixin, TimestampMixin, OrgScopedMixin, Base):
    """One person on a stretch assignment, with the supervisor who checks the mid-point and
    rates the outcome. `active` counts toward the person's load until the outcome is
    recorded (`completed`). `employment_event_id`: the temporary post recorded for a post
    role."""

    __tablename__ = "stretch_assignees"
    __table_args__ = (
        UniqueConstraint("org_id", "assignment_id", "employee_id"),
        CheckConstraint("status IN ('active', 'completed')", name="status"),
        Index("ix_stretch_assignees_org_employee", "org_id", "employee_id"),
    )

    assignment_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("stretch_assignments.id", ondelete="CASCADE"), nullable=False
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    supervisor_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="RESTRICT"), nullable=False
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    task_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), nullable=False)
    assigned_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    employment_event_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class StretchOutcome(IdMixin, TimestampMixin, OrgScopedMixin, Base):
    """What one assignee delivered: named figures, and per developed competency the
    supervisor's rating, the peers' mean (only when enough peers answered: never who) and
    the value recorded as evidence. One per assignee: recording again replaces it."""

    __tablename__ = "stretch_outcomes"
    __table_args__ = (UniqueConstraint("org_id", "assignee_id"),)

    assignee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("stretch_assignees.id", ondelete="CASCADE"), nullable=False
    )
    figures: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    competencies: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    recorded_times: Mapped[int] = mapped_column(Integer, nullable=False)


PLAN_STATUSES = ("draft", "submitted", "active", "rejected", "closed")
"""Stored statuses. A submitted plan whose approval came back is shown `returned` (the
approval's status says so; the engine tells no domain of a return)."""


class DevelopmentPlan(IdMixin, TimestampMixin, OrgScopedMixin, Base):
    """An employee's individual development plan 「个人发展计划」 for one period: goals (a
    competency and a target level) and actions (a stretch assignment, a program, a course,
    mentoring…). `version` counts its content edits: each is kept in
    `development_plan_versions`. One open plan (not rejected, not closed) per employee and
    period. Goals drawn from the employee's gaps keep the model they were drawn from
    (`model_position_id`, `model_department_id` — null: the general model — and
    `model_version`), so that version is not deleted while the plan is open."""

    __tablename__ = "development_plans"
    __table_args__ = (
        CheckConstraint(
            "status IN ('draft', 'submitted', 'active', 'rejected', 'closed')", name="status"
        ),
        Index(
            "uq_development_plans_open_period",
            "org_id",
            "employee_id",
            "period",
            unique=True,
            postgresql_where=text("status NOT IN ('rejected', 'closed')"),
        ),
        Index("ix_development_plans_org_employee", "org_id", "employee_id", "id"),
    )

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    period: Mapped[str] = mapped_column(String(7), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    goals: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    actions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    model_position_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    model_department_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    model_version: Mapped[int | None] = mapped_column(Integer)


class DevelopmentPlanVersion(IdMixin, OrgScopedMixin, Base):
    """A plan's content as one edit left it (version 1: as created). Never updated."""

    __tablename__ = "development_plan_versions"
    __table_args__ = (UniqueConstraint("org_id", "plan_id", "version"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("development_plans.id", ondelete="CASCADE"), nullable=False
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    goals: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    actions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    edited_by: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    edited_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class DevelopmentPlanComment(IdMixin, OrgScopedMixin, Base):
    """A comment on a plan, a reply when `reply_to_id` names another of the plan's. An
    append-only record: never edited."""

    __tablename__ = "development_plan_comments"
    __table_args__ = (Index("ix_development_plan_comments_org_plan", "org_id", "plan_id", "id"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("development_plans.id", ondelete="CASCADE"), nullable=False
    )
    reply_to_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("development_plan_comments.id", ondelete="CASCADE")
    )
    author_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    body: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


PLAN_APPROVAL = "competencies.development_plan"
"""The approval kind a submitted plan runs on (declared in the registry)."""
