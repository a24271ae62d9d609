"""Talent pools, their members and 9-box placements; vacancies and appointments to them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, IdMixin, OrgScopedMixin


class MemberStatus(StrEnum):
    NOMINATED = "nominated"
    ACTIVE = "active"
    GRADUATED = "graduated"
    APPOINTED = "appointed"
    REMOVED = "removed"
    REJECTED = "rejected"
    LEFT = "left"


class Readiness(StrEnum):
    READY_NOW = "ready_now"
    ONE_TO_TWO_YEARS = "one_to_two_years"
    THREE_PLUS_YEARS = "three_plus_years"


class NominationSource(StrEnum):
    HR = "hr"
    DEPT_HEAD = "dept_head"
    SELF = "self"


class TalentPool(Entity, OrgScopedMixin, Base):
    """A reserve for a target position or position family, with its screening rules.

    `rules` are structured criteria (see `talent.schemas.Rule`), never code: the screen
    evaluates them in SQL.
    """

    __tablename__ = "talent_pools"
    __table_args__ = (
        UniqueConstraint("org_id", "name"),
        Index("ix_talent_pools_org_id_id", "org_id", "id"),
    )

    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    target_position_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("positions.id", ondelete="SET NULL")
    )
    target_family: Mapped[str | None] = mapped_column(String(100))
    rules: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False, default=list)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class TalentPoolMember(Entity, OrgScopedMixin, Base):
    """One employee's membership of one pool; a removed member nominated again reuses it."""

    __tablename__ = "talent_pool_members"
    __table_args__ = (
        UniqueConstraint("org_id", "pool_id", "employee_id"),
        CheckConstraint(
            "status IN ('nominated', 'active', 'graduated', 'appointed', 'removed', 'rejected', "
            "'left')",
            name="status",
        ),
        CheckConstraint(
            "readiness IS NULL OR readiness IN "
            "('ready_now', 'one_to_two_years', 'three_plus_years')",
            name="readiness",
        ),
        CheckConstraint("source IN ('hr', 'dept_head', 'self')", name="source"),
        Index("ix_talent_pool_members_org_pool_id", "org_id", "pool_id", "id"),
        Index("ix_talent_pool_members_org_employee", "org_id", "employee_id"),
    )

    pool_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("talent_pools.id", ondelete="CASCADE"), nullable=False
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    readiness: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    nominated_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    nominated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    activated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_reason: Mapped[str | None] = mapped_column(Text)
    """Why the membership ended when the system ended it (an appointment)."""
    decided_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    """Who approved or rejected the current nomination (null until decided)."""
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_reason: Mapped[str | None] = mapped_column(Text)


class NineBoxPlacement(IdMixin, OrgScopedMixin, Base):
    """A member's place on the 9-box (performance × potential); every placement is kept."""

    __tablename__ = "nine_box_placements"
    __table_args__ = (
        CheckConstraint("performance IN ('low', 'medium', 'high')", name="performance"),
        CheckConstraint("potential IN ('low', 'medium', 'high')", name="potential"),
        Index("ix_nine_box_placements_org_member", "org_id", "member_id", "placed_at"),
    )

    member_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("talent_pool_members.id", ondelete="CASCADE"),
        nullable=False,
    )
    performance: Mapped[str] = mapped_column(String(8), nullable=False)
    potential: Mapped[str] = mapped_column(String(8), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    placed_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    placed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )


class ChangeSource(StrEnum):
    """Who made a membership change: the nominator's role, HR, a program's decision, the
    system (the employee left), or an approval's decision (its chain ended)."""

    HR = "hr"
    DEPT_HEAD = "dept_head"
    SELF = "self"
    PROGRAM = "program"
    SYSTEM = "system"
    APPROVAL = "approval"


class MemberChange(IdMixin, OrgScopedMixin, Base):
    """One change of a membership's status, readiness or 9-box placement, written by the use
    case that makes it: the member's own history, readable where the member is (the audit
    log is HR's). `nine_box_placements` still holds the placements the grid and ranking read."""

    __tablename__ = "talent_member_changes"
    __table_args__ = (
        CheckConstraint("kind IN ('status', 'readiness', 'placement')", name="kind"),
        CheckConstraint(
            "source IN ('hr', 'dept_head', 'self', 'program', 'system', 'approval')",
            name="source",
        ),
        Index("ix_talent_member_changes_org_member", "org_id", "member_id", "changed_at", "id"),
    )

    member_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("talent_pool_members.id", ondelete="CASCADE"),
        nullable=False,
    )
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str | None] = mapped_column(String(16))
    readiness: Mapped[str | None] = mapped_column(String(20))
    """The new readiness (kind `readiness`); null when a new nomination cleared it."""
    performance: Mapped[str | None] = mapped_column(String(8))
    potential: Mapped[str | None] = mapped_column(String(8))
    reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    changed_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


