"""Work results 「工作成果」: what an employee delivered (a report, a project), with evidence,
claiming a value of one indicator; their manager accepts it — then it is an observation of
that indicator (source `work_result`, external id the result's id) — or rejects it with a
reason."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, OrgScopedMixin


class WorkResult(Entity, OrgScopedMixin, Base):
    """One submitted result. `submitted` until decided once: `accepted` (with the observation
    it became) or `rejected` (with the reason)."""

    __tablename__ = "work_results"
    __table_args__ = (
        CheckConstraint("status IN ('submitted', 'accepted', 'rejected')", name="status"),
        CheckConstraint(
            "(status = 'accepted') = (observation_id IS NOT NULL)", name="accepted_observed"
        ),
        Index("ix_work_results_org_employee", "org_id", "employee_id", "id"),
        Index("ix_work_results_org_status", "org_id", "status", "id"),
    )

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    indicator: Mapped[str] = mapped_column(String(64), nullable=False)
    value: Mapped[float] = mapped_column(Float, nullable=False)
    achieved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="submitted")
    decided_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)
    observation_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
