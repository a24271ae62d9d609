"""Decline alerts 「绩效下滑预警」: one row per employee, indicator and period whose value was
worse than the indicator's trailing average by more than its threshold, with the figures
that raised it. Unique per (employee, indicator, period): a sweep that runs again raises
nothing new."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, IdMixin, OrgScopedMixin


class PerformanceAlert(IdMixin, OrgScopedMixin, Base):
    """`series` is the trailing window, oldest first (`[{period, value}]`); `decline` how
    much worse than its mean `value` is, in percent, read in the indicator's direction."""

    __tablename__ = "performance_alerts"
    __table_args__ = (
        UniqueConstraint("org_id", "employee_id", "indicator", "period"),
        Index("ix_performance_alerts_org_raised", "org_id", "raised_at"),
    )

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    indicator: Mapped[str] = mapped_column(String(64), nullable=False)
    indicator_name: Mapped[str] = mapped_column(String(200), nullable=False)
    unit: Mapped[str] = mapped_column(String(32), nullable=False)
    direction: Mapped[str] = mapped_column(String(8), nullable=False)
    period: Mapped[str] = mapped_column(String(8), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    scheme_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("performance_schemes.id", ondelete="CASCADE"),
        nullable=False,
    )
    value: Mapped[float] = mapped_column(Float, nullable=False)
    average: Mapped[float] = mapped_column(Float, nullable=False)
    series: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    window_size: Mapped[int] = mapped_column(Integer, nullable=False)
    threshold: Mapped[float] = mapped_column(Float, nullable=False)
    decline: Mapped[float] = mapped_column(Float, nullable=False)
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
