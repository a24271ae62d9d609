"""Continuous feedback: 1:1 check-ins 「一对一面谈」 between a manager and a direct report
(shared notes both read, each participant's private note only its author reads, action items
that are workflow tasks) and feedback / praise 「反馈 / 表扬」 between colleagues."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, IdMixin, OrgScopedMixin


class CheckIn(Entity, OrgScopedMixin, Base):
    """A 1:1 between `manager_id` and `report_id` (the report's direct manager when it was
    scheduled: the row keeps both, so a later move changes nobody's access to it)."""

    __tablename__ = "check_ins"
    __table_args__ = (
        Index("ix_check_ins_manager", "org_id", "manager_id", "scheduled_at"),
        Index("ix_check_ins_report", "org_id", "report_id", "scheduled_at"),
        CheckConstraint("status IN ('scheduled', 'held', 'cancelled')", name="status"),
        CheckConstraint("manager_id <> report_id", name="two_people"),
    )

    manager_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    report_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    scheduled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    agenda: Mapped[list[str]] = mapped_column(JSONB, nullable=False, default=list)
    shared_notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)


class CheckInPrivateNote(IdMixin, OrgScopedMixin, Base):
    """One participant's own note on a check-in: read by its author only (not the other
    participant, not another manager, not HR: minimum necessary)."""

    __tablename__ = "check_in_private_notes"
    __table_args__ = (UniqueConstraint("org_id", "check_in_id", "author_id"),)

    check_in_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("check_ins.id", ondelete="CASCADE"), nullable=False
    )
    author_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    text: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class CheckInActionItem(IdMixin, OrgScopedMixin, Base):
    """What a check-in agreed someone does by a day: a workflow task (reminders, escalation);
    its state is the task's."""

    __tablename__ = "check_in_action_items"
    __table_args__ = (Index("ix_check_in_action_items_check_in", "org_id", "check_in_id"),)

    check_in_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("check_ins.id", ondelete="CASCADE"), nullable=False
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    assignee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    task_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class Feedback(IdMixin, OrgScopedMixin, Base):
    """Praise or a suggestion from one colleague to another, seen as its giver chose:
    `private` (the receiver), `manager` (and the receiver's manager) or `public` (whoever may
    see the receiver). Never changed once given."""

    __tablename__ = "feedback"
    __table_args__ = (
        Index("ix_feedback_receiver", "org_id", "receiver_id", "created_at"),
        Index("ix_feedback_giver", "org_id", "giver_id", "created_at"),
        CheckConstraint("kind IN ('praise', 'suggestion')", name="kind"),
        CheckConstraint("visibility IN ('private', 'manager', 'public')", name="visibility"),
        CheckConstraint("giver_id <> receiver_id", name="two_people"),
    )

    giver_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    receiver_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    competency_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("competencies.id", ondelete="SET NULL")
    )
    indicator: Mapped[str | None] = mapped_column(String(64))
    visibility: Mapped[str] = mapped_column(String(16), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
