"""Rows one domain names by id in another's request or list: checked (422 with the owning
domain's "Unknown …" message on the request field when the row is not in the organization)
and shown as links (`Ref`).
Departments, positions and employees are referred to this one way; the owning domain turns
what it finds into the plain data it publishes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import Text
from hrcore.core.models import Base
from hrcore.core.schemas import Ref

RowT = TypeVar("RowT", bound=Base)


def unknown(title: Text, message: Text, field: str) -> Unprocessable:
    """The 422 for a request field naming a row the organization does not have: `title` such
    as "Unknown department", `message` on the field such as "no such department"."""
    return Unprocessable(title, errors=[FieldError(field=field, message=message)])


async def referenced_row(
    session: AsyncSession,
    model: type[RowT],
    org_id: uuid.UUID,
    row_id: uuid.UUID,
    *,
    field: str,
    title: Text,
    message: Text,
) -> RowT:
    """The row a request body names in `field`, else 422: the same answer for a row that does
    not exist and one of another organization."""
    columns = inspect(model).columns
    row = await session.scalar(select(model).where(columns.org_id == org_id, columns.id == row_id))
    if row is None:
        raise unknown(title, message, field)
    return row


async def refs_by_ids(
    session: AsyncSession,
    name: InstrumentedAttribute[Any],
    org_id: uuid.UUID,
    row_ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Ref]:
    """Links (id and the `name` column) to many rows of `name`'s table in one query; ids not
    in the organization are absent."""
    if not row_ids:
        return {}
    columns = inspect(name.class_).columns
    rows = await session.execute(
        select(columns.id, name).where(
            columns.org_id == org_id, columns.id.in_(list(dict.fromkeys(row_ids)))
        )
    )
    return {row_id: Ref(id=row_id, name=value) for row_id, value in rows}


async def ref_by_id(
    session: AsyncSession, name: InstrumentedAttribute[Any], org_id: uuid.UUID, row_id: uuid.UUID
) -> Ref | None:
    """A link to one row, None when it is not in the organization."""
    return (await refs_by_ids(session, name, org_id, [row_id])).get(row_id)
