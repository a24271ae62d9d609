"""Goals and key results 「目标与关键结果」: organization, department and person goals of a
period, aligned to a parent goal (the cascade), each with weighted key results measured by a
performance indicator (read from the live data) or by hand (check-ins, kept as history)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, IdMixin, OrgScopedMixin, TimestampMixin


class Goal(Entity, OrgScopedMixin, Base):
    """One goal of a period, owned by the organization, a department or an employee
    (`level` says which; the owner columns match it)."""

    __tablename__ = "goals"
    __table_args__ = (
        Index("ix_goals_org_period", "org_id", "period"),
        Index("ix_goals_org_parent", "org_id", "parent_id"),
        Index("ix_goals_org_employee", "org_id", "employee_id"),
        Index("ix_goals_org_department", "org_id", "department_id"),
        CheckConstraint(
            "(level = 'organization' AND department_id IS NULL AND employee_id IS NULL)"
            " OR (level = 'department' AND department_id IS NOT NULL AND employee_id IS NULL)"
            " OR (level = 'person' AND employee_id IS NOT NULL AND department_id IS NULL)",
            name="owner_matches_level",
        ),
    )

    level: Mapped[str] = mapped_column(String(16), nullable=False)
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="CASCADE")
    )
    employee_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE")
    )
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("goals.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    period: Mapped[str] = mapped_column(String(8), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    created_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)


class GoalKeyResult(IdMixin, TimestampMixin, OrgScopedMixin, Base):
    """A measurable result of a goal, from `start` to `target` in `unit`, weighted among the
    goal's others. With an `indicator` its value comes from the performance data; without,
    from the newest check-in."""

    __tablename__ = "goal_key_results"
    __table_args__ = (Index("ix_goal_key_results_org_goal", "org_id", "goal_id", "position"),)

    goal_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("goals.id", ondelete="CASCADE"), nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    unit: Mapped[str] = mapped_column(String(32), nullable=False)
    start: Mapped[float] = mapped_column(Float, nullable=False)
    target: Mapped[float] = mapped_column(Float, nullable=False)
    weight: Mapped[float] = mapped_column(Float, nullable=False)
    indicator: Mapped[str | None] = mapped_column(String(64))


class KeyResultCheckIn(IdMixin, OrgScopedMixin, Base):
    """A value reported by hand for a key result, with a note; never changed (history)."""

    __tablename__ = "goal_key_result_check_ins"
    __table_args__ = (
        Index(
            "ix_goal_key_result_check_ins_org_key_result", "org_id", "key_result_id", "recorded_at"
        ),
    )

    key_result_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("goal_key_results.id", ondelete="CASCADE"), nullable=False
    )
    value: Mapped[float] = mapped_column(Float, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recorded_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
