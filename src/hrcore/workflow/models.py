"""Tasks, the actions the deadline sweep took on them, and organization policy defaults."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.delivery import DeliveryLogMixin
from hrcore.core.models import Base, Entity, IdMixin, OrgScopedMixin

TASK_STATUSES = ("open", "completed", "cancelled")
TASK_LINK = "task"
"""The type a task's deep link names (`core.links`): `hrcore://open/task/{id}` by default."""


class Task(Entity, OrgScopedMixin, Base):
    """A piece of work another domain assigns to an employee, with a deadline.

    `next_action_at` is when the deadline sweep must next look at the task (a reminder or an
    escalation becomes due); NULL when nothing more will happen. The sweep reads it through a
    partial index on open tasks, so its cost follows the work that is due, not the backlog.
    """

    __tablename__ = "tasks"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'completed', 'cancelled')", name="status"),
        Index(
            "ix_tasks_next_action",
            "org_id",
            "next_action_at",
            postgresql_where=text("status = 'open' AND next_action_at IS NOT NULL"),
        ),
        Index("ix_tasks_org_assignee_due", "org_id", "assignee_employee_id", "due_at", "id"),
        Index("ix_tasks_org_department_due", "org_id", "department_id", "due_at", "id"),
        Index("ix_tasks_org_subject", "org_id", "subject_type", "subject_id"),
        Index("ix_tasks_org_due", "org_id", "due_at", "id"),
    )

    subject_type: Mapped[str] = mapped_column(String(64), nullable=False)
    subject_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    kind: Mapped[str] = mapped_column(String(64), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    assignee_employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    department_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="RESTRICT"), nullable=False
    )
    """The assignee's department when the task was created: lists filter on it."""
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    on_time: Mapped[bool | None] = mapped_column(Boolean)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submission_required: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    confidential: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=false()
    )
    """Seen by the assignee and HR auditors only; no escalation text or webhook names it
    (a 360 peer's or subordinate's rating: who rates whom is itself confidential)."""
    submission: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    subject_employee_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    """The employee the task is about (the participant a supervisor evaluates, the
    appellant, the contract holder), named on the task; NULL when nobody in particular."""
    submission_rule: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    """What a submission needs (`kinds.Requirement`), fixed at creation; NULL on tasks that
    take none, and on tasks created before rules were stored (their kind's rule applies)."""
    completion_params: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    """Path parameters of the completing operation beyond the task and its subject (a
    decision stage's run and participant)."""
    policy: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    """The effective reminder and escalation policy, snapshotted at creation."""
    schedule: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    """Bumped on reschedule: reminder windows of a new due date are new windows."""
    handled_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """Every action window up to this instant has been dealt with by the sweep."""
    next_action_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TaskAction(IdMixin, OrgScopedMixin, Base):
    """One reminder or escalation sent. The unique key makes a repeated sweep harmless."""

    __tablename__ = "task_actions"
    __table_args__ = (UniqueConstraint("org_id", "task_id", "kind", "window"),)

    task_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    window: Mapped[str] = mapped_column(String(64), nullable=False)
    window_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    performed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    recipients: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class TaskPolicyDefaults(Entity, OrgScopedMixin, Base):
    """An organization's default reminder and escalation policy (absent: the seed numbers)."""

    __tablename__ = "task_policy_defaults"
    __table_args__ = (UniqueConstraint("org_id"),)

    reminder: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    escalation: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)


class TaskTodo(DeliveryLogMixin, Base):
    """A task's DingTalk to-do 「待办」 and its delivery log: what hrcore wants DingTalk to
    show (`wanted`: open, done, deleted) and what DingTalk shows as far as hrcore knows
    (`synced`: none before it exists). A change to the task sets `wanted` and re-opens the
    delivery (`pending`, attempts from zero); the worker brings `synced` to `wanted`.

    `todo_id` is DingTalk's id of the to-do (its `sourceId` is the task id), `union_id` the
    assignee's DingTalk union id, which the to-do API addresses people by.
    """

    __tablename__ = "task_todos"
    __table_args__ = (
        UniqueConstraint("org_id", "task_id"),
        UniqueConstraint("org_id", "todo_id"),
        CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
        CheckConstraint("wanted IN ('open', 'done', 'deleted')", name="wanted"),
        CheckConstraint("synced IN ('none', 'open', 'done', 'deleted')", name="synced"),
        Index("ix_task_todos_org_id_id", "org_id", "id"),
    )

    task_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False
    )
    dingtalk_user_id: Mapped[str] = mapped_column(String(64), nullable=False)
    union_id: Mapped[str | None] = mapped_column(String(64))
    todo_id: Mapped[str | None] = mapped_column(String(128))
    wanted: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    synced: Mapped[str] = mapped_column(String(16), nullable=False, default="none")
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """The due time DingTalk shows; a rescheduled task's to-do is moved to its new one."""
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
