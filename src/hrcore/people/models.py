"""Employees, their employment events, performance ratings and growth profiles."""

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
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, OrgScopedMixin
from hrcore.people.exit_reasons import EXIT_REASONS

EMPLOYEE_STATUSES = ("active", "on_leave", "exited")
EVENT_KINDS = ("hire", "transfer", "promotion", "temporary_post", "exit")


class Employee(Entity, OrgScopedMixin, Base):
    __tablename__ = "employees"
    __table_args__ = (
        UniqueConstraint("org_id", "employee_number"),
        UniqueConstraint("org_id", "dingtalk_user_id"),
        CheckConstraint("status IN ('active', 'on_leave', 'exited')", name="status"),
        CheckConstraint("manager_id IS NULL OR manager_id <> id", name="not_own_manager"),
        Index("ix_employees_org_department_name", "org_id", "department_id", "full_name", "id"),
        Index("ix_employees_org_manager", "org_id", "manager_id"),
        Index("ix_employees_org_name", "org_id", "full_name", "id"),
        Index("ix_employees_org_hire_date", "org_id", "hire_date", "id"),
        Index(
            "ix_employees_org_manager_path",
            "org_id",
            "manager_path",
            postgresql_ops={"manager_path": "text_pattern_ops"},
        ),
        Index(
            "ix_employees_search",
            "full_name",
            "employee_number",
            postgresql_using="gin",
            postgresql_ops={"full_name": "gin_trgm_ops", "employee_number": "gin_trgm_ops"},
        ),
    )

    employee_number: Mapped[str] = mapped_column(String(32), nullable=False)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    personal_phone: Mapped[str | None] = mapped_column(String(32))
    id_number: Mapped[str | None] = mapped_column(String(18))
    """The resident ID number 「身份证号」 (GB 11643, 18 characters): sensitive (PIPL Art. 28)."""
    department_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="RESTRICT"), nullable=False
    )
    position_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("positions.id", ondelete="RESTRICT")
    )
    manager_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="RESTRICT")
    )
    manager_path: Mapped[str] = mapped_column(Text, nullable=False, server_default="/")
    """The manager chain from the top, `/top/…/direct manager/`: reports are a prefix match."""
    hire_date: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active")
    dingtalk_user_id: Mapped[str | None] = mapped_column(String(64))
    """The employee's DingTalk user id: work notifications and directory sync use it."""

    @property
    def reports_prefix(self) -> str:
        """The `manager_path` prefix shared by everyone below this employee."""
        return f"{self.manager_path}{self.id}/"


EXIT_REASONS_SQL = ", ".join(f"'{reason}'" for reason in EXIT_REASONS)


class EmploymentEvent(Entity, OrgScopedMixin, Base):
    """Hire, transfer, promotion, temporary post, exit: the history tenure is derived from."""

    __tablename__ = "employment_events"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('hire', 'transfer', 'promotion', 'temporary_post', 'exit')", name="kind"
        ),
        CheckConstraint("end_date IS NULL OR end_date >= effective_date", name="dates"),
        CheckConstraint(
            f"exit_reason IS NULL OR (kind = 'exit' AND exit_reason IN ({EXIT_REASONS_SQL}))",
            name="exit_reason",
        ),
        CheckConstraint(
            "exit_reason_note IS NULL OR exit_reason IS NOT NULL", name="exit_reason_note"
        ),
        Index("ix_employment_events_org_employee", "org_id", "employee_id", "effective_date"),
        Index(
            "ix_employment_events_org_pending",
            "org_id",
            "effective_date",
            postgresql_where=text("applied_at IS NULL"),
        ),
    )

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    effective_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date)
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="RESTRICT")
    )
    position_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("positions.id", ondelete="RESTRICT")
    )
    title: Mapped[str | None] = mapped_column(String(200))
    leads_team: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    allowance: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    note: Mapped[str | None] = mapped_column(Text)
    manager_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="RESTRICT")
    )
    """The direct manager at the new post, from the effective date (None: unchanged)."""
    pay_terms_ref: Mapped[str | None] = mapped_column(String(200))
    """The pay band of the new post, carried to the contract amendment."""
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When the move reached the employee's record; None while its effective date is ahead."""
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """A temporary post withdrawn before it began: never applied, kept with its reason."""
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    exit_reason: Mapped[str | None] = mapped_column(String(24))
    """Why an exit happened, one of `EXIT_REASONS` (None: not recorded — exits before
    categories, or from the DingTalk directory sync, which knows no reason)."""
    exit_reason_note: Mapped[str | None] = mapped_column(Text)


class PerformanceRating(Entity, OrgScopedMixin, Base):
    """One rating per employee and period, as a letter (A–D) or a 1–5 score."""

    __tablename__ = "performance_ratings"
    __table_args__ = (
        UniqueConstraint("org_id", "employee_id", "period"),
        CheckConstraint("letter IS NULL OR letter IN ('A', 'B', 'C', 'D')", name="letter"),
        CheckConstraint("score IS NULL OR (score >= 1 AND score <= 5)", name="score"),
        CheckConstraint("letter IS NOT NULL OR score IS NOT NULL", name="has_value"),
        Index("ix_performance_ratings_org_period", "org_id", "period"),
    )

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    period: Mapped[str] = mapped_column(String(16), nullable=False)
    letter: Mapped[str | None] = mapped_column(String(1))
    score: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    comment: Mapped[str | None] = mapped_column(Text)
    rated_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )


class GrowthProfile(Entity, OrgScopedMixin, Base):
    """Kept by the employee: skills, certifications, external trainings, career plan."""

    __tablename__ = "growth_profiles"
    __table_args__ = (UniqueConstraint("org_id", "employee_id"),)

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    skills: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    certifications: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, default=list
    )
    external_trainings: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONB, nullable=False, default=list
    )
    career_plan: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
