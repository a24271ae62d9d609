"""Approval chains (a revisioned template per kind), running approvals and each approver's
part in a step."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    or_,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from hrcore.core.i18n import N_
from hrcore.core.models import Base, Entity, OrgScopedMixin
from hrcore.core.templates import RevisionedTemplate, TemplateKind


class ApprovalChain(RevisionedTemplate, Base):
    """Who approves one kind in an organization, step by step (one chain per kind)."""

    __tablename__ = "approval_chains"

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:  # noqa: N805
        return (
            UniqueConstraint("org_id", "name"),
            UniqueConstraint("org_id", "kind"),
            Index("ix_approval_chains_org_id_id", "org_id", "id"),
        )

    kind: Mapped[str] = mapped_column(String(64), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)


APPROVAL_CHAINS = TemplateKind(ApprovalChain, "approval_chain", N_("approval chain"))


class Approval(Entity, OrgScopedMixin, Base):
    """One thing to approve, on the chain revision it was submitted under (`steps` is that
    revision's copy); `resolved` holds each step as it resolved when reached."""

    __tablename__ = "approvals"
    __table_args__ = (
        Index("ix_approvals_org_requester", "org_id", "requester_employee_id"),
        Index("ix_approvals_org_id_id", "org_id", "id"),
        Index("ix_approvals_org_subject", "org_id", "subject_id"),
        CheckConstraint(
            "num_nonnulls(requester_employee_id, requester_user_id) = 1", name="requester"
        ),
    )

    kind: Mapped[str] = mapped_column(String(64), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    subject_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    subject_employee_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE")
    )
    """The employee it is about; None for a subject that is no person (a position)."""
    requester_employee_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE")
    )
    requester_user_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT")
    )
    """The requesting account, for one without an employee record (else the employee)."""
    facts: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    chain_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("approval_chains.id", ondelete="SET NULL")
    )
    chain_revision: Mapped[int | None] = mapped_column(Integer)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    resolved: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    current_step: Mapped[int | None] = mapped_column(Integer)
    round: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    """1, then one more each time the requester resubmits it after a return."""
    fallback: Mapped[bool] = mapped_column(nullable=False, default=False)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApprovalAssignment(Entity, OrgScopedMixin, Base):
    """One approver (an employee, or an account without one) on one step: `pending` until
    they approve, reject, return or delegate, or the step closes without them
    (`cancelled`)."""

    __tablename__ = "approval_assignments"
    __table_args__ = (
        Index("ix_approval_assignments_org_approval", "org_id", "approval_id"),
        Index("ix_approval_assignments_org_employee", "org_id", "employee_id", "status"),
        Index("ix_approval_assignments_org_user", "org_id", "user_id", "status"),
        CheckConstraint("num_nonnulls(employee_id, user_id) = 1", name="approver"),
    )

    approval_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("approvals.id", ondelete="CASCADE"), nullable=False
    )
    step: Mapped[int] = mapped_column(Integer, nullable=False)
    round: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    employee_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE")
    )
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT")
    )
    """The approver's account, for one without an employee record (an HR admin who has
    only an account): told in the inbox, as workflow's tasks go to employees."""
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    comment: Mapped[str | None] = mapped_column(Text)
    task_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    delegated_to_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


def parts_of(employee_id: uuid.UUID | None, user_id: uuid.UUID | None) -> ColumnElement[bool]:
    """The assignments of an employee or of their account (nothing for neither)."""
    found: list[ColumnElement[bool]] = []
    if employee_id is not None:
        found.append(ApprovalAssignment.employee_id == employee_id)
    if user_id is not None:
        found.append(ApprovalAssignment.user_id == user_id)
    return or_(*found) if found else false()


def requested_by(employee_id: uuid.UUID | None, user_id: uuid.UUID | None) -> ColumnElement[bool]:
    found: list[ColumnElement[bool]] = []
    if employee_id is not None:
        found.append(Approval.requester_employee_id == employee_id)
    if user_id is not None:
        found.append(Approval.requester_user_id == user_id)
    return or_(*found) if found else false()
