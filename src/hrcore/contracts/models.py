"""Contracts, their amendments (versioned, one document per version), the organization's
amendment template, and the expiry alerts already raised."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, IdMixin, OrgScopedMixin

CONTRACT_KINDS = ("fixed_term", "open_ended", "internship", "part_time", "project_based")


class Contract(Entity, OrgScopedMixin, Base):
    """One labor contract. Terms change only through confirmed amendments; rows are never
    deleted, so an employee's contracts are their history."""

    __tablename__ = "contracts"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('fixed_term', 'open_ended', 'internship', 'part_time', 'project_based')",
            name="kind",
        ),
        CheckConstraint("status IN ('active', 'terminated')", name="status"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
        Index("ix_contracts_org_employee_start", "org_id", "employee_id", "start_date"),
        Index(
            "ix_contracts_org_active_end",
            "org_id",
            "end_date",
            "id",
            postgresql_where="status = 'active' AND end_date IS NOT NULL",
        ),
    )

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="RESTRICT"), nullable=False
    )
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="active")
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date)
    department_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="RESTRICT"), nullable=False
    )
    position_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("positions.id", ondelete="RESTRICT")
    )
    grade: Mapped[str | None] = mapped_column(String(32))
    allowance: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    work_location: Mapped[str] = mapped_column(String(200), nullable=False)
    pay_terms_ref: Mapped[str] = mapped_column(String(200), nullable=False)
    """A reference to the pay terms (a salary band or pay scheme id); amounts live in payroll."""
    renewed_from_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("contracts.id", ondelete="RESTRICT")
    )


class Amendment(Entity, OrgScopedMixin, Base):
    """A change of a contract's terms. `current_version` is the one the employee may confirm;
    earlier versions are superseded."""

    __tablename__ = "contract_amendments"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'confirmed', 'withdrawn')", name="status"),
        CheckConstraint("source IN ('event', 'manual', 'early_end')", name="source"),
        Index(
            "ix_contract_amendments_org_drafted_event",
            "org_id",
            "event_id",
            unique=True,
            postgresql_where=text("source = 'event'"),
        ),
        Index("ix_contract_amendments_org_event", "org_id", "event_id"),
        Index("ix_contract_amendments_org_contract", "org_id", "contract_id", "id"),
        Index("ix_contract_amendments_org_employee", "org_id", "employee_id", "id"),
    )

    contract_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("contracts.id", ondelete="RESTRICT"), nullable=False
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="RESTRICT"), nullable=False
    )
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    event_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employment_events.id", ondelete="RESTRICT")
    )
    """The employment event it was drafted from: one `event` amendment per event, so a
    repeated job drafts once; `early_end` amendments restate a confirmed one's post with the
    real end and name the same event."""
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    current_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    confirm_task_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="RESTRICT")
    )
    confirmed_version: Mapped[int | None] = mapped_column(Integer)
    confirmed_sha256: Mapped[str | None] = mapped_column(String(64))
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When the confirmed terms reached the contract: on confirmation, or on the effective
    date when that was still ahead (the daily job)."""
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When its temporary post was withdrawn before it began: a draft is withdrawn with it; a
    confirmed one stays as signed, is not applied, and HR settles it with the employee."""
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)
    withdrawal_task_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    """HR's task to settle a confirmed amendment whose post was withdrawn."""


class AmendmentVersion(IdMixin, OrgScopedMixin, Base):
    """The changed terms as of one version, and that version's document."""

    __tablename__ = "contract_amendment_versions"
    __table_args__ = (
        UniqueConstraint("org_id", "amendment_id", "number"),
        CheckConstraint(
            "document_status IN ('pending', 'ready', 'failed')", name="document_status"
        ),
        CheckConstraint("end_date IS NULL OR end_date >= effective_date", name="dates"),
    )

    amendment_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("contract_amendments.id", ondelete="CASCADE"),
        nullable=False,
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    effective_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date)
    """For a temporary post: when the changed terms end."""
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    """[{field, before, after}] as shown to people (names, not ids)."""
    terms: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    """The contract's terms once confirmed (ids and values), applied on confirmation."""
    base_terms: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    """The contract's terms the changes were computed against: confirming is refused once
    the contract has moved on (another amendment confirmed meanwhile)."""
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    document_status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    document_error: Mapped[str | None] = mapped_column(Text)
    document_key: Mapped[str | None] = mapped_column(String(300))
    document_sha256: Mapped[str | None] = mapped_column(String(64))
    document_size: Mapped[int | None] = mapped_column(Integer)
    generated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AmendmentTemplate(Entity, OrgScopedMixin, Base):
    """The organization's own amendment template (absent: the built-in one)."""

    __tablename__ = "contract_amendment_templates"
    __table_args__ = (UniqueConstraint("org_id"),)

    body: Mapped[str] = mapped_column(Text, nullable=False)


class ExpiryAlert(IdMixin, OrgScopedMixin, Base):
    """HR was asked about this contract ending on this date: the unique key makes the daily
    watch idempotent, and a new end date (extension) is a new alert."""

    __tablename__ = "contract_expiry_alerts"
    __table_args__ = (UniqueConstraint("org_id", "contract_id", "end_date"),)

    contract_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("contracts.id", ondelete="CASCADE"), nullable=False
    )
    end_date: Mapped[date] = mapped_column(Date, nullable=False)
    task_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
