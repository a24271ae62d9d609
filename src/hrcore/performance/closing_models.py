"""Period close and calibration: the periods HR closed (or the cron did), each closed
period's results per employee (the frozen score, HR's calibrated value beside it, and the
rating written from them) and each organization's rating policy."""

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
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, OrgScopedMixin


class PerformancePeriod(Entity, OrgScopedMixin, Base):
    """A period of the organization (`2026-11`, `2026-Q4`) once it was first closed: open
    again after a reopen, closed after a close. A period with scores and no row is open."""

    __tablename__ = "performance_periods"
    __table_args__ = (
        UniqueConstraint("org_id", "period"),
        CheckConstraint("state IN ('open', 'closed')", name="state"),
    )

    period: Mapped[str] = mapped_column(String(8), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    """The day after the period (exclusive), in the organization's time zone."""
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    """The period's moments, so ingestion refuses an observation in it without a time zone."""
    state: Mapped[str] = mapped_column(String(8), nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    """The user or key that closed it; None when the cron did."""
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reopened_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    reopen_reason: Mapped[str | None] = mapped_column(Text)


class PerformancePeriodResult(Entity, OrgScopedMixin, Base):
    """One employee's result of a closed period: the frozen overall, HR's calibration (value,
    reason, who, when) kept beside it, and the rating the close wrote from them."""

    __tablename__ = "performance_period_results"
    __table_args__ = (
        UniqueConstraint("org_id", "period", "employee_id"),
        CheckConstraint("letter IN ('A', 'B', 'C', 'D')", name="letter"),
        CheckConstraint("original_letter IN ('A', 'B', 'C', 'D')", name="original_letter"),
        CheckConstraint(
            "(calibrated IS NULL) = (calibration_reason IS NULL)", name="calibration_reason"
        ),
    )

    period: Mapped[str] = mapped_column(String(8), nullable=False)
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    overall: Mapped[float] = mapped_column(Float, nullable=False)
    calibrated: Mapped[float | None] = mapped_column(Float)
    calibration_reason: Mapped[str | None] = mapped_column(Text)
    calibrated_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    calibrated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    original_letter: Mapped[str] = mapped_column(String(1), nullable=False)
    """The letter the frozen overall earns (the distribution before calibration)."""
    letter: Mapped[str] = mapped_column(String(1), nullable=False)
    """The rating's letter: from the calibrated value if any, else from the overall."""
    score: Mapped[float] = mapped_column(Float, nullable=False)


class PerformanceRatingPolicy(Entity, OrgScopedMixin, Base):
    """An organization's rating policy (absent: `closing_policy.DEFAULT`): the grace days
    before the cron closes a period, the lowest overall of each letter and the distribution
    guideline calibration compares against."""

    __tablename__ = "performance_rating_policies"
    __table_args__ = (UniqueConstraint("org_id"),)

    content: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
