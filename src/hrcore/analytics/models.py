"""The analytics store: one fact per person counted in a figure (the drill-down's rows, each
with the reason it is counted) and the rollups the figures read, per step, dimension,
department and month. Both are derived: the worker rebuilds them from the owning domains'
records (`refresh`), so nothing here is a record of its own."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    PrimaryKeyConstraint,
    String,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, IdMixin, OrgScopedMixin


class AnalyticsFact(IdMixin, OrgScopedMixin, Base):
    """One person counted in one step of a figure, for one subject (a pool membership, a
    task, a vacancy…): `reason_key`/`reason_params` say why, in the reader's language."""

    __tablename__ = "analytics_facts"
    __table_args__ = (
        Index(
            "uq_analytics_facts_subject",
            "org_id",
            "figure",
            "subject_type",
            "subject_id",
            "step",
            "dimension",
            unique=True,
        ),
        Index(
            "ix_analytics_facts_drill",
            "org_id",
            "figure",
            "step",
            "occurred_on",
            "id",
        ),
        Index("ix_analytics_facts_employee", "org_id", "figure", "employee_id"),
    )

    figure: Mapped[str] = mapped_column(String(40), nullable=False)
    step: Mapped[str] = mapped_column(String(40), nullable=False)
    dimension: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    subject_type: Mapped[str] = mapped_column(String(40), nullable=False)
    subject_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("departments.id", ondelete="SET NULL")
    )
    occurred_on: Mapped[date] = mapped_column(Date, nullable=False)
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    reason_key: Mapped[str] = mapped_column(String(200), nullable=False)
    reason_params: Mapped[dict[str, Any]] = mapped_column(
        JSONB, nullable=False, server_default=text("'{}'::jsonb")
    )
    refreshed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class AnalyticsRollup(OrgScopedMixin, Base):
    """How many facts (and the sum of their values) per step, dimension, department and
    month: a figure for a department subtree and a period sums a few hundred of these."""

    __tablename__ = "analytics_rollups"
    __table_args__ = (
        Index(
            "uq_analytics_rollups_cell",
            "org_id",
            "figure",
            "step",
            "dimension",
            "department_id",
            "month",
            unique=True,
            postgresql_nulls_not_distinct=True,
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    figure: Mapped[str] = mapped_column(String(40), nullable=False)
    step: Mapped[str] = mapped_column(String(40), nullable=False)
    dimension: Mapped[str] = mapped_column(String(80), nullable=False)
    department_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    month: Mapped[date] = mapped_column(Date, nullable=False)
    count: Mapped[int] = mapped_column(Integer, nullable=False)
    value_sum: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))


class AnalyticsStale(IdMixin, OrgScopedMixin, Base):
    """A figure to bring up to date for these people (`employee_id`), or wholly (NULL):
    written by the event subscriptions, read and deleted by the refresh job."""

    __tablename__ = "analytics_stale"
    __table_args__ = (Index("ix_analytics_stale_org_figure", "org_id", "figure"),)

    figure: Mapped[str] = mapped_column(String(40), nullable=False)
    employee_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    since: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=text("now()")
    )


class AnalyticsRefresh(OrgScopedMixin, Base):
    """When each figure of an organization was last brought up to date (`refreshed_at`
    of every response)."""

    __tablename__ = "analytics_refreshes"
    __table_args__ = (PrimaryKeyConstraint("org_id", "figure"),)

    figure: Mapped[str] = mapped_column(String(40), nullable=False)
    refreshed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