OVERRIDE_APPROVAL = "talent.appointment_override"
"""The approval kind of an appointment that overrides eligibility: appointment submits it,
cancelling the vacancy withdraws it."""


class VacancyStatus(StrEnum):
    OPEN = "open"
    FILLED = "filled"
    CANCELLED = "cancelled"


class VacancyReason(StrEnum):
    MANUAL = "manual"
    HOLDER_LEFT = "holder_left"
    HOLDER_PROMOTED = "holder_promoted"


class Vacancy(Entity, OrgScopedMixin, Base):
    """An open seat on a position. At most one vacancy per position is open at a time (the
    partial unique index), so the automatic path can insert with ON CONFLICT DO NOTHING."""

    __tablename__ = "vacancies"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'filled', 'cancelled')", name="status"),
        CheckConstraint("reason IN ('manual', 'holder_left', 'holder_promoted')", name="reason"),
        CheckConstraint(
            "(competition_rules IS NULL) = (competition_closes_at IS NULL)"
            " AND (competition_rules IS NULL) = (competition_opened_at IS NULL)",
            name="competition",
        ),
        UniqueConstraint("org_id", "source_event_id"),
        Index("ix_vacancies_org_id_id", "org_id", "id"),
        Index(
            "uq_vacancies_open_position",
            "org_id",
            "position_id",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
    )

    position_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("positions.id", ondelete="CASCADE"), nullable=False
    )
    department_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="RESTRICT"), nullable=False
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    reason: Mapped[str] = mapped_column(String(16), nullable=False)
    note: Mapped[str | None] = mapped_column(Text)
    vacated_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="SET NULL")
    )
    """The holder whose exit or promotion opened the vacancy (automatic path)."""
    source_event_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    """The employment event that opened it: a repeated job opens nothing twice."""
    opened_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    """Why HR cancelled it (the post abolished, opened by mistake)."""
    pending_appointment: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    """An appointment with an override awaiting its approval: the request (`body`), the HR
    admin who made it (`by`) and the approval (`approval_id`); null otherwise."""
    competition_rules: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    """Set when HR opened the vacancy for internal competition 「岗位竞聘」: the screening
    rules an applicant must meet (`talent.schemas.Rule`); null for a vacancy without one."""
    competition_closes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """Applications close at this moment (set with the rules)."""
    competition_opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class VacancyAppointment(IdMixin, OrgScopedMixin, Base):
    """Who filled a vacancy, on what grounds: the ranking explanation shown at the time and,
    for someone not eligible, the override reason."""

    __tablename__ = "vacancy_appointments"
    __table_args__ = (
        UniqueConstraint("org_id", "vacancy_id"),
        Index("ix_vacancy_appointments_org_employee", "org_id", "employee_id"),
    )

    vacancy_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("vacancies.id", ondelete="CASCADE"), nullable=False
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    member_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("talent_pool_members.id", ondelete="SET NULL")
    )
    """The pool membership the appointee came from; null when appointed from outside pools."""
    employment_event_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employment_events.id", ondelete="RESTRICT"), nullable=False
    )
    effective_date: Mapped[date] = mapped_column(Date, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    override_reason: Mapped[str | None] = mapped_column(Text)
    ranking: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    appointed_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    appointed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class VacancyApplicationStatus(StrEnum):
    APPLIED = "applied"
    WITHDRAWN = "withdrawn"
    APPOINTED = "appointed"
    CLOSED = "closed"


class VacancyApplication(Entity, OrgScopedMixin, Base):
    """An employee's application to a vacancy open for internal competition: one row per
    vacancy and employee (a withdrawn application reopens when they apply again), with the
    competition's rules as they were found when they applied."""

    __tablename__ = "vacancy_applications"
    __table_args__ = (
        UniqueConstraint("org_id", "vacancy_id", "employee_id"),
        CheckConstraint("status IN ('applied', 'withdrawn', 'appointed', 'closed')", name="status"),
        Index("ix_vacancy_applications_org_employee", "org_id", "employee_id"),
    )

    vacancy_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("vacancies.id", ondelete="CASCADE"), nullable=False
    )
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    statement: Mapped[str | None] = mapped_column(Text)
    """Why the applicant wants the post, in their words."""
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, nullable=False)
    """Each rule's kind, the value found and its verdict when they (last) applied."""
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_reason: Mapped[str | None] = mapped_column(Text)
    """Why the application closed without their withdrawal (someone was appointed, the
    vacancy was cancelled)."""
