"""Performance schemes (a revisioned template kind), metric observations (append-only: a
correction is the next revision of the same source and external id) and live scores (one
row per employee and period, replaced as observations arrive)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.i18n import N_
from hrcore.core.models import Base, IdMixin, OrgScopedMixin
from hrcore.core.templates import RevisionedTemplate, TemplateKind


class PerformanceScheme(RevisionedTemplate, Base):
    """Weighted indicators for the positions and department subtrees it names, scored per
    `period` (month or quarter), with department variants of weights and targets.

    Revisioned (`core.templates`): a period's live scores keep the revision they started on,
    so an edit applies from the next period."""

    __tablename__ = "performance_schemes"

    period: Mapped[str] = mapped_column(String(16), nullable=False)
    position_ids: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)
    department_ids: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)
    indicators: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    department_overrides: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, default=list
    )


PERFORMANCE_SCHEMES = TemplateKind(
    PerformanceScheme, "performance_scheme", N_("performance scheme")
)


class MetricObservation(IdMixin, OrgScopedMixin, Base):
    """One measured value of one indicator for an employee or a department. Never changed:
    a different value under the same (source, external id) is stored as the next `revision`
    and the newest revision is the one that counts."""

    __tablename__ = "metric_observations"
    __table_args__ = (
        UniqueConstraint("org_id", "source", "external_id", "revision"),
        Index("ix_metric_observations_employee", "org_id", "employee_id", "observed_at"),
        Index("ix_metric_observations_department", "org_id", "department_id", "observed_at"),
        CheckConstraint("(employee_id IS NULL) <> (department_id IS NULL)", name="one_subject"),
    )

    employee_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE")
    )
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="CASCADE")
    )
    indicator: Mapped[str] = mapped_column(String(64), nullable=False)
    value: Mapped[float] = mapped_column(Float, nullable=False)
    observed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    source: Mapped[str] = mapped_column(String(64), nullable=False)
    external_id: Mapped[str] = mapped_column(String(200), nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    recorded_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class PerformanceScore(IdMixin, OrgScopedMixin, Base):
    """An employee's live score for one period: overall and per indicator, each indicator
    with its explanation (the inputs, target, formula and weight it was computed with)."""

    __tablename__ = "performance_scores"
    __table_args__ = (UniqueConstraint("org_id", "employee_id", "period"),)

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    period: Mapped[str] = mapped_column(String(8), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    scheme_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("performance_schemes.id", ondelete="CASCADE"),
        nullable=False,
    )
    scheme_revision: Mapped[int] = mapped_column(Integer, nullable=False)
    overall: Mapped[float] = mapped_column(Float, nullable=False)
    indicators: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class StaleScore(IdMixin, OrgScopedMixin, Base):
    """A batch's mark that an (employee, month)'s live score has not caught up with its
    observations yet: ingestion inserts one per key it touched, the recompute job deletes the
    marks it read (`score_queue`). Only inserted and deleted, never updated: a batch never
    waits for a recompute's locks."""

    __tablename__ = "performance_stale_scores"
    __table_args__ = (Index("ix_performance_stale_scores_key", "org_id", "employee_id", "month"),)

    employee_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    month: Mapped[str] = mapped_column(String(7), nullable=False)
    since: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
