"""Review templates, cycles, participants, rater assignments and results."""

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
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.i18n import N_
from hrcore.core.models import Base, Entity, IdMixin, OrgScopedMixin
from hrcore.core.templates import RevisionedTemplate, TemplateKind

RELATIONSHIPS = ("self", "supervisor", "peer", "subordinate")
# Groups whose answers stay anonymous: withheld below the threshold, confidential tasks.
ANONYMOUS = frozenset({"peer", "subordinate"})


class ReviewTemplate(RevisionedTemplate, Base):
    """A form: indicators with weights, kind weights and department overrides.

    Revisioned (`core.templates`): a cycle copies the form when it is created, so a running
    cycle keeps the revision it started with.
    """

    __tablename__ = "review_templates"

    indicators: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    kind_weights: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    department_overrides: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, default=list
    )


REVIEW_TEMPLATES = TemplateKind(ReviewTemplate, "review_template", N_("review template"))


class ReviewCycle(Entity, OrgScopedMixin, Base):
    """A round of reviews on one form (a copy of the template at creation)."""

    __tablename__ = "review_cycles"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('mid_year', 'year_end', 'campaign_360', 'program_stage')", name="kind"
        ),
        CheckConstraint("status IN ('draft', 'open', 'closed', 'aggregated')", name="status"),
        Index("ix_review_cycles_org_id_id", "org_id", "id"),
    )

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    template_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("review_templates.id", ondelete="RESTRICT"), nullable=False
    )
    template_revision: Mapped[int] = mapped_column(Integer, nullable=False)
    form: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    relationship_weights: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    peer_nomination: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )
    min_raters: Mapped[dict[str, Any]] = mapped_column(
        JSONB, nullable=False, default=dict, server_default=text("'{}'::jsonb")
    )


class ReviewParticipant(IdMixin, OrgScopedMixin, Base):
    __tablename__ = "review_participants"
    __table_args__ = (
        UniqueConstraint("org_id", "cycle_id", "employee_id"),
        Index("ix_review_participants_org_cycle_id", "org_id", "cycle_id", "id"),
    )

    cycle_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("review_cycles.id", ondelete="CASCADE"), nullable=False
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    department_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="RESTRICT"), nullable=False
    )


class ReviewAssignment(Entity, OrgScopedMixin, Base):
    """One rater's work on one participant; `answers` maps indicator keys to answers."""

    __tablename__ = "review_assignments"
    __table_args__ = (
        UniqueConstraint("org_id", "participant_id", "rater_employee_id", "relationship"),
        CheckConstraint(
            "relationship IN ('self', 'supervisor', 'peer', 'subordinate')", name="relationship"
        ),
        CheckConstraint("status IN ('pending', 'draft', 'submitted')", name="status"),
        Index("ix_review_assignments_org_cycle", "org_id", "cycle_id", "participant_id"),
        Index("ix_review_assignments_org_rater", "org_id", "rater_employee_id", "id"),
    )

    cycle_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("review_cycles.id", ondelete="CASCADE"), nullable=False
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("review_participants.id", ondelete="CASCADE"), nullable=False
    )
    rater_employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    relationship: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    answers: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    comment: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    task_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReviewResult(Entity, OrgScopedMixin, Base):
    """A participant's aggregated result. `scores` is what the worker computed; calibration
    adds `adjusted_overall` and keeps every adjustment in `adjustments`."""

    __tablename__ = "review_results"
    __table_args__ = (
        UniqueConstraint("org_id", "participant_id"),
        CheckConstraint("status IN ('computed', 'published')", name="status"),
        CheckConstraint(
            "recommendation IS NULL OR recommendation IN "
            "('promote', 'continue_development', 'reassess_next_cycle')",
            name="recommendation",
        ),
        Index("ix_review_results_org_cycle_id", "org_id", "cycle_id", "id"),
        Index("ix_review_results_org_employee", "org_id", "employee_id"),
    )

    cycle_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("review_cycles.id", ondelete="CASCADE"), nullable=False
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("review_participants.id", ondelete="CASCADE"), nullable=False
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    overall: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    scores: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    comments: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    adjusted_overall: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    adjustments: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    hidden_comments: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, default=list, server_default=text("'[]'::jsonb")
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="computed")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recommendation: Mapped[str | None] = mapped_column(String(32))
    recommendation_reason: Mapped[str | None] = mapped_column(Text)
    recommended_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class ReviewAppeal(Entity, OrgScopedMixin, Base):
    """An employee's objection to one indicator or one comment of their published result
    「异议」.

    open → answered (the reviewer or HR replied) → upheld (a new score, or the comment
    hidden) or rejected. At most one appeal per indicator or comment is open or answered at
    a time. A comment is named by the id the result shows (`aggregation.shown_comments`),
    which says nothing about who wrote it.
    """

    __tablename__ = "review_appeals"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'answered', 'upheld', 'rejected')", name="status"),
        CheckConstraint("(indicator_key IS NULL) <> (comment_id IS NULL)", name="subject"),
        Index("ix_review_appeals_org_result_id", "org_id", "result_id", "id"),
        Index(
            "uq_review_appeals_one_open_per_indicator",
            "org_id",
            "result_id",
            "indicator_key",
            unique=True,
            postgresql_where="status IN ('open', 'answered')",
        ),
        Index(
            "uq_review_appeals_one_open_per_comment",
            "org_id",
            "result_id",
            "comment_id",
            unique=True,
            postgresql_where="status IN ('open', 'answered') AND comment_id IS NOT NULL",
        ),
    )

    result_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("review_results.id", ondelete="CASCADE"), nullable=False
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    indicator_key: Mapped[str | None] = mapped_column(String(40))
    comment_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    comment: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    reply: Mapped[str | None] = mapped_column(Text)
    replied_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution: Mapped[str | None] = mapped_column(Text)
    original_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    new_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    task_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


NOMINATION_APPROVAL = "reviews.peer_nomination"
"""The approval kind a nomination runs as (declared by `nominations`; closing a cycle
withdraws its pending ones)."""


class ReviewNomination(Entity, OrgScopedMixin, Base):
    """A peer the participant asked to rate them; a peer assignment once the supervisor (or
    HR) approves."""

    __tablename__ = "review_nominations"
    __table_args__ = (
        UniqueConstraint("org_id", "participant_id", "nominee_employee_id"),
        CheckConstraint("status IN ('nominated', 'approved', 'rejected')", name="status"),
        Index("ix_review_nominations_org_participant", "org_id", "participant_id", "id"),
    )

    cycle_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("review_cycles.id", ondelete="CASCADE"), nullable=False
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("review_participants.id", ondelete="CASCADE"), nullable=False
    )
    nominee_employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="nominated")
    decided_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
