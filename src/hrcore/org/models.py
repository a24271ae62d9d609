"""Departments (a tree), positions, and co-edited position descriptions."""

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
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, IdMixin, OrgScopedMixin


class Department(Entity, OrgScopedMixin, Base):
    """`path` is the chain of ids from the root, `/a/b/c/`: a subtree is a prefix match."""

    __tablename__ = "departments"
    __table_args__ = (
        UniqueConstraint("org_id", "code"),
        UniqueConstraint("org_id", "dingtalk_dept_id"),
        Index(
            "ix_departments_org_path",
            "org_id",
            "path",
            postgresql_ops={"path": "text_pattern_ops"},
        ),
        Index("ix_departments_org_parent", "org_id", "parent_id"),
    )

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    code: Mapped[str] = mapped_column(String(64), nullable=False)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="RESTRICT")
    )
    path: Mapped[str] = mapped_column(Text, nullable=False)
    dingtalk_dept_id: Mapped[str | None] = mapped_column(String(64))
    """The department's id in DingTalk, for directory sync."""


class Position(Entity, OrgScopedMixin, Base):
    __tablename__ = "positions"
    __table_args__ = (
        UniqueConstraint("org_id", "code"),
        Index("ix_positions_org_department", "org_id", "department_id"),
    )

    code: Mapped[str] = mapped_column(String(64), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    department_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="RESTRICT"), nullable=False
    )
    grade: Mapped[str] = mapped_column(String(32), nullable=False)
    is_management: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    family: Mapped[str | None] = mapped_column(String(100))
    """The job family ("sales management"): talent pools may target a family, not one post."""
    description: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    description_revision: Mapped[int] = mapped_column(nullable=False, default=0)


class PromotionPath(OrgScopedMixin, Base):
    """Position → a position it leads to."""

    __tablename__ = "position_promotion_paths"
    __table_args__ = (Index("ix_position_promotion_paths_org_id", "org_id"),)

    from_position_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True
    )
    to_position_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True
    )


class DescriptionDraft(Entity, OrgScopedMixin, Base):
    """A proposed job description; the other side (HR vs department) approves it."""

    __tablename__ = "position_description_drafts"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'approved', 'superseded')", name="status"),
        CheckConstraint("author_side IN ('hr', 'department')", name="author_side"),
        Index("ix_position_description_drafts_org_position", "org_id", "position_id", "id"),
    )

    position_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("positions.id", ondelete="CASCADE"), nullable=False
    )
    author_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    author_side: Mapped[str] = mapped_column(String(16), nullable=False)
    content: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    approved_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT")
    )
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DraftComment(IdMixin, OrgScopedMixin, Base):
    __tablename__ = "position_description_comments"
    __table_args__ = (
        Index("ix_position_description_comments_org_draft", "org_id", "draft_id", "id"),
    )

    draft_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("position_description_drafts.id", ondelete="CASCADE"),
        nullable=False,
    )
    author_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    body: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
