"""One row per uploaded file; its bytes are in the document storage under `storage_key`."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, IdMixin, OrgScopedMixin


class StoredFile(IdMixin, OrgScopedMixin, Base):
    """An upload and the one object that references it (`subject_type`, `subject_id`: a
    task, a review assignment), None until a submission or an answer names it. One subject
    per file, so who may read it follows from that subject alone."""

    __tablename__ = "files"
    __table_args__ = (
        Index("ix_files_org_id_subject", "org_id", "subject_type", "subject_id"),
        Index(
            "ix_files_org_id_unreferenced",
            "org_id",
            "uploaded_at",
            postgresql_where=text("subject_id IS NULL"),
        ),
    )

    file_name: Mapped[str] = mapped_column(String(200), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(300), nullable=False)
    uploaded_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    employee_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="SET NULL")
    )
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    subject_type: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
