"""Legal holds: a person whose data no retention rule may purge while the hold stands — a
dispute, an investigation, a court order (docs/privacy.md, "Retention and legal holds").
Released holds are kept, with who released them and when, as the record of the hold."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, OrgScopedMixin


class LegalHold(Entity, OrgScopedMixin, Base):
    __tablename__ = "legal_holds"
    __table_args__ = (
        Index("ix_legal_holds_org_id_id", "org_id", "id"),
        Index(
            "ix_legal_holds_org_id_active_employee",
            "org_id",
            "employee_id",
            postgresql_where=text("released_at IS NULL"),
        ),
    )

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="RESTRICT"), nullable=False
    )
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    case_reference: Mapped[str | None] = mapped_column(String(100))
    placed_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    released_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    released_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
