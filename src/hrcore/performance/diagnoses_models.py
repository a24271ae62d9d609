"""Diagnoses 「根因分析」: a department below target on an indicator for several periods in a
row, with the bundle its head diagnoses from and, once resolved, the root cause and the
action plan. One per department, indicator and streak (the streak's first period)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, IdMixin, OrgScopedMixin


class PerformanceDiagnosis(IdMixin, OrgScopedMixin, Base):
    __tablename__ = "performance_diagnoses"
    __table_args__ = (
        UniqueConstraint(
            "org_id",
            "department_id",
            "indicator",
            "streak_from",
            name="uq_performance_diagnoses_streak",
        ),
        Index("ix_performance_diagnoses_org_status", "org_id", "status", "opened_at"),
    )

    department_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="CASCADE"), nullable=False
    )
    indicator: Mapped[str] = mapped_column(String(64), nullable=False)
    indicator_name: Mapped[str] = mapped_column(String(200), nullable=False)
    streak_from: Mapped[str] = mapped_column(String(8), nullable=False)
    streak_to: Mapped[str] = mapped_column(String(8), nullable=False)
    periods: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    """`open`, then `resolved` once the head records the root cause."""
    head_employee_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="SET NULL")
    )
    task_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    bundle: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    root_cause_category: Mapped[str | None] = mapped_column(String(32))
    root_cause: Mapped[str | None] = mapped_column(Text)
    action_plan: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
