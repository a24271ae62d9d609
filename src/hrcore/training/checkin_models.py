"""The xAPI statements training has applied: one row per statement id, so a statement an LMS
sends again (a retry, a replayed queue) is answered as a duplicate and applied once."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, IdMixin, OrgScopedMixin


class XapiStatement(IdMixin, OrgScopedMixin, Base):
    """An applied xAPI statement: its own `statement_id` (unique in the organization), the
    verb and the enrolment it changed."""

    __tablename__ = "training_xapi_statements"
    __table_args__ = (
        Index("uq_training_xapi_statements_statement", "org_id", "statement_id", unique=True),
    )

    statement_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    verb: Mapped[str] = mapped_column(String(16), nullable=False)
    enrolment_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("training_enrolments.id", ondelete="CASCADE"), nullable=False
    )
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
