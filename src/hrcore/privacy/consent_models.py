"""Consent 「单独同意」: the consent texts HR publishes per purpose (versioned, bilingual) and
each person's consent to one version, kept after withdrawal (PIPL Art. 14–15, 29, 39)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, OrgScopedMixin

PURPOSE_CHECK = "purpose IN ('sensitive_data', 'cross_border_transfer')"


class ConsentText(Entity, OrgScopedMixin, Base):
    """One version of what a person agrees to for a purpose; never edited once published (a
    change is the next version, which asks everyone again)."""

    __tablename__ = "consent_texts"
    __table_args__ = (
        Index(
            "uq_consent_texts_org_id_purpose_version",
            "org_id",
            "purpose",
            "text_version",
            unique=True,
        ),
        CheckConstraint(PURPOSE_CHECK, name="purpose_known"),
    )

    purpose: Mapped[str] = mapped_column(String(32), nullable=False)
    text_version: Mapped[int] = mapped_column(Integer, nullable=False)
    title_zh: Mapped[str] = mapped_column(String(200), nullable=False)
    title_en: Mapped[str] = mapped_column(String(200), nullable=False)
    body_zh: Mapped[str] = mapped_column(Text, nullable=False)
    body_en: Mapped[str] = mapped_column(Text, nullable=False)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    published_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )


class Consent(Entity, OrgScopedMixin, Base):
    """A person's consent to one text version; withdrawing keeps the row with `withdrawn_at`
    (the record shows what was agreed and when it ended). One consent in force per person and
    text (a partial unique index)."""

    __tablename__ = "consents"
    __table_args__ = (
        Index("ix_consents_org_id_employee_id_purpose", "org_id", "employee_id", "purpose"),
        Index(
            "uq_consents_org_id_employee_id_text_id_in_force",
            "org_id",
            "employee_id",
            "text_id",
            unique=True,
            postgresql_where=text("withdrawn_at IS NULL"),
        ),
        CheckConstraint(PURPOSE_CHECK, name="purpose_known"),
    )

    employee_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("employees.id", ondelete="CASCADE"), nullable=False
    )
    text_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("consent_texts.id", ondelete="RESTRICT"), nullable=False
    )
    purpose: Mapped[str] = mapped_column(String(32), nullable=False)
    given_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    given_by: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
