"""Keyset (cursor) pagination: stable under inserts, constant cost per page."""

from __future__ import annotations

import base64
import binascii
import functools
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    Field,
    FiniteFloat,
    StrictBool,
    StringConstraints,
    TypeAdapter,
)
from sqlalchemy import Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from hrcore.core.errors import INVALID_CURSOR, BadRequest, FieldError
from hrcore.core.i18n import _

T = TypeVar("T")
MAX_LIMIT = 200
DEFAULT_LIMIT = 50


class InvalidCursor(BadRequest):
    status, slug, title = INVALID_CURSOR

    def __init__(self) -> None:
        super().__init__(
            "The cursor is not one this list issued; start again without it",
            errors=[FieldError(field="query.cursor", message=_("not a cursor of this list"))],
        )


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


def _to_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("timestamp out of range") from exc


_BIGINT = Annotated[int, Field(strict=True, ge=-(2**63), le=2**63 - 1)]
_CURSOR_TYPES: dict[type, Any] = {
    int: _BIGINT,
    bool: StrictBool,
    float: FiniteFloat,
    str: Annotated[str, StringConstraints(max_length=512, pattern=r"^[^\x00]*$")],
    datetime: Annotated[AwareDatetime, AfterValidator(_to_utc)],
}
OFFSET = Annotated[int, Field(strict=True, ge=0, le=2**31)]
"""The one value of an offset cursor (a list ranked in Python, not by a keyset)."""
POSITIVE = Annotated[int, Field(strict=True, ge=1, le=2**31 - 1)]
"""A key that counts from 1 (a revision): a column's `info={"cursor": POSITIVE}`."""


def _cursor_type(key: InstrumentedAttribute[Any]) -> Any:
    """The key's value type in a cursor: its column's `info["cursor"]` where that narrows
    the Python type (a forged 0 or -1 is then 400 too), else the Python type."""
    return key.info.get("cursor", key.type.python_type)


@functools.cache
def _cursor_adapter(types: tuple[Any, ...]) -> TypeAdapter[tuple[Any, ...]]:
    """One validator for a whole cursor: arity, no nulls, each value of its key's type."""
    fields = tuple(_CURSOR_TYPES.get(kind, kind) for kind in types)
    return TypeAdapter(tuple[fields])  # type: ignore[valid-type]


def decode_cursor(cursor: str, types: Sequence[Any]) -> tuple[Any, ...]:
    """Decode a cursor whose values have `types`, or answer 400: a forged or mangled cursor
    is bad input like any other, never a 500 from the query it would have built."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return _cursor_adapter(tuple(types)).validate_json(raw)
    except (binascii.Error, ValueError) as exc:  # ValidationError is a ValueError
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
    result = await session.execute(_page_statement(statement, keys, params, descending))
    rows = list(result.scalars().all())
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    last = rows[-1]
    return rows, encode_cursor([getattr(last, key.key) for key in keys])


async def paginate_rows(
    session: AsyncSession,
    statement: Select[Any],
    keys: Sequence[InstrumentedAttribute[Any]],
    params: PageParams,
    *,
    descending: bool = False,
) -> tuple[Sequence[Any], str | None]:
    """`paginate` for a statement of columns (the keys among them): plain rows, no ORM
    objects, for a response model to read with `from_attributes`."""
    result = await session.execute(_page_statement(statement, keys, params, descending))
    rows = result.all()
    if len(rows) <= params.limit:
        return rows, None
    last = rows[params.limit - 1]
    return rows[: params.limit], encode_cursor([getattr(last, key.key) for key in keys])


def _page_statement(
    statement: Select[Any],
    keys: Sequence[InstrumentedAttribute[Any]],
    params: PageParams,
    descending: bool,
) -> Select[Any]:
    if params.cursor is not None:
        bound = decode_cursor(params.cursor, [_cursor_type(key) for key in keys])
        statement = statement.where(_after(keys, bound, descending=descending))
    order = [key.desc() for key in keys] if descending else list(keys)
    return statement.order_by(*order).limit(params.limit + 1)


def cut_page(
    rows: Sequence[Any], keys: Sequence[str], params: PageParams
) -> tuple[Sequence[Any], str | None]:
    """`paginate` for rows a read fetched itself (`core.db.fetch`, `LIMIT limit + 1`): the
    page and the cursor of the next one, from the last row's `keys` (mapping access)."""
    if len(rows) <= params.limit:
        return rows, None
    last = rows[params.limit - 1]
    return rows[: params.limit], encode_cursor([last[key] for key in keys])


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
