"""The talent review meeting 「人才盘点」: a session over a population (a department subtree
or a talent pool), each participant's 9-box placement (proposed from talent's, then moved by
leaders), every move kept with its reason, and the session's report PDFs. Unlike the
figures' facts these are records of their own."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, IdMixin, OrgScopedMixin, TimestampMixin

LEVELS_CHECK = "IN ('low', 'medium', 'high')"


class TalentReviewSession(Entity, OrgScopedMixin, Base):
    """One meeting: open while leaders move people, closed once its outcome is written to
    talent. `revision` counts its changes (moves, the close): a report is of one revision."""

    __tablename__ = "talent_review_sessions"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        CheckConstraint("(department_id IS NULL) <> (pool_id IS NULL)", name="population"),
        Index("ix_talent_review_sessions_org_id", "org_id", "id"),
    )

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="CASCADE")
    )
    pool_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("talent_pools.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(8), nullable=False, default="open")
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    opened_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    closed_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TalentReviewPlacement(IdMixin, OrgScopedMixin, Base):
    """A participant's box in a session: what talent's 9-box proposed (null: never placed)
    and where the leaders put them (null: not placed yet). `department_id` is where they
    worked when the session opened: department heads move the people of their subtree."""

    __tablename__ = "talent_review_placements"
    __table_args__ = (
        UniqueConstraint("session_id", "employee_id"),
        CheckConstraint(f"performance {LEVELS_CHECK}", name="performance"),
        CheckConstraint(f"potential {LEVELS_CHECK}", name="potential"),
        Index("ix_talent_review_placements_org_session", "org_id", "session_id", "id"),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("talent_review_sessions.id", ondelete="CASCADE"),
        nullable=False,
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="SET NULL")
    )
    proposed_performance: Mapped[str | None] = mapped_column(String(8))
    proposed_potential: Mapped[str | None] = mapped_column(String(8))
    performance: Mapped[str | None] = mapped_column(String(8))
    potential: Mapped[str | None] = mapped_column(String(8))


class TalentReviewMove(IdMixin, OrgScopedMixin, Base):
    """One move of a participant, before → after, with who moved them and why."""

    __tablename__ = "talent_review_moves"
    __table_args__ = (
        CheckConstraint(f"to_performance {LEVELS_CHECK}", name="to_performance"),
        CheckConstraint(f"to_potential {LEVELS_CHECK}", name="to_potential"),
        Index("ix_talent_review_moves_org_session", "org_id", "session_id", "moved_at", "id"),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("talent_review_sessions.id", ondelete="CASCADE"),
        nullable=False,
    )
    placement_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("talent_review_placements.id", ondelete="CASCADE"),
        nullable=False,
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    from_performance: Mapped[str | None] = mapped_column(String(8))
    from_potential: Mapped[str | None] = mapped_column(String(8))
    to_performance: Mapped[str] = mapped_column(String(8), nullable=False)
    to_potential: Mapped[str] = mapped_column(String(8), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    moved_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    moved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class TalentReviewReport(IdMixin, TimestampMixin, OrgScopedMixin, Base):
    """A session's report PDF of one revision in one language, rendered by the worker from
    `content` (the session as it stood when asked for)."""

    __tablename__ = "talent_review_reports"
    __table_args__ = (
        UniqueConstraint("session_id", "locale", "revision"),
        CheckConstraint("status IN ('pending', 'ready', 'failed')", name="status"),
        Index("ix_talent_review_reports_org_session", "org_id", "session_id"),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("talent_review_sessions.id", ondelete="CASCADE"),
        nullable=False,
    )
    locale: Mapped[str] = mapped_column(String(10), nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    content: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    error: Mapped[str | None] = mapped_column(Text)
    storage_key: Mapped[str | None] = mapped_column(String(300))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    generated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
