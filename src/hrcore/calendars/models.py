"""The days an organization sets itself over the official schedule."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, IdMixin, OrgScopedMixin, TimestampMixin


class CalendarDay(IdMixin, TimestampMixin, OrgScopedMixin, Base):
    """One day the organization works or rests whatever the official schedule says: a
    company holiday, its own make-up day, or the days of a year the package does not cover
    yet."""

    __tablename__ = "calendar_days"
    __table_args__ = (UniqueConstraint("org_id", "day"),)

    day: Mapped[date] = mapped_column(Date, nullable=False)
    working: Mapped[bool] = mapped_column(Boolean, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
