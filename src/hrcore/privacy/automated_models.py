"""Objections to automated evaluations (PIPL Art. 24): what the person saw, what they said,
and the human review's outcome."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, OrgScopedMixin


class ObjectionStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    """The human review confirmed the automated result."""
    CHANGED = "changed"
    """The human review came to another result than the machine's."""


class AutomatedEvaluationObjection(Entity, OrgScopedMixin, Base):
    """One objection to one automated evaluation of the employee, with the evaluation as the
    person read it when objecting (`snapshot`): evaluations are computed when read and move
    with their facts, so the reviewer judges what was objected to. At most one open
    objection per evaluation (the partial unique index)."""

    __tablename__ = "automated_evaluation_objections"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'upheld', 'changed')", name="status"),
        Index(
            "ix_automated_evaluation_objections_org_employee",
            "org_id",
            "employee_id",
            "evaluation_id",
            "created_at",
        ),
        Index(
            "uq_automated_evaluation_objections_open",
            "org_id",
            "employee_id",
            "evaluation_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
    )

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    evaluation_id: Mapped[str] = mapped_column(String(120), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    task_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    """HR's review task; null when the organization has no HR admin with an employee record
    (HR is then told in the inbox only)."""
    reason: Mapped[str | None] = mapped_column(Text)
    """Why the reviewer upheld or changed the result."""
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
