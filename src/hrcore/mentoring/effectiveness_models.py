"""Stored effectiveness: per pairing (what its mentee gained) and per mentor (the weighted
score over their pairings, explained). Both are rewritten whole for the mentors a
recompute covers, in the worker; readers never compute."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, OrgScopedMixin


class PairingEffectiveness(OrgScopedMixin, Base):
    """What one pairing achieved: the mentee's rating before it and the latest since
    (`performance_gain` in %), the first and last skill-test score (`skill_gain` in %), the
    plan's measurable goals reached, a promotion within the configured months, and whether
    the mentee is a high performer now. No survey figure: one pairing has one mentee, so
    its answers are only shown pooled over a mentor's mentees (anonymity)."""

    __tablename__ = "mentorship_effectiveness"
    __table_args__ = (
        PrimaryKeyConstraint("org_id", "mentorship_id"),
        Index("ix_mentorship_effectiveness_mentor", "org_id", "mentor_id"),
        Index("ix_mentorship_effectiveness_mentor_employee", "org_id", "mentor_employee_id"),
    )

    mentorship_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentorships.id", ondelete="CASCADE"), nullable=False
    )
    mentor_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentors.id", ondelete="CASCADE"), nullable=False
    )
    mentor_employee_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    completed: Mapped[bool] = mapped_column(Boolean, nullable=False)
    rating_before: Mapped[float | None] = mapped_column(Float)
    rating_latest: Mapped[float | None] = mapped_column(Float)
    performance_gain: Mapped[float | None] = mapped_column(Float)
    skill_first: Mapped[float | None] = mapped_column(Float)
    skill_last: Mapped[float | None] = mapped_column(Float)
    skill_gain: Mapped[float | None] = mapped_column(Float)
    goals_total: Mapped[int] = mapped_column(Integer, nullable=False)
    goals_reached: Mapped[int] = mapped_column(Integer, nullable=False)
    goals: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    promoted: Mapped[bool] = mapped_column(Boolean, nullable=False)
    high_performer: Mapped[bool | None] = mapped_column(Boolean)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class MentorEffectiveness(OrgScopedMixin, Base):
    """A mentor's score (0–100, `None` with nothing to score yet) and its `parts`: per part
    the value found, its 0–100 score, weight, contribution and what it came from."""

    __tablename__ = "mentor_effectiveness"
    __table_args__ = (PrimaryKeyConstraint("org_id", "mentor_id"),)

    mentor_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mentors.id", ondelete="CASCADE"), nullable=False
    )
    score: Mapped[float | None] = mapped_column(Float)
    pairings: Mapped[int] = mapped_column(Integer, nullable=False)
    parts: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
