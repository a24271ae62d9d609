"""Declarative base and the mixins every table is built from."""

from __future__ import annotations

import os
import time
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, MetaData, event, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from uuid6 import uuid7

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> uuid.UUID:
    """A time-ordered UUID (v7): sortable, index-friendly, safe to expose."""
    return uuid.UUID(bytes=uuid7().bytes)


def new_ids(count: int) -> list[uuid.UUID]:
    """`count` UUIDv7s of one millisecond in ascending order, for bulk writes: a 26-bit
    sequence after the timestamp keeps their order, 48 random bits follow. About a tenth of
    the cost of as many `new_id` calls (10,000 audit events or observations a request)."""
    stamp = (time.time_ns() // 1_000_000) << 80 | 0x7 << 76 | 0b10 << 62
    noise = os.urandom(6 * count)
    make = uuid.UUID
    return [
        make(
            int=stamp
            | (index >> 14) << 64
            | (index & 0x3FFF) << 48
            | int.from_bytes(noise[6 * index : 6 * index + 6])
        )
        for index in range(count)
    ]


class Base(DeclarativeBase):
    """All hrcore tables share this metadata, so Alembic sees them in one place."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class IdMixin:
    """A UUIDv7 primary key assigned on construction, so ids are known before flush."""

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=new_id)


@event.listens_for(IdMixin, "init", propagate=True)
def _assign_id(target: IdMixin, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    kwargs.setdefault("id", new_id())


class TimestampMixin:
    """`created_at` and `updated_at`, set by the database in UTC."""

    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )


class VersionedMixin:
    """Optimistic locking: SQLAlchemy bumps `version` and refuses stale updates."""

    version: Mapped[int] = mapped_column(nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.version}


class OrgScopedMixin:
    """Tenant-owned rows. Row-level security compares `org_id` with `app.org_id`.

    `org_id` gets no index of its own: every tenant table leads an index or a unique
    constraint with it (its queries filter by it first), and a one-column copy only costs
    every write. A table with no such index declares one on `org_id`; a test checks.
    """

    org_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True),
        ForeignKey("organizations.id", ondelete="CASCADE"),
        nullable=False,
    )


class Entity(IdMixin, TimestampMixin, VersionedMixin):
    """The usual shape of a domain row: id, timestamps, version."""
