"""Keyset (cursor) pagination: stable under inserts, constant cost per page."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy import Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from hrcore.core.errors import BadRequest

T = TypeVar("T")
MAX_LIMIT = 200
DEFAULT_LIMIT = 50


class InvalidCursor(BadRequest):
    slug, title = "invalid-cursor", "Invalid cursor"


class Page(BaseModel, Generic[T]):
    """One page of a list. Pass `next_cursor` back as `cursor` for the next page."""

    items: list[T]
    next_cursor: str | None = Field(description="Opaque; null on the last page.")


class PageParams(BaseModel):
    limit: int
    cursor: str | None


async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`next_cursor` of the previous page.")
    ] = None,
) -> PageParams:
    """The `limit` and `cursor` query parameters every list endpoint takes."""
    return PageParams(limit=limit, cursor=cursor)


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_jsonable(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, width: int) -> list[Any]:
    """Decode a cursor or answer 400: a client never gets a 500 for a mangled cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor() from exc
    if not isinstance(values, list) or len(values) != width:
        raise InvalidCursor()
    return values


def _parse(key: InstrumentedAttribute[Any], value: Any) -> Any:
    """Turn a cursor value back into the column's Python type, or answer 400."""
    try:
        python_type = key.type.python_type
        if value is None or isinstance(value, python_type):
            return value
        if python_type is datetime:
            return datetime.fromisoformat(value)
        if python_type is date:
            return date.fromisoformat(value)
        return python_type(value)
    except (TypeError, ValueError, NotImplementedError) as exc:
        raise InvalidCursor() from exc


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


async def paginate(
    session: AsyncSession,
    statement: Select[Any],
    keys: Sequence[InstrumentedAttribute[Any]],
    params: PageParams,
    *,
    descending: bool = False,
) -> tuple[list[Any], str | None]:
    """Run `statement` ordered by `keys` (the last must be unique, e.g. `id`; keys not null).

    Returns the rows of the page and the cursor of the next page. Fetches one extra row to
    know whether there is a next page, so a page costs exactly one query.
    """
    if params.cursor is not None:
        values = decode_cursor(params.cursor, len(keys))
        bound = [_parse(key, value) for key, value in zip(keys, values, strict=True)]
        statement = statement.where(_after(keys, bound, descending=descending))
    order = [key.desc() for key in keys] if descending else list(keys)
    statement = statement.order_by(*order).limit(params.limit + 1)
    rows = list((await session.execute(statement)).scalars().all())
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    last = rows[-1]
    return rows, encode_cursor([getattr(last, key.key) for key in keys])


def _after(
    keys: Sequence[InstrumentedAttribute[Any]], values: Sequence[Any], *, descending: bool
) -> Any:
    """Lexicographic `(k1, k2, …) > (v1, v2, …)` (or `<`), written out so indexes apply."""
    clauses = []
    for i, key in enumerate(keys):
        equal_prefix = [keys[j] == values[j] for j in range(i)]
        beyond = key < values[i] if descending else key > values[i]
        clauses.append(and_(*equal_prefix, beyond))
    return or_(*clauses)
