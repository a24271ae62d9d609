"""Reading CSV and XLSX uploads into rows of strings, with their row numbers."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from hrcore.core.i18n import _

MAX_ROWS = 50_000
MAX_COLUMNS = 64
XLSX_MAGIC = b"PK\x03\x04"


class UnreadableFile(ValueError):
    """The upload is not a CSV or XLSX table we can read."""


@dataclass(frozen=True)
class Table:
    file_format: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


def read_table(content: bytes, filename: str) -> Table:
    """Detect the format by content (not by the name a client chose) and read it."""
    if content.startswith(XLSX_MAGIC):
        return _read_xlsx(content)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise UnreadableFile(_("the file is named .xlsx but is not a spreadsheet"))
    return _read_csv(content)


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, which Excel uses for Chinese CSV exports."""
    if b"\x00" in content[:4096]:
        raise UnreadableFile(_("the file is binary, not CSV text"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("the file is neither UTF-8 nor GB18030 text"))


def _read_csv(content: bytes) -> Table:
    text = _decode(content)
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise UnreadableFile(_("malformed CSV: {error}", error=exc)) from exc
    return _table("csv", records)


def _read_xlsx(content: bytes) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile(_("the spreadsheet cannot be opened")) from exc
    try:
        sheet = workbook.worksheets[0]
        records = [
            [_cell_text(value) for value in row]
            for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)
        ]
    finally:
        workbook.close()
    return _table("xlsx", records)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(file_format: str, records: list[list[str]]) -> Table:
    """Header from the first non-empty line; blank lines skipped but still counted."""
    numbered = [
        (number, cells)
        for number, cells in enumerate(records, start=1)
        if any(cell.strip() for cell in cells)
    ]
    if not numbered:
        raise UnreadableFile(_("the file has no header row"))
    header = [cell.strip().lower() for cell in numbered[0][1]]
    if len(header) > MAX_COLUMNS:
        raise UnreadableFile(_("more than {limit} columns", limit=MAX_COLUMNS))
    if len(numbered) - 1 > MAX_ROWS:
        raise UnreadableFile(_("more than {limit} rows; split the file", limit=MAX_ROWS))
    rows = [(number, _by_column(header, cells)) for number, cells in numbered[1:]]
    return Table(file_format, header, rows)


def _by_column(header: list[str], cells: list[str]) -> dict[str, str]:
    return {name: cells[i].strip() if i < len(cells) else "" for i, name in enumerate(header)}
