"""Incentives as a file for payroll: CSV (UTF-8 with a byte-order mark, so spreadsheet
programs read the Chinese names) or XLSX, one row per incentive with the figures behind it.
The amount is pay: empty for whoever the list shows it `null` to (core.masking)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import asyncpg

from hrcore.core import masking, spreadsheets
from hrcore.core.spreadsheets import SheetFormat, inert
from hrcore.training.incentive_schemas import IncentiveOut

AMOUNT = IncentiveOut.masked_fields["amount"]


ExportFormat = SheetFormat
MEDIA_TYPES = spreadsheets.MEDIA_TYPES

HEADER = (
    "period",
    "kind",
    "employee_id",
    "employee",
    "amount",
    "eligible",
    "status",
    "points",
    "threshold",
    "granted_at",
)


def _cells(row: asyncpg.Record) -> list[Any]:
    reasons = json.loads(row["reasons"], parse_float=Decimal)
    granted_at = row["granted_at"]
    return [
        row["period"],
        row["kind"],
        str(row["employee_id"]),
        inert(row["employee_name"]),
        row["amount"] if masking.shows(AMOUNT, row["employee_id"]) else None,
        row["eligible"],
        row["status"],
        reasons.get("points"),
        reasons.get("threshold"),
        granted_at.isoformat() if granted_at else None,
    ]


def render(rows: Sequence[asyncpg.Record], form: ExportFormat) -> bytes:
    return spreadsheets.render(form, "incentives", HEADER, [_cells(row) for row in rows])
