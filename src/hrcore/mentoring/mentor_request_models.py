"""An employee's request for a mentor in a program: open until HR or the employee's manager
or department head pairs them (`paired`, naming the pairing) or declines it with a reason.
The program's mentor suggestions are stored as found when the request was made."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, OrgScopedMixin


class MentorRequestStatus(StrEnum):
    OPEN = "open"
    PAIRED = "paired"
    DECLINED = "declined"


class MentorRequest(Entity, OrgScopedMixin, Base):
    """One open request per employee and program (the partial unique index backs it)."""

    __tablename__ = "mentor_requests"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'paired', 'declined')", name="status_known"),
        Index("ix_mentor_requests_org_id_id", "org_id", "id"),
        Index("ix_mentor_requests_org_id_employee", "org_id", "employee_id"),
        Index(
            "uq_mentor_requests_open",
            "org_id",
            "program_id",
            "employee_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
    )

    program_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentoring_programs.id", ondelete="CASCADE"), nullable=False
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    suggestions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    mentorship_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentorships.id", ondelete="SET NULL")
    )
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
