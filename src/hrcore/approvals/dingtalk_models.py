"""An approval run in DingTalk's approval app: its process instance and what became of it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from hrcore.core.models import Base, Entity, OrgScopedMixin


class ApprovalDingTalkInstance(Entity, OrgScopedMixin, Base):
    """One approval's DingTalk instance: `starting` until the worker created it, `running`
    until its outcome is applied (`closed`, with `outcome` and who decided), `failed` when
    DingTalk never accepted it (the approval then runs on its chain in hrcore). One per
    approval; an instance id belongs to one approval."""

    __tablename__ = "approval_dingtalk_instances"
    __table_args__ = (
        UniqueConstraint("org_id", "approval_id"),
        UniqueConstraint("org_id", "instance_id"),
    )

    approval_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("approvals.id", ondelete="CASCADE"), nullable=False
    )
    process_code: Mapped[str] = mapped_column(String(128), nullable=False)
    instance_id: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="starting")
    outcome: Mapped[str | None] = mapped_column(String(16))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    """The DingTalk user id of whoever decided (the originator for a termination)."""
    last_error: Mapped[str | None] = mapped_column(Text)
    create_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """When the worker first asked DingTalk to create the instance (committed before the
    call): a later attempt looks for the instance DingTalk may have made before creating."""
