"""The CSV and XLSX files people open in a spreadsheet: one writer for every download.

Rows are written as they come, a batch at a time, so a table of any length never sits in
memory: CSV as encoded lines (UTF-8 with a byte-order mark, so Excel reads Chinese text as
such), XLSX through openpyxl's write-only workbook, which spools rows to a temporary file
and writes strings inline, read back in chunks once saved. Every text cell is made inert
(`inert`): names HR or employees typed travel into these files."""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import IO, Any

from fastapi.responses import StreamingResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from hrcore.core.i18n import Text
from hrcore.core.pdf import content_disposition
from hrcore.core.responses import Responses

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64 * 1024

Row = Sequence[Any]


class SheetFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


MEDIA_TYPES = {
    SheetFormat.CSV: "text/csv; charset=utf-8",
    SheetFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DOWNLOAD: Responses = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            MEDIA_TYPES[SheetFormat.XLSX]: {"schema": {"type": "string", "format": "binary"}},
        },
        "description": "A page (JSON), or with `format` every matching row as CSV or XLSX.",
    }
}


def inert(value: str) -> str:
    """Text a spreadsheet would run as a formula (CSV/formula injection), quoted as text:
    names HR or employees typed travel into exports."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def cell(value: Any) -> Any:
    """A value as a cell: catalog text rendered, text inert, a moment as ISO text (a
    spreadsheet keeps no time zone), numbers and days as such, anything else (an id) as
    text, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, Text):
        return str(value)
    if isinstance(value, str):
        return inert(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool | int | float | Decimal | date):
        return value
    return str(value)


class SheetWriter:
    """One file being written: `start` with the header, `add` batches, then `finish`,
    which answers the file's bytes a chunk at a time."""

    def __init__(self, form: SheetFormat, sheet: str) -> None:
        self.form = form
        self.sheet = sheet[:31]
        self.rows = 0
        self._book: Workbook | None = None
        self._worksheet: Any = None

    def start(self, header: Row) -> bytes:
        if self.form is SheetFormat.CSV:
            return _csv_lines([[str(label) for label in header]]).encode("utf-8-sig")
        self._book = Workbook(write_only=True)
        self._worksheet = self._book.create_sheet(self.sheet)
        self._worksheet.append([str(label) for label in header])
        return b""

    def add(self, batch: Iterable[Row]) -> bytes:
        cells = [[cell(value) for value in row] for row in batch]
        self.rows += len(cells)
        if self.form is SheetFormat.CSV:
            return _csv_lines(cells).encode()
        for row in cells:
            self._worksheet.append([_xml_safe(value) for value in row])
        return b""

    def finish(self) -> Iterator[bytes]:
        if self._book is None:
            return
        with tempfile.TemporaryFile() as spool:
            self._book.save(spool)
            spool.seek(0)
            yield from _chunks(spool)


def render(form: SheetFormat, sheet: str, header: Row, rows: Iterable[Row]) -> bytes:
    """A small table's whole file (a report already in memory)."""
    writer = SheetWriter(form, sheet)
    return writer.start(header) + writer.add(rows) + b"".join(writer.finish())


async def stream(
    form: SheetFormat, sheet: str, header: Row, batches: AsyncIterable[Sequence[Row]]
) -> AsyncIterator[bytes]:
    """The file a batch at a time."""
    async for chunk in write(SheetWriter(form, sheet), header, batches):
        yield chunk


async def write(
    writer: SheetWriter, header: Row, batches: AsyncIterable[Sequence[Row]]
) -> AsyncIterator[bytes]:
    """`writer`'s file a batch at a time (`writer.rows` counts them); the XLSX work runs
    in a thread, so the event loop keeps serving while a long table is written."""
    yield writer.start(header)
    async for batch in batches:
        if writer.form is SheetFormat.CSV:
            yield writer.add(batch)
        else:
            await asyncio.to_thread(writer.add, batch)
    chunks = writer.finish()
    while chunk := await asyncio.to_thread(next, chunks, b""):
        yield chunk


def download(
    form: SheetFormat, name: str, header: Row, batches: AsyncIterable[Sequence[Row]]
) -> StreamingResponse:
    """The table as a streamed download named `name`.`form`."""
    filename = f"{name}.{form.value}"
    return StreamingResponse(
        stream(form, name, header, batches),
        media_type=MEDIA_TYPES[form],
        headers={
            "Content-Disposition": content_disposition(filename, filename),
            "Cache-Control": "private, no-store",
        },
    )


def _xml_safe(value: Any) -> Any:
    """Control characters XML cannot hold (openpyxl refuses them) dropped from text."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _csv_lines(rows: Iterable[Row]) -> str:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    return text.getvalue()


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    while chunk := handle.read(CHUNK):
        yield chunk
