"""The lists an export writes, as spreadsheet rows: the drill-down's people, a batch per
statement (keyset, as its pages), headers and reasons in the reader's language."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi.responses import StreamingResponse
from sqlalchemy.ext.asyncio import AsyncSession

from hrcore.analytics import reading
from hrcore.analytics.drill_down import Drill
from hrcore.core import i18n, spreadsheets
from hrcore.core.authz import Principal
from hrcore.core.db import SessionMaker, tenant_transaction
from hrcore.core.i18n import Text, _
from hrcore.core.pagination import PageParams
from hrcore.core.spreadsheets import SheetFormat

BATCH = 1_000

Opener = Callable[[], AbstractAsyncContextManager[AsyncSession]]
"""Where a batch is read: a short transaction of its own (a streamed response outlives the
request's) or the worker job's session."""


def people_header() -> list[str]:
    """The column labels, rendered now in the current language (a file is written later,
    maybe outside the request)."""
    labels: list[Text] = [
        _("Employee"),
        _("Department"),
        _("Step"),
        _("Breakdown"),
        _("Day"),
        _("Value"),
        _("Reason"),
    ]
    return [label.render() for label in labels]


def people_name(asked: Drill) -> str:
    """The file's name: the figure's slug and the window."""
    start, end = asked.window
    return f"{asked.figure.name.replace('_', '-')}-people-{start:%Y%m}-{end:%Y%m}"


async def people_rows(
    opener: Opener, org_id: uuid.UUID, asked: Drill, locale: str
) -> AsyncIterator[list[list[Any]]]:
    """Every fact of the drill-down, a batch at a time, oldest first."""
    cursor: str | None = None
    while True:
        async with opener() as session:
            with i18n.using(locale):
                page = await reading.people_behind(
                    session,
                    org_id,
                    asked.figure,
                    asked.scope,
                    asked.window,
                    asked.step,
                    asked.dimension,
                    PageParams(limit=BATCH, cursor=cursor),
                )
        yield [
            [
                item.employee.name,
                item.department.name if item.department else None,
                item.step_label,
                item.dimension,
                item.occurred_on,
                item.value,
                item.reason,
            ]
            for item in page.items
        ]
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def people_download(
    sessionmaker: SessionMaker,
    principal: Principal,
    asked: Drill,
    form: SheetFormat,
) -> StreamingResponse:
    """The drill-down's every row as a streamed file (`?format=`), each batch read in a
    short transaction of its own; the caller's scope was checked as the list's."""

    def opener() -> AbstractAsyncContextManager[AsyncSession]:
        return tenant_transaction(sessionmaker, principal.org_id)

    rows = people_rows(opener, principal.org_id, asked, i18n.current_locale())
    return spreadsheets.download(form, people_name(asked), people_header(), rows)
