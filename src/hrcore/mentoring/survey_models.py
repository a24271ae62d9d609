"""The survey a logged session asks of its mentee: one request per session, naming the
workflow task that answering completes (so the listener of `SESSION_LOGGED` is idempotent
and answering finds its task without searching)."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Index
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, OrgScopedMixin


class MentoringSurveyRequest(Entity, OrgScopedMixin, Base):
    """The mentee was asked about `session_id` through the task `task_id`."""

    __tablename__ = "mentoring_survey_requests"
    __table_args__ = (
        Index("uq_mentoring_survey_requests_session", "org_id", "session_id", unique=True),
        Index("ix_mentoring_survey_requests_mentorship", "org_id", "mentorship_id"),
    )

    mentorship_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentorships.id", ondelete="CASCADE"), nullable=False
    )
    session_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentoring_sessions.id", ondelete="CASCADE"), nullable=False
    )
    task_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tasks.id", ondelete="SET NULL")
    )
