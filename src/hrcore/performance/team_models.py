"""A team's trend without reading its members' explanations: per department and period, the
sums of the live scores of everyone counted in the department's subtree (`team_periods`).

`TeamPeriod` holds, for each (department, period, indicator as named), how many figures,
scores and values there are and their sums (`key` '' is the overall score); a department
counts every score of the people whose department path (`TeamMember.departments`) names
it, so a subtree's trend is that department's own rows. `TeamMember` says under which path
an employee's scores are counted; the dashboard corrects at read time for whoever the
current roster and the counted paths disagree on (a move or an exit not recomputed yet).
Sums are `numeric`: adding and retracting a score leaves them exact.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, IdMixin, OrgScopedMixin


class TeamPeriod(IdMixin, OrgScopedMixin, Base):
    """The sums of one department subtree's scores of one period for one indicator variant
    (name, unit and direction as the schemes named it); a row left with no figure is
    deleted. No foreign key to departments: a counted path may still name a department
    deleted since (an emptied one may go), and retracting from it must not fail."""

    __tablename__ = "performance_team_periods"
    __table_args__ = (
        UniqueConstraint(
            "org_id",
            "department_id",
            "period",
            "starts_on",
            "key",
            "name",
            "unit",
            "direction",
            postgresql_nulls_not_distinct=True,
        ),
        Index(
            "ix_performance_team_periods_empty",
            "org_id",
            postgresql_where=text("entries = 0"),
        ),
    )

    department_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    period: Mapped[str] = mapped_column(String(8), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    key: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(Text)
    direction: Mapped[str | None] = mapped_column(Text)
    entries: Mapped[int] = mapped_column(Integer, nullable=False)
    scored: Mapped[int] = mapped_column(Integer, nullable=False)
    score_sum: Mapped[Decimal] = mapped_column(Numeric, nullable=False)
    valued: Mapped[int] = mapped_column(Integer, nullable=False)
    value_sum: Mapped[Decimal] = mapped_column(Numeric, nullable=False)


class TeamMember(IdMixin, OrgScopedMixin, Base):
    """The department path (root first) under which all of an employee's scores are counted
    in `TeamPeriod`: the path of their department when the recompute last saw them."""

    __tablename__ = "performance_team_members"
    __table_args__ = (
        UniqueConstraint("org_id", "employee_id"),
        Index(
            "ix_performance_team_members_departments",
            "departments",
            postgresql_using="gin",
            postgresql_with={"fastupdate": "off"},
        ),
    )

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    departments: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)), nullable=False)
