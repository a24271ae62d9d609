"""Incentives 「积分激励」: the organization's incentive rules as data (one row, the seeds'
values by default), the evaluations of ended periods (one per organization and period: a
unique index, so a retried job or a second request evaluates nothing twice) and the
incentives they produced, owed until HR grants them (docs/training.md, "Incentives")."""

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
    String,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, IdMixin, OrgScopedMixin


class IncentiveKind(StrEnum):
    """What a period earned: a quarter's bonus coefficient (top share), its bonus percent (per
    points, capped), eligibility for the next-level competition and for benefits, promotion
    eligibility over the last 12 months, and a year's "excellent" rating requirement."""

    BONUS_COEFFICIENT = "bonus_coefficient"
    BONUS_PERCENT = "bonus_percent"
    COMPETITION_ELIGIBLE = "competition_eligible"
    BENEFITS_ELIGIBLE = "benefits_eligible"
    PROMOTION_ELIGIBLE = "promotion_eligible"
    EXCELLENT_ELIGIBLE = "excellent_eligible"


class IncentiveStatus(StrEnum):
    OWED = "owed"
    GRANTED = "granted"
    NOT_MET = "not_met"
    """An "excellent" requirement not met: recorded with its reason, nothing to grant."""


class EvaluationStatus(StrEnum):
    QUEUED = "queued"
    DONE = "done"


class IncentiveRules(Entity, OrgScopedMixin, Base):
    """The organization's incentive thresholds; absent until HR edits them or a period is
    evaluated (then the seeds' defaults are written)."""

    __tablename__ = "incentive_rules"
    __table_args__ = (Index("uq_incentive_rules_org_id", "org_id", unique=True),)

    top_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    top_coefficient: Mapped[Decimal] = mapped_column(Numeric(4, 2), nullable=False)
    competition_points: Mapped[int] = mapped_column(Integer, nullable=False)
    benefits_points: Mapped[int] = mapped_column(Integer, nullable=False)
    excellent_points: Mapped[int] = mapped_column(Integer, nullable=False)
    promotion_points: Mapped[int] = mapped_column(Integer, nullable=False)
    promotion_plan_percent: Mapped[int] = mapped_column(Integer, nullable=False)
    bonus_step_points: Mapped[int] = mapped_column(Integer, nullable=False)
    bonus_step_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)
    bonus_cap_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), nullable=False)


class IncentiveEvaluation(Entity, OrgScopedMixin, Base):
    """One evaluation of an ended period (`2026-Q4`, `2026`): queued by the cron or HR, done
    by the worker with how many incentives it wrote."""

    __tablename__ = "incentive_evaluations"
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'done')", name="status_known"),
        Index("uq_incentive_evaluations_org_id_period", "org_id", "period", unique=True),
    )

    period: Mapped[str] = mapped_column(String(8), nullable=False)
    status: Mapped[str] = mapped_column(String(8), nullable=False)
    requested_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    incentives: Mapped[int | None] = mapped_column(Integer)
    evaluated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Incentive(IdMixin, OrgScopedMixin, Base):
    """One incentive of one employee for one period: `amount` is the coefficient or the
    percent (None for eligibility kinds), `eligible` the flag, `reasons` the figures that
    made it (points, rank and percentile, thresholds, action plans). Written set-based by the
    evaluation; one per (period, kind, employee)."""

    __tablename__ = "incentives"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('bonus_coefficient', 'bonus_percent', 'competition_eligible',"
            " 'benefits_eligible', 'promotion_eligible', 'excellent_eligible')",
            name="kind_known",
        ),
        CheckConstraint("status IN ('owed', 'granted', 'not_met')", name="status_known"),
        Index(
            "uq_incentives_org_id_period_kind_employee",
            "org_id",
            "period",
            "kind",
            "employee_id",
            unique=True,
        ),
        Index("ix_incentives_org_id_employee", "org_id", "employee_id"),
    )

    period: Mapped[str] = mapped_column(String(8), nullable=False)
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    eligible: Mapped[bool] = mapped_column(Boolean, nullable=False)
    reasons: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    status: Mapped[str] = mapped_column(String(8), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    granted_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    granted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
