"""Exports never hand a spreadsheet a formula someone typed as a name."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

import pytest
from openpyxl import load_workbook

from hrcore.core.spreadsheets import SheetFormat, inert, stream
from hrcore.training.reports_export import table_response
from hrcore.training.reports_schemas import TrainingReportFormat


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_formulas_are_quoted_as_text(typed: str) -> None:
    assert inert(typed) == f"'{typed}"


def test_plain_text_is_kept() -> None:
    assert inert("谈判技巧 Negotiation") == "谈判技巧 Negotiation"


def test_a_report_table_quotes_a_formula_name() -> None:
    response = table_response(
        TrainingReportFormat.CSV, "courses", ["Course", "Cost"], [["=cmd|' /C calc'!A0", 10]]
    )
    rows = list(csv.reader(io.StringIO(bytes(response.body).decode("utf-8-sig"))))
    assert rows[1] == ["'=cmd|' /C calc'!A0", "10"]


async def _batches(count: int, size: int) -> AsyncIterator[list[list[Any]]]:
    for batch in range(count):
        yield [[f"=name {batch}-{row}", "控制\x07字符", batch * size + row] for row in range(size)]


async def test_a_streamed_xlsx_holds_every_batch_with_formulas_as_text() -> None:
    chunks = [
        chunk
        async for chunk in stream(
            SheetFormat.XLSX, "people", ["姓名", "备注", "n"], _batches(5, 400)
        )
    ]
    sheet = load_workbook(io.BytesIO(b"".join(chunks)), read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "备注", "n")
    assert len(rows) == 1 + 5 * 400
    assert rows[1] == ("'=name 0-0", "控制字符", 0)
    assert rows[-1][2] == 1999


async def test_a_streamed_csv_starts_with_a_byte_order_mark_once() -> None:
    chunks = [
        chunk
        async for chunk in stream(SheetFormat.CSV, "people", ["姓名", "备注", "n"], _batches(3, 2))
    ]
    assert chunks[0].startswith(b"\xef\xbb\xbf")
    assert not any(chunk.startswith(b"\xef\xbb\xbf") for chunk in chunks[1:])
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))
    assert rows[0] == ["姓名", "备注", "n"]
    assert [row[0] for row in rows[1:3]] == ["'=name 0-0", "'=name 0-1"]
    assert len(rows) == 7
