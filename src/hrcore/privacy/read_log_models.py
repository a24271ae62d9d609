"""The read-access log: one row per read of a person's sensitive or evaluation data by
someone else (docs/privacy.md, "Read-access log"). Append-only for the application role (the
migration revokes UPDATE and DELETE); ids are kept bare, without foreign keys, so an entry
outlives the account, key or employee it names."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, Index, String, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, IdMixin, OrgScopedMixin


class ReadAccessEvent(IdMixin, OrgScopedMixin, Base):
    """Who (`actor_kind`, `actor_id`) read what (`data_class`, `what`) of whom
    (`subject_employee_id`), when, through which operation and for which stated purpose."""

    __tablename__ = "read_access_events"
    __table_args__ = (
        CheckConstraint("actor_kind IN ('user', 'api_key')", name="actor_kind_known"),
        CheckConstraint(
            "data_class IN ('basic', 'contact', 'sensitive', 'evaluation')",
            name="data_class_known",
        ),
        Index("ix_read_access_events_org_time", "org_id", "occurred_at", "id"),
        Index(
            "ix_read_access_events_org_subject",
            "org_id",
            "subject_employee_id",
            "occurred_at",
            "id",
        ),
        Index("ix_read_access_events_org_actor", "org_id", "actor_id", "occurred_at", "id"),
    )

    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    actor_kind: Mapped[str] = mapped_column(String(16), nullable=False)
    actor_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    subject_employee_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    data_class: Mapped[str] = mapped_column(String(16), nullable=False)
    what: Mapped[str] = mapped_column(String(100), nullable=False)
    operation: Mapped[str] = mapped_column(String(200), nullable=False)
    purpose: Mapped[str | None] = mapped_column(String(200))
    masked: Mapped[bool] = mapped_column(Boolean, nullable=False)
    request_id: Mapped[str | None] = mapped_column(String(128))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
