"""The periodic survey a running pairing's mentee is asked every N months: one row per
pairing and period (the unique index makes the cron idempotent), naming the task answering
completes."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Index, Integer
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, OrgScopedMixin


class MentoringPeriodicSurvey(Entity, OrgScopedMixin, Base):
    """The mentee of `mentorship_id` was asked for period `period` (1: the first N months)
    through the task `task_id`."""

    __tablename__ = "mentoring_periodic_surveys"
    __table_args__ = (
        Index(
            "uq_mentoring_periodic_surveys_period", "org_id", "mentorship_id", "period", unique=True
        ),
    )

    mentorship_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentorships.id", ondelete="CASCADE"), nullable=False
    )
    period: Mapped[int] = mapped_column(Integer, nullable=False)
    task_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tasks.id", ondelete="SET NULL")
    )
