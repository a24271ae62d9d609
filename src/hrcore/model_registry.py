"""Imports every module that defines tables, so `Base.metadata` is complete for Alembic."""

from hrcore.core import idempotency, outbox
from hrcore.core.models import Base

metadata = Base.metadata

__all__ = ["idempotency", "metadata", "outbox"]
