"""Rotation plans 「轮岗 / 挂职」: a sequence of posts in other departments, each with dates, a
host supervisor and an allowance. Confirming a plan records each leg as a temporary post (the
contracts domain drafts the amendment); the host supervisor's rating becomes evidence."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, IdMixin, OrgScopedMixin

PLAN_STATUSES = ("draft", "confirmed")


class RotationPlan(Entity, OrgScopedMixin, Base):
    """One employee's rotation: editable while a draft, fixed once confirmed (its legs are
    then employment events and amendments)."""

    __tablename__ = "rotation_plans"
    __table_args__ = (Index("ix_rotation_plans_org_employee", "org_id", "employee_id", "id"),)

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    confirmed_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RotationLeg(IdMixin, OrgScopedMixin, Base):
    """One post of a plan, in plan order. The rating (per competency, 0–10) is the host
    supervisor's, kept as given; the evidence rows are its copy in the profile."""

    __tablename__ = "rotation_legs"
    __table_args__ = (
        UniqueConstraint("org_id", "plan_id", "sequence"),
        Index("ix_rotation_legs_org_host", "org_id", "host_supervisor_id"),
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("rotation_plans.id", ondelete="CASCADE"), nullable=False
    )
    sequence: Mapped[int] = mapped_column(Integer, nullable=False)
    department_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="CASCADE"), nullable=False
    )
    post_title: Mapped[str] = mapped_column(String(200), nullable=False)
    host_supervisor_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date] = mapped_column(Date, nullable=False)
    allowance: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    employment_event_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    rating_task_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    ratings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    rating_note: Mapped[str | None] = mapped_column(Text)
    rated_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    rated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """A confirmed leg called off before its first day, with its temporary post."""
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
