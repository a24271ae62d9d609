"""Program templates, runs (cohorts), participants, their stages and the stages' tasks."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
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

from hrcore.core.i18n import N_
from hrcore.core.models import Base, Entity, IdMixin, OrgScopedMixin, TimestampMixin
from hrcore.core.templates import RevisionedTemplate, TemplateKind


class ProgramTemplate(RevisionedTemplate, Base):
    """Ordered stages and department variants, revisioned (`core.templates`): a started run
    keeps the copy it started with."""

    __tablename__ = "program_templates"

    description: Mapped[str | None] = mapped_column(Text)
    stages: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    department_variants: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)


PROGRAM_TEMPLATES = TemplateKind(ProgramTemplate, "program_template", N_("program template"))


class ProgramRun(Entity, OrgScopedMixin, Base):
    """A cohort. Starting copies the template into `snapshot`: later edits never reach it."""

    __tablename__ = "program_runs"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'running')", name="status"),
        Index("ix_program_runs_org_id_id", "org_id", "id"),
    )

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    template_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("program_templates.id", ondelete="RESTRICT"), nullable=False
    )
    pool_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("talent_pools.id", ondelete="RESTRICT"), nullable=False
    )
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    template_revision: Mapped[int | None] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProgramParticipant(Entity, OrgScopedMixin, Base):
    """One pool member in one run; `current_position` is the stage they are in."""

    __tablename__ = "program_participants"
    __table_args__ = (
        UniqueConstraint("org_id", "run_id", "employee_id"),
        CheckConstraint(
            "status IN ('enrolled', 'active', 'completed', 'graduated', 'withdrawn')", name="status"
        ),
        CheckConstraint(
            "outcome IS NULL OR outcome IN ('appoint_when_open', 'continue', 'extend', 'remove')",
            name="outcome",
        ),
        Index("ix_program_participants_org_run_id", "org_id", "run_id", "id"),
        Index("ix_program_participants_org_employee", "org_id", "employee_id"),
    )

    run_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("program_runs.id", ondelete="CASCADE"), nullable=False
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    department_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="RESTRICT"), nullable=False
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="enrolled")
    current_position: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(20))
    ended_reason: Mapped[str | None] = mapped_column(Text)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ParticipantStage(IdMixin, TimestampMixin, OrgScopedMixin, Base):
    """A participant's copy of one stage (department variant applied) with its window.

    `department_id` is the participant's at the start: progress groups by it in SQL.
    """

    __tablename__ = "program_participant_stages"
    __table_args__ = (
        UniqueConstraint("org_id", "participant_id", "position"),
        CheckConstraint("status IN ('pending', 'open', 'completed', 'cancelled')", name="status"),
        Index("ix_program_participant_stages_org_run", "org_id", "run_id", "position"),
        Index(
            "ix_program_participant_stages_org_review_cycle",
            "org_id",
            "review_cycle_id",
            postgresql_where=text("review_cycle_id IS NOT NULL"),
        ),
        Index(
            "ix_program_participant_stages_org_stretch_assignee",
            "org_id",
            "stretch_assignee_id",
            postgresql_where=text("stretch_assignee_id IS NOT NULL"),
        ),
    )

    run_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("program_runs.id", ondelete="CASCADE"), nullable=False
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("program_participants.id", ondelete="CASCADE"),
        nullable=False,
    )
    department_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="RESTRICT"), nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    key: Mapped[str] = mapped_column(String(40), nullable=False)
    kind: Mapped[str] = mapped_column(String(24), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    config: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    review_cycle_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("review_cycles.id", ondelete="SET NULL")
    )
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    stretch_assignee_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("stretch_assignees.id", ondelete="SET NULL")
    )
    """A stretch_assignment stage's participant on the assignment, once put on it."""
    stretch_problem: Mapped[str | None] = mapped_column(Text)
    """Why the participant could not be put on the assignment (in the organization's
    language), while HR sees to it; cleared once they are on it."""


class StageTask(IdMixin, OrgScopedMixin, Base):
    """A task (ours, or a review cycle's rater task) that a participant's stage waits for."""

    __tablename__ = "program_stage_tasks"
    __table_args__ = (
        UniqueConstraint("org_id", "task_id"),
        Index("ix_program_stage_tasks_org_stage", "org_id", "stage_id"),
    )

    stage_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("program_participant_stages.id", ondelete="CASCADE"),
        nullable=False,
    )
    task_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False
    )
    done: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class DossierDocument(IdMixin, TimestampMixin, OrgScopedMixin, Base):
    """A dossier's PDF as one audience saw it: `content` is the trimmed dossier JSON the PDF
    is rendered from and `fingerprint` its SHA-256, so an unchanged dossier reuses its
    document and a changed one gets a new row."""

    __tablename__ = "program_dossier_documents"
    __table_args__ = (
        UniqueConstraint("org_id", "participant_id", "audience", "fingerprint"),
        CheckConstraint("audience IN ('full', 'self')", name="audience"),
        CheckConstraint("status IN ('pending', 'ready', 'failed')", name="status"),
    )

    participant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("program_participants.id", ondelete="CASCADE"),
        nullable=False,
    )
    audience: Mapped[str] = mapped_column(String(8), nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    content: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    error: Mapped[str | None] = mapped_column(Text)
    storage_key: Mapped[str | None] = mapped_column(String(300))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    generated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
