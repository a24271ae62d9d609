"""Exports built by the worker: a list's rows, in the requester's scope and language, stored
as one CSV or XLSX file that only the requester downloads, until it expires."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, OrgScopedMixin


class SpreadsheetExport(Entity, OrgScopedMixin, Base):
    """One requested export: pending until the worker stored its file, then ready until
    `expires_at`; the file goes when it expires. `filters` are the list's, as resolved
    when it was asked for (a default window is fixed then)."""

    __tablename__ = "spreadsheet_exports"
    __table_args__ = (
        Index("ix_spreadsheet_exports_requester", "org_id", "requested_by", "requested_at"),
        Index("ix_spreadsheet_exports_expires_at", "org_id", "expires_at"),
        CheckConstraint("status IN ('pending', 'ready', 'failed', 'expired')", name="status_known"),
        CheckConstraint("format IN ('csv', 'xlsx')", name="format_known"),
    )

    requested_by: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    filters: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    format: Mapped[str] = mapped_column(String(8), nullable=False)
    locale: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    ready_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    file_key: Mapped[str | None] = mapped_column(String(300))
    size: Mapped[int | None] = mapped_column(Integer)
    rows: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
