"""Own-data exports 「我的数据」: everything hrcore holds about the person who asked, built by
the worker as JSON and a readable PDF, downloadable by that person until it expires (PIPL
Art. 45)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, OrgScopedMixin


class DataExport(Entity, OrgScopedMixin, Base):
    """One export: pending until the worker stored both files, then ready until
    `expires_at`; the files go when it expires."""

    __tablename__ = "data_exports"
    __table_args__ = (
        Index("ix_data_exports_org_id_employee_id", "org_id", "employee_id", "requested_at"),
        Index("ix_data_exports_org_id_expires_at", "org_id", "expires_at"),
        CheckConstraint("status IN ('pending', 'ready', 'failed', 'expired')", name="status_known"),
    )

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    requested_by: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    locale: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    ready_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    json_key: Mapped[str | None] = mapped_column(String(300))
    pdf_key: Mapped[str | None] = mapped_column(String(300))
    json_size: Mapped[int | None] = mapped_column(Integer)
    pdf_size: Mapped[int | None] = mapped_column(Integer)
    sections: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
