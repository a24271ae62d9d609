"""A throwaway resource that exercises the HTTP conventions end to end.

It lives in its own schema and metadata, so it never shows up in migrations; the tests
that use it create the table themselves.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import String, select
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from hrcore.core import outbox
from hrcore.core.concurrency import check_version, set_etag
from hrcore.core.db import DbSession
from hrcore.core.errors import NotFound
from hrcore.core.http import HrcoreRoute
from hrcore.core.jobs import JobContext, JobSpec, register
from hrcore.core.models import Entity
from hrcore.core.pagination import Page, PageParams, page_params, paginate


class FixtureBase(DeclarativeBase):
    pass


class Widget(Entity, FixtureBase):
    __tablename__ = "widgets"
    __table_args__ = {"schema": "fixtures"}  # noqa: RUF012

    name: Mapped[str] = mapped_column(String(50))
    rank: Mapped[int]


class WidgetIn(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    rank: int = Field(ge=0)


class WidgetPatch(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=50)
    version: int | None = None


class WidgetOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    rank: int
    version: int


router = APIRouter(prefix="/api/v1/widgets", route_class=HrcoreRoute)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_widget(body: WidgetIn, session: DbSession, response: Response) -> WidgetOut:
    widget = Widget(name=body.name, rank=body.rank)
    session.add(widget)
    outbox.enqueue(session, "test.record", {"widget": str(widget.id)})
    await session.flush()
    set_etag(response, widget.version)
    return WidgetOut.model_validate(widget)


@router.get("")
async def list_widgets(
    session: DbSession,
    page: Annotated[PageParams, Depends(page_params)],
    min_rank: int = 0,
    descending: bool = False,
) -> Page[WidgetOut]:
    statement = select(Widget).where(Widget.rank >= min_rank)
    keys = [Widget.rank, Widget.id]
    rows, cursor = await paginate(session, statement, keys, page, descending=descending)
    return Page(items=[WidgetOut.model_validate(row) for row in rows], next_cursor=cursor)


@router.patch("/{widget_id}")
async def patch_widget(
    widget_id: uuid.UUID,
    body: WidgetPatch,
    session: DbSession,
    response: Response,
    if_match: Annotated[str | None, Header()] = None,
) -> WidgetOut:
    widget = await session.get(Widget, widget_id)
    if widget is None:
        raise NotFound("No such widget")
    check_version(widget.version, if_match=if_match, body_version=body.version)
    if body.name is not None:
        widget.name = body.name
    await session.flush()
    set_etag(response, widget.version)
    return WidgetOut.model_validate(widget)


@router.get("/boom")
async def boom() -> None:
    raise RuntimeError("secret internals")


async def create_fixture_tables(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS fixtures")
        await connection.run_sync(FixtureBase.metadata.create_all)
        await connection.exec_driver_sql("GRANT USAGE ON SCHEMA fixtures TO hrcore_app")
        await connection.exec_driver_sql("GRANT ALL ON ALL TABLES IN SCHEMA fixtures TO hrcore_app")


async def truncate_fixture_tables(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.exec_driver_sql("TRUNCATE fixtures.widgets")


RECORDED: list[dict[str, object]] = []


async def record(context: JobContext) -> None:
    """Remember each run, so tests can count deliveries."""
    RECORDED.append({"message": str(context.message_id), **context.payload})


register(JobSpec("test.record", record))
