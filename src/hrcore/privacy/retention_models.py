"""Retention rules: how long one purgeable kind of personal data is kept after its event,
and whether it is then deleted or anonymised (PIPL Art. 19; docs/privacy.md, "Retention and
legal holds"). One rule per organization and kind; the daily purge applies the enabled
ones."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, OrgScopedMixin


class RetentionRule(Entity, OrgScopedMixin, Base):
    __tablename__ = "retention_rules"
    __table_args__ = (
        Index("uq_retention_rules_org_id_subject_kind", "org_id", "subject_kind", unique=True),
        CheckConstraint("period_unit IN ('days', 'months', 'years')", name="period_unit"),
        CheckConstraint("period_amount > 0", name="period_amount"),
        CheckConstraint("action IN ('delete', 'anonymise')", name="action"),
    )

    subject_kind: Mapped[str] = mapped_column(String(40), nullable=False)
    period_amount: Mapped[int] = mapped_column(Integer, nullable=False)
    period_unit: Mapped[str] = mapped_column(String(8), nullable=False)
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
