"""Privacy requests 「个人信息权利请求」: a person asks to correct, delete, copy their personal
information or objects to its processing (PIPL Art. 44–47, 50); HR answers within the
organization's legal deadline in working days (`PrivacyPolicy`, 15 by default)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, OrgScopedMixin

DEFAULT_DEADLINE_DAYS = 15
"""Working days HR has to answer a request unless the organization sets its own."""
DEFAULT_EXPORT_LINK_DAYS = 7
"""Days an export stays downloadable unless the organization sets its own."""


class PrivacyRequest(Entity, OrgScopedMixin, Base):
    """One request of a person about their own data, tracked to closure."""

    __tablename__ = "privacy_requests"
    __table_args__ = (
        Index("ix_privacy_requests_org_id_employee_id", "org_id", "employee_id", "created_at"),
        Index("ix_privacy_requests_org_id_created_at", "org_id", "created_at"),
        CheckConstraint("kind IN ('correct', 'delete', 'copy', 'object')", name="kind_known"),
        CheckConstraint("status IN ('open', 'done', 'refused')", name="status_known"),
        CheckConstraint("status <> 'refused' OR length(resolution) > 0", name="refusal_has_reason"),
    )

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    requested_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    task_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PrivacyPolicy(Entity, OrgScopedMixin, Base):
    """The organization's own deadlines; absent: the defaults."""

    __tablename__ = "privacy_policies"
    __table_args__ = (Index("uq_privacy_policies_org_id", "org_id", unique=True),)

    request_deadline_days: Mapped[int] = mapped_column(Integer, nullable=False)
    export_link_days: Mapped[int] = mapped_column(Integer, nullable=False)
